package org.lossagg.spark;

import org.apache.spark.sql.internal.SQLConf;
import org.lossagg.losses.Loss;
import org.lossagg.losses.RowOutput;

/**
 * {@code spark.lossagg.<keras function name>.maxRowsPerGroup} (e.g. {@code spark.lossagg.circle.maxRowsPerGroup}):
 * the bound on the rows of one group that {@code keras_loss} collects for a loss that compares the
 * rows of a group with each other ({@link RowOutput#GROUP_PAIRWISE}; the loss' own default otherwise,
 * {@link Loss#withMaxGroupRows}). Read from the session's SQL conf, which Spark passes to executors
 * with each query.
 */
final class GroupRowsBound {
  private GroupRowsBound() {}

  /** The SQL conf key of {@code loss}' bound. */
  static String key(Loss loss) {
    return "spark.lossagg." + loss.spec().functionName() + ".maxRowsPerGroup";
  }

  /** {@code loss} with the session's bound when it collects groups; other losses as they are. */
  static Loss apply(Loss loss) {
    if (loss.spec().rowOutput() != RowOutput.GROUP_PAIRWISE) {
      return loss;
    }
    String value = SQLConf.get().getConfString(key(loss), null);
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
      throw new IllegalArgumentException(key(loss) + " must be a whole number of rows >= 1, got '" + value + "'");
    }
    return loss.withMaxGroupRows(rows);
  }
}
