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
}
