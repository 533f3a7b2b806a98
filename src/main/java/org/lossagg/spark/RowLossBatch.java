package org.lossagg.spark;

/**
 * Rows of a per-row loss waiting to be computed together, for the generated code of an ungrouped
 * fused aggregation over {@code loss_*(y_true, y_pred)} ({@link LossAggregateFunction#batchesRowLoss}):
 * the code fills y_true, y_pred (and the weight) of rows whose loss is not NULL, then, when
 * {@link #BATCH} rows wait or the input ends, computes their values in one loop over the loss'
 * scalar kernel into {@link #values} and hands them to the aggregate's state. One kernel call per
 * row on a scan's row is a long chain of dependent work the CPU cannot overlap with the next row's;
 * a loop over arrays it can (measured: BinaryCrossentropy's float64 kernel about 11 ns a row in a
 * loop, about 28 ns inside a scan's per-row code). Public for generated code.
 */
public final class RowLossBatch {
  /** Rows per batch. */
  public static final int BATCH = 512;

  public final double[] yTrue = new double[BATCH];
  public final double[] yPred = new double[BATCH];
  /** Null without a weight argument. */
  public final double[] weight;
  public final double[] values = new double[BATCH];
  /** Rows waiting. */
  public int count;

  public RowLossBatch(boolean weighted) {
    this.weight = weighted ? new double[BATCH] : null;
  }
}
