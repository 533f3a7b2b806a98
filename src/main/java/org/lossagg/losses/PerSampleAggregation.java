package org.lossagg.losses;

import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.SampleWeighting;

/** The aggregation of a loss whose batch value is a weighted sum of per-sample terms. */
public final class PerSampleAggregation implements LossAggregation {
  private final Loss loss;
  private final LossAccumulator accumulator = new LossAccumulator();

  public PerSampleAggregation(Loss loss) {
    this.loss = loss;
  }

  @Override
  public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    add(loss.weigh(yTrue, yPred, sampleWeight, mask));
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
