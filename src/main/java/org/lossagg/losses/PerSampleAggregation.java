package org.lossagg.losses;

import org.lossagg.reduce.Reduction;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;
import org.lossagg.reduce.Float32Sum;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.RowShape;
import org.lossagg.reduce.SampleWeighting;

/** The aggregation of a loss whose batch value is a weighted sum of per-sample terms. */
public final class PerSampleAggregation implements LossAggregation {
  private final Loss loss;
  private final LossAccumulator accumulator = new LossAccumulator();
  /** The y_pred row shape of the chunks and vector rows added (scalar rows come from number columns). */
  private final RowShape rowShape = new RowShape();
  /** Whether a scalar row (Keras shape (1, 1): row shape (1,)) has been noted in {@link #rowShape}. */
  private boolean scalarRowNoted;
  private final Numerics numerics;
  /**
   * Float32 losses with a scalar-row kernel collect scalar rows here first: their values and
   * rounded weights are float32 values, which {@link Float32Sum} adds exactly and more cheaply than
   * ExactSum. Every read of the state moves them into the accumulator first ({@link #flush}).
   */
  private final boolean float32Rows;
  private Float32Sum pendingValues;
  private Float32Sum pendingWeights;
  private long pendingRows;
  private boolean pendingWeighted;
  /** Rows per float32 batch (also the batch generated code fills for {@link #addScalarBatch}). */
  public static final int BATCH = 512;
  private float[] batchTrue;
  private float[] batchPred;
  private float[] batchWeight;
  private float[] batchValues;
  private int batched;
  private boolean batchWeighted;

  public PerSampleAggregation(Loss loss) {
    this.loss = loss;
    this.numerics = loss.numerics();
    this.float32Rows = numerics.dtype() == DType.FLOAT32 && loss.hasScalarRowKernel();
  }

  private void flush() {
    drainBatch();
    if (pendingRows == 0) {
      return;
    }
    ExactSum values = new ExactSum();
    pendingValues.addTo(values);
    ExactSum weights = null;
    if (pendingWeighted) {
      weights = new ExactSum();
      pendingWeights.addTo(weights);
    }
    accumulator.addSums(values, pendingRows, weights);
    pendingValues.clear();
    pendingWeights.clear();
    pendingRows = 0;
    pendingWeighted = false;
  }

  /**
   * Whether {@link #addVectorRow} may be used: a float32 loss with a primitive kernel for rows of
   * equally long 1-D arrays.
   */
  public boolean acceptsVectorRows() {
    return numerics.dtype() == DType.FLOAT32 && loss.hasVectorRowKernel();
  }

  /**
   * Adds one row whose y_pred is the first {@code width} values of {@code yPred} and whose y_true is
   * as many values of {@code yTrue} (or its first, see {@link Loss#vectorRowHasScalarTrue}), float32
   * values, exactly as {@code add((1, width) y_true, (1, width) y_pred, weight, null)} does;
   * {@code weighted} false for no weight. False (nothing added) for a row the kernel does not take.
   */
  public boolean addVectorRow(float[] yTrue, float[] yPred, int width, boolean weighted, double sampleWeight) {
    if (!loss.takesVectorRow(yTrue, width)) {
      return false;
    }
    rowShape.noteVector(width, loss.spec().className(), "y_pred");
    float v = loss.vectorRowValue(yTrue, yPred, width, numerics);
    startPending();
    if (weighted) {
      float w = (float) sampleWeight;
      pendingValues.add(v * w);
      pendingWeights.add(w);
      pendingWeighted = true;
    } else {
      pendingValues.add(v);
    }
    pendingRows++;
    return true;
  }

  private void startPending() {
    if (pendingValues == null) {
      pendingValues = new Float32Sum();
      pendingWeights = new Float32Sum();
    }
  }

