package org.lossagg.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One way to compute a workload's loss over a source. */
interface Contender {
  /** A run's value and the rows it covered. */
  record Outcome(double value, long rows) {}

  Peer peer();

  /** What this contender computes, for the report (its SQL or API call). */
  String describe();

  /** Untimed set-up before a size's repetitions (e.g. a peer materialising its in-memory batches). */
  default void prepare(Dataset<Row> source, long rows) {}

  Outcome run(Dataset<Row> source, long rows);

  /**
   * Relative tolerance against lossagg's fused value; NaN when the value is not the workload's loss
   * (the scan floor) or, at this size, not over the same rows.
   */
  double tolerance(long rows);

  /**
   * An aggregate SQL expression over the source whose value turns this contender's number into the
   * fused loss (MLlib's weighted logLoss divides by the weight sum, Keras by the row count), or null.
   */
  default String toFusedScale() {
    return null;
  }
}
