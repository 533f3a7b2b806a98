package org.lossagg.spark;

import org.lossagg.losses.PerSampleAggregation;
import org.lossagg.losses.RowKernel;
import org.lossagg.reduce.Float32Sum;

/**
 * Where one {@code keras_loss} state takes rows through its loss' {@link RowKernel}: the one row
 * intake of the interpreted aggregate ({@link KerasLossAggregate#update}) and of the generated code
 * of the fused plan ({@link FusedKerasLossExec}). Float32 scalar rows wait in a batch of
 * {@link #BATCH} rows (values rounded to float32 as the kernel's dtype cast would), then enter the
 * state together ({@link PerSampleAggregation#addFloat32Batch}): a tight loop per batch instead of
 * the whole chain per row; the state's sums are exact, so batch boundaries change no bit. Other
 * scalar rows (float64 losses) and vector rows enter one at a time. Every read of the state
 * {@link #flush}es first.
 *
 * <p>Generated code fills {@link #yTrue}, {@link #yPred}, {@link #weight} at {@link #count} itself
 * and calls {@link #addBatch} when the batch is full, so that the per-row work stays in the query's
 * own compiled method.
 */
public final class RowIntake {
  /** Rows per float32 batch. */
  public static final int BATCH = 512;

  private final PerSampleAggregation state;
  private final boolean weighted;
  private final boolean float32;
  /** The batch (allocated by {@link #open()}); {@link #weight} only for a weighted aggregate. */
  public float[] yTrue;
  public float[] yPred;
  public float[] weight;
  /** Rows waiting in the batch. */
  public int count;
  /** Rows added so far (batched rows count once they enter the state). */
  private long rows;

  RowIntake(PerSampleAggregation state, RowKernel kernel, boolean weighted) {
    this.state = state;
    this.weighted = weighted;
    this.float32 = kernel.batchesFloat32Rows();
  }

  /** Whether scalar rows wait in float32 batches (else {@link #add} hands each to the state). */
  boolean batches() {
    return float32;
  }

  /** Allocates the batch arrays (once); returns this. Public for generated code. */
  public RowIntake open() {
    if (yTrue == null) {
      yTrue = new float[BATCH];
      yPred = new float[BATCH];
      weight = weighted ? new float[BATCH] : null;
    }
    return this;
  }

  /**
   * Adds a scalar row (y_true, y_pred and the weight as Java doubles, none NULL; {@code w} ignored
   * when unweighted). Public for generated code.
   */
  public void add(double t, double p, double w) {
    if (!float32) {
      state.addScalarRow(t, p, weighted, w);
      rows++;
      return;
    }
    open();
    int k = count;
    yTrue[k] = (float) t;
    yPred[k] = (float) p;
    if (weighted) {
      weight[k] = (float) w;
    }
    if (++count == BATCH) {
      addBatch();
    }
  }

  /** Hands the {@link #count} waiting rows to the state. Public for generated code. */
  public void addBatch() {
    int c = count;
    if (c > 0) {
      count = 0;
      state.addFloat32Batch(yTrue, yPred, weight, c);
      rows += c;
    }
  }

  /**
   * The state's pending float32 value sum, which a {@link GroupedRowBatch} adds this state's rows'
   * computed values to (then {@link #countComputedRows}); see
   * {@link PerSampleAggregation#float32ValueSum}.
   */
  Float32Sum float32ValueSum() {
    return state.float32ValueSum(weighted);
  }

  /** The state's pending float32 weight sum (with {@link #float32ValueSum}). */
  Float32Sum float32WeightSum() {
    return state.float32WeightSum();
  }

  /** Counts {@code count} rows a {@link GroupedRowBatch} added through {@link #float32ValueSum}. */
  void countComputedRows(int count) {
    state.countFloat32Rows(count);
    rows += count;
  }

  /**
   * Adds a vector row through the kernel (see {@link PerSampleAggregation#addVectorRow}); false
   * (nothing added) for a row the kernel does not take.
   */
  boolean addVector(float[] t, float[] p, int width, double w) {
    boolean added = state.addVectorRow(t, p, width, weighted, w);
    if (added) {
      rows++;
    }
    return added;
  }

  /** Moves waiting rows into the state; call before reading it. */
  void flush() {
    addBatch();
  }

  /** Rows added so far (waiting ones included). */
  long rows() {
    return rows + count;
  }
}