  @Override
  public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    if (yPred.rank() > 0) {
      rowShape.noteFrom(yPred.shape(), 1, loss.spec().className(), "y_pred");
    }
    add(loss.weigh(yTrue, yPred, sampleWeight, mask));
  }

  /**
   * Whether {@link #addScalarRow} may be used: the loss has a primitive kernel for rows whose
   * y_true and y_pred are single numbers.
   */
  public boolean acceptsScalarRows() {
    return loss.hasScalarRowKernel();
  }

  /**
   * Adds one unweighted row whose y_true and y_pred are single numbers, exactly as
   * {@code add((1, 1) y_true, (1, 1) y_pred, null, null)} does, without arrays.
   */
  public void addScalarRow(double yTrue, double yPred) {
    noteScalarRow();
    if (float32Rows) {
      batchRow(yTrue, yPred, Float.NaN, false);
      return;
    }
    Numerics n = numerics;
    accumulator.addValue(loss.scalarRowValue(n.r(yTrue), n.r(yPred), n));
  }

  /**
   * Adds one row with a single-number sample weight, exactly as {@code add((1, 1) y_true, (1, 1)
   * y_pred, (1,) weight, null)} does: the weight rounded to the dtype multiplies the value, and
   * counts in the weight sum.
   */
  public void addScalarRow(double yTrue, double yPred, double sampleWeight) {
    noteScalarRow();
    if (float32Rows) {
      batchRow(yTrue, yPred, sampleWeight, true);
      return;
    }
    Numerics n = numerics;
    double w = n.r(sampleWeight);
    accumulator.addValue(n.mul(loss.scalarRowValue(n.r(yTrue), n.r(yPred), n), w));
    accumulator.markWeighted();
    accumulator.addWeight(w);
  }

  /**
   * Float32 scalar rows wait in a batch of {@link #BATCH} rows (inputs rounded to float32 as the
   * kernel would), then go through the loss' batch kernel and into the Float32Sums together: a
   * tight loop per batch instead of the whole chain per row. A batch holds only weighted or only
   * unweighted rows. Every read of the state drains it first ({@link #flush}).
   */
  private void batchRow(double yTrue, double yPred, double sampleWeight, boolean weighted) {
    if (batchTrue == null) {
      batchTrue = new float[BATCH];
      batchPred = new float[BATCH];
      batchWeight = new float[BATCH];
    } else if (batched > 0 && weighted != batchWeighted) {
      drainBatch();
    }
    int k = batched;
    batchTrue[k] = (float) yTrue;
    batchPred[k] = (float) yPred;
    batchWeight[k] = (float) sampleWeight;
    batchWeighted = weighted;
    if (++batched == BATCH) {
      drainBatch();
    }
  }

  private void drainBatch() {
    int count = batched;
    if (count == 0) {
      return;
    }
    batched = 0;
    addBatch(batchTrue, batchPred, batchWeighted ? batchWeight : null, count);
  }

  /**
   * Whether scalar rows are float32 rows that {@link #addScalarBatch} takes: then a caller may
   * collect them in float arrays itself (Spark's generated code does) instead of calling
   * {@link #addScalarRow} per row.
   */
  public boolean batchesScalarRows() {
    return float32Rows;
  }

  /**
   * Adds the first {@code count} (at most {@link #BATCH}) rows of float32 values, exactly as
   * {@link #addScalarRow} with each row's values (before their rounding to float32) does;
   * {@code weight} null for unweighted rows. Only when {@link #batchesScalarRows()}. The arrays are
   * read, not kept.
   */
  public void addScalarBatch(float[] yTrue, float[] yPred, float[] weight, int count) {
    if (!float32Rows) {
      throw new IllegalStateException("addScalarBatch needs a float32 loss with a scalar-row kernel");
    }
    if (count < 0 || count > BATCH) {
      throw new IllegalArgumentException("addScalarBatch: count " + count + " outside [0, " + BATCH + "]");
    }
    if (count > 0) {
      noteScalarRow();
    }
    drainBatch();
    addBatch(yTrue, yPred, weight, count);
  }

  /** Scalar rows have the row shape of a general-path number row, (1,), noted once. */
  private void noteScalarRow() {
    if (!scalarRowNoted) {
      rowShape.noteVector(1, loss.spec().className(), "y_pred");
      scalarRowNoted = true;
    }
  }

  private void addBatch(float[] yTrue, float[] yPred, float[] weight, int count) {
    if (count == 0) {
      return;
    }
    startPending();
    if (batchValues == null) {
      batchValues = new float[BATCH];
    }
    float[] v = batchValues;
    loss.scalarRowValues(yTrue, yPred, count, v, numerics);
    if (weight != null) {
      for (int i = 0; i < count; i++) {
        v[i] *= weight[i];
      }
      pendingWeights.addAll(weight, count);
      pendingWeighted = true;
    }
    pendingValues.addAll(v, count);
    pendingRows += count;
  }

  void add(SampleWeighting.Weighted weighted) {
    weighted.addTo(accumulator);
  }

  @Override
  public void merge(LossAggregation other) {
    PerSampleAggregation o = (PerSampleAggregation) other;
    if (!loss.mergesWith(o.loss)) {
      throw loss.cannotMerge(o.loss);
    }
    flush();
    rowShape.merge(o.rowShape, loss.spec().className(), "y_pred");
    accumulator.merge(o.accumulator());
  }

  /** The underlying sums and counts (for summaries). */
  public LossAccumulator accumulator() {
    flush();
    return accumulator;
  }

  @Override
  public double result() {
    return result(loss.reduction());
  }

  @Override
  public double result(Reduction reduction) {
    flush();
    return loss.numerics().r(accumulator.result(reduction));
  }

  /** Kind byte, then {@link LossAccumulator#toBytes()} and {@link RowShape#toBytes()}. */
  @Override
  public byte[] toBytes() {
    flush();
    return StateBytes.writer(StateBytes.PER_SAMPLE).putBlock(accumulator.toBytes()).putBlock(rowShape.toBytes())
        .toBytes();
  }

  /** Restores {@link #toBytes()} for {@code loss}. */
  static PerSampleAggregation fromBytes(Loss loss, byte[] bytes) {
    String what = loss.spec().className() + " aggregation";
    StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.PER_SAMPLE, what);
    PerSampleAggregation agg = new PerSampleAggregation(loss);
    agg.accumulator.merge(accumulator(r.getBlock(), what));
    agg.rowShape.merge(rowShape(r.getBlock(), what), what, "y_pred");
    r.end();
    return agg;
  }

  /** {@link RowShape#fromBytes}, its errors prefixed with the state being restored. */
  static RowShape rowShape(byte[] bytes, String what) {
    try {
      return RowShape.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }

  /** {@link LossAccumulator#fromBytes}, its errors prefixed with the state being restored. */
  static LossAccumulator accumulator(byte[] bytes, String what) {
    try {
      return LossAccumulator.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }
}
