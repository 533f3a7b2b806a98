package org.lossagg.losses;

import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.SampleWeighting;

/** The aggregation of a loss whose batch value is a weighted sum of per-sample terms. */
public final class PerSampleAggregation implements LossAggregation {
  private final Loss loss;
  private final LossAccumulator accumulator = new LossAccumulator();
  private final Numerics numerics;

  public PerSampleAggregation(Loss loss) {
    this.loss = loss;
    this.numerics = loss.numerics();
  }

  @Override
  public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
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
    Numerics n = numerics;
    accumulator.addValue(loss.scalarRowValue(n.r(yTrue), n.r(yPred), n));
  }

  /**
   * Adds one row with a single-number sample weight, exactly as {@code add((1, 1) y_true, (1, 1)
   * y_pred, (1,) weight, null)} does: the weight rounded to the dtype multiplies the value, and
   * counts in the weight sum.
   */
  public void addScalarRow(double yTrue, double yPred, double sampleWeight) {
    Numerics n = numerics;
    double w = n.r(sampleWeight);
    accumulator.addValue(n.mul(loss.scalarRowValue(n.r(yTrue), n.r(yPred), n), w));
    accumulator.markWeighted();
    accumulator.addWeight(w);
  }

  void add(SampleWeighting.Weighted weighted) {
    weighted.addTo(accumulator);
  }

  @Override
  public void merge(LossAggregation other) {
    accumulator.merge(((PerSampleAggregation) other).accumulator);
  }

  /** The underlying sums and counts (for summaries). */
  public LossAccumulator accumulator() {
    return accumulator;
  }

  @Override
  public double result() {
    return loss.numerics().r(accumulator.result(loss.reduction()));
  }

  /** Kind byte, then {@link LossAccumulator#toBytes()}. */
  @Override
  public byte[] toBytes() {
    return StateBytes.writer(StateBytes.PER_SAMPLE).putBlock(accumulator.toBytes()).toBytes();
  }

  /** Restores {@link #toBytes()} for {@code loss}. */
  static PerSampleAggregation fromBytes(Loss loss, byte[] bytes) {
    String what = loss.spec().className() + " aggregation";
    StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.PER_SAMPLE, what);
    PerSampleAggregation agg = new PerSampleAggregation(loss);
    agg.accumulator.merge(accumulator(r.getBlock(), what));
    r.end();
    return agg;
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
