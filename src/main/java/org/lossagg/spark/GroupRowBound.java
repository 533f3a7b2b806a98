package org.lossagg.spark;

import org.apache.spark.sql.internal.SQLConf;
import org.lossagg.losses.GroupCollectingLoss;
import org.lossagg.losses.Loss;

/**
 * {@code spark.lossagg.circle.maxRowsPerGroup}: the bound on the rows of one group that
 * {@code keras_loss} over a {@link GroupCollectingLoss} (Circle) collects (the loss' default
 * otherwise). Read from the session's SQL conf, which Spark passes to executors with each query.
 */
final class GroupRowBound {
  static final String KEY = "spark.lossagg.circle.maxRowsPerGroup";

  private GroupRowBound() {}

  /** {@code loss} with the session's bound when it collects its groups' rows; other losses as they are. */
  static Loss apply(Loss loss) {
    if (!(loss instanceof GroupCollectingLoss)) {
      return loss;
    }
    String value = SQLConf.get().getConfString(KEY, null);
    if (value == null) {
      return loss;
    }
    int rows;
    try {
      rows = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      rows = 0;
    }
    if (rows < 1) {
      throw new IllegalArgumentException(KEY + " must be a whole number of rows >= 1, got '" + value + "'");
    }
    return ((GroupCollectingLoss) loss).withMaxGroupRows(rows);
  }
}
