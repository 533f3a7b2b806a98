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

/**
 * The aggregation of a loss whose batch value is a weighted sum of per-sample terms. Rows of one
 * sample may also enter through the loss' {@link RowKernel}: float32 scalar rows as whole batches
 * ({@link #addFloat32Batch}), other scalar rows one at a time ({@link #addScalarRow}), float32
 * vector rows one at a time ({@link #addVectorRow}); each gives the state the general {@link #add}
 * gives for the same rows.
 */
public final class PerSampleAggregation implements LossAggregation {
  private final Loss loss;
  private final LossAccumulator accumulator = new LossAccumulator();
  /** The y_pred row shape of the chunks and vector rows added (scalar rows come from number columns). */
  private final RowShape rowShape = new RowShape();
  /** Whether a scalar row (Keras shape (1, 1): row shape (1,)) has been noted in {@link #rowShape}. */
  private boolean scalarRowNoted;
  private final Numerics numerics;
  /**
   * Float32 kernel rows collect here first: their values and rounded weights are float32 values,
   * which {@link Float32Sum} adds exactly and more cheaply than ExactSum. Every read of the state
   * moves them into the accumulator first ({@link #flush}).
   */
  private Float32Sum pendingValues;
  private Float32Sum pendingWeights;
  private long pendingRows;
  private boolean pendingWeighted;
  private float[] batchValues;
  private RowKernel kernel;

  public PerSampleAggregation(Loss loss) {
    this.loss = loss;
    this.numerics = loss.numerics();
  }

  private RowKernel kernel() {
    RowKernel k = kernel;
    if (k == null) {
      k = loss.rowKernel().orElseThrow(
          () -> new IllegalStateException(loss.spec().className() + " " + loss.getConfig() + " has no row kernel"));
      kernel = k;
    }
    return k;
  }

