package org.lossagg.spark;

import org.apache.spark.sql.internal.SQLConf;
import org.lossagg.losses.Circle;
import org.lossagg.losses.Loss;

/**
 * {@code spark.lossagg.circle.maxRowsPerGroup}: the bound on the rows of one group that
 * {@code keras_loss} over Circle collects (default {@link Circle#DEFAULT_MAX_GROUP_ROWS}). Read from
 * the session's SQL conf, which Spark passes to executors with each query.
 */
final class CircleGroupBound {
  static final String KEY = "spark.lossagg.circle.maxRowsPerGroup";

  private CircleGroupBound() {}

  /** {@code loss} with the session's bound when it is a Circle loss; other losses as they are. */
  static Loss apply(Loss loss) {
    if (!(loss instanceof Circle)) {
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
    return ((Circle) loss).withMaxGroupRows(rows);
  }
}