  private void flush() {
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
   * Adds one row whose y_pred is the first {@code width} values of {@code yPred} and whose y_true is
   * as many values of {@code yTrue} (or its first, see {@link RowKernel.Vector#scalarTrue}), float32
   * values, exactly as {@code add((1, width) y_true, (1, width) y_pred, weight, null)} does;
   * {@code weighted} false for no weight. False (nothing added) for a row the kernel does not take.
   * Only for a loss whose kernel has {@link RowKernel#vectorRows()}.
   */
  public boolean addVectorRow(float[] yTrue, float[] yPred, int width, boolean weighted, double sampleWeight) {
    RowKernel.Vector v = kernel().vectorRows().orElseThrow(
        () -> new IllegalStateException(loss.spec().className() + " has no float32 vector-row kernel"));
    if (!v.takes(yTrue, width)) {
      return false;
    }
    rowShape.noteVector(width, loss.spec().className(), "y_pred");
    float value = v.value(yTrue, yPred, width, numerics);
    startPending();
    if (weighted) {
      float w = (float) sampleWeight;
      pendingValues.add(value * w);
      pendingWeights.add(w);
      pendingWeighted = true;
    } else {
      pendingValues.add(value);
    }
    pendingRows++;
    return true;
  }

  /** Scalar rows have the row shape of a general-path number row, (1,), noted once. */
  private void noteScalarRow() {
    if (!scalarRowNoted) {
      rowShape.noteVector(1, loss.spec().className(), "y_pred");
      scalarRowNoted = true;
    }
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
   * Adds one row whose y_true and y_pred are single numbers, exactly as {@code add((1, 1) y_true,
   * (1, 1) y_pred, weight, null)} does, without arrays; {@code weighted} false for no weight (then
   * {@code sampleWeight} is ignored). With a weight, the weight rounded to the dtype multiplies the
   * value and counts in the weight sum. For losses whose kernel takes scalar rows but does not
   * {@link RowKernel#batchesFloat32Rows batch them} (float32 ones go through {@link #addFloat32Batch}).
   */
  public void addScalarRow(double yTrue, double yPred, boolean weighted, double sampleWeight) {
    noteScalarRow();
    RowKernel k = kernel();
    if (k.batchesFloat32Rows()) {
      throw new IllegalStateException(loss.spec().className() + ": float32 scalar rows enter as float32 batches");
    }
    Numerics n = numerics;
    double v = k.scalarValue(n.r(yTrue), n.r(yPred), n);
    if (weighted) {
      double w = n.r(sampleWeight);
      accumulator.addValue(n.mul(v, w));
      accumulator.markWeighted();
      accumulator.addWeight(w);
    } else {
      accumulator.addValue(v);
    }
  }

  /**
   * Adds one row whose per-sample value was already computed: {@code value} is the loss' functional
   * form on the row in the loss dtype (its {@code reduction=None} output, what the per-row function
   * gives for y_pred in that dtype), {@code width} the length of a 1-D y_pred row, 0 for a number.
   * The state is the one {@link #addScalarRow}, {@link #addVectorRow} or {@link #add} gives for the
   * row that value came from: a weight rounded to the dtype multiplies the value in the dtype and
   * counts in the weight sum; {@code weighted} false for no weight.
   */
  public void addRowValue(double value, int width, boolean weighted, double sampleWeight) {
    if (width == 0) {
      noteScalarRow();
    } else {
      rowShape.noteVector(width, loss.spec().className(), "y_pred");
    }
    Numerics n = numerics;
    if (n.dtype() == DType.FLOAT32) {
      // Float32 values and products are what the kernel paths put in the pending sums.
      startPending();
      float v = (float) value;
      if (weighted) {
        float w = (float) sampleWeight;
        pendingValues.add(v * w);
        pendingWeights.add(w);
        pendingWeighted = true;
      } else {
        pendingValues.add(v);
      }
      pendingRows++;
    } else if (weighted) {
      double w = n.r(sampleWeight);
      accumulator.addValue(n.mul(value, w));
      accumulator.markWeighted();
      accumulator.addWeight(w);
    } else {
      accumulator.addValue(value);
    }
  }

  /**
   * Adds the first {@code count} rows of float32 values (the rows' y_true, y_pred and weights rounded
   * to float32; a long or double goes through double first), exactly as {@link #add} of each as a
   * (1, 1) batch does; {@code weight} null for unweighted rows. Only for a loss whose kernel
   * {@link RowKernel#batchesFloat32Rows batches float32 rows}. The arrays are read, not kept.
   */
  public void addFloat32Batch(float[] yTrue, float[] yPred, float[] weight, int count) {
    RowKernel k = kernel();
    if (!k.batchesFloat32Rows()) {
      throw new IllegalStateException(loss.spec().className() + ": float32 batches need a float32 loss with a "
          + "scalar-row kernel");
    }
    if (count > 0) {
      noteScalarRow();
    }
    if (count <= 0) {
      return;
    }
    startPending();
    if (batchValues == null || batchValues.length < count) {
      batchValues = new float[Math.max(count, 512)];
    }
    float[] v = batchValues;
    k.weightedFloat32Values(yTrue, yPred, weight, count, v);
    if (weight != null) {
      pendingWeights.addAll(weight, count);
      pendingWeighted = true;
    }
    pendingValues.addAll(v, count);
    pendingRows += count;
  }

  /**
   * The pending sum that float32 rows' values enter, for a batch shared by several states that adds
   * each row's value (from {@link RowKernel#weightedFloat32Values}) to its state's sum itself
   * ({@code weighted}: and the weight to {@link #float32WeightSum}), then counts the rows
   * ({@link #countFloat32Rows}): what {@link #addFloat32Batch} does after computing the values. Call it
   * before the first such row and again after anything reads the state.
   */
  public Float32Sum float32ValueSum(boolean weighted) {
    noteScalarRow();
    startPending();
    if (weighted) {
      pendingWeighted = true;
    }
    return pendingValues;
  }

  /** See {@link #float32ValueSum}. */
  public Float32Sum float32WeightSum() {
    startPending();
    return pendingWeights;
  }

  /** Counts {@code count} rows whose values went into {@link #float32ValueSum}. */
  public void countFloat32Rows(int count) {
    pendingRows += count;
  }

  void add(SampleWeighting.Weighted weighted) {
    weighted.addTo(accumulator);
  }

  @Override
  public void merge(LossAggregation other) {
    PerSampleAggregation o = MergeCheck.sameLoss(loss, PerSampleAggregation.class, other, a -> a.loss);
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

  @Override
  public String toString() {
    return "PerSampleAggregation[" + loss + "]";
  }

  /** Restores {@link #toBytes()} for {@code loss}. */
  static PerSampleAggregation fromBytes(Loss loss, byte[] bytes) {
    String what = loss.spec().className() + " aggregation";
    StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.PER_SAMPLE, what);
    PerSampleAggregation agg = new PerSampleAggregation(loss);
    agg.accumulator.merge(accumulator(r.getBlock(), what));
    if (r.hasMore()) { // states written before lossagg kept the row shape end here
      agg.rowShape.merge(rowShape(r.getBlock(), what), what, "y_pred");
    }
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
