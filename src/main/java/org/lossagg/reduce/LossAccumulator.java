package org.lossagg.reduce;

/**
 * The mergeable state of a Keras loss reduction: the exact weighted loss sum, the element count of
 * the weighted values, the count of masked elements, and the exact sum of the (aligned, mask-folded)
 * weights. Partial states from any split of a table, merged in any order, give bit-identical
 * results; the division happens once, in {@link #result}.
 *
 * <p>Divisors follow Keras 3 {@code reduce_values}: sum_over_batch_size and mean divide by the
 * number of unmasked elements; mean_with_sample_weight by the weight sum when weights or a mask were
 * given, else by the element count; a zero divisor gives 0 ({@code divide_no_nan}).
 */
public final class LossAccumulator {
  private final ExactSum weightedSum = new ExactSum();
  private final ExactSum weightSum = new ExactSum();
  private long elementCount;
  private long maskedCount;
  private boolean weighted;

  /** One unmasked element of the weighted values (already multiplied by its weight). */
  public void addValue(double weightedValue) {
    weightedSum.add(weightedValue);
    elementCount++;
  }

  /** One masked element: counted in the batch size, left out of the sum and the valid count. */
  public void addMasked() {
    elementCount++;
    maskedCount++;
  }

  /** One element of the weight tensor (mask folded in), for mean_with_sample_weight. */
  public void addWeight(double weight) {
    weightSum.add(weight);
    weighted = true;
  }

  /** Marks this state as weighted without adding weight (a batch whose weight tensor is empty). */
  public void markWeighted() {
    weighted = true;
  }

  public void merge(LossAccumulator o) {
    weightedSum.merge(o.weightedSum);
    weightSum.merge(o.weightSum);
    elementCount += o.elementCount;
    maskedCount += o.maskedCount;
    weighted |= o.weighted;
  }

  /** Σ w·v over unmasked elements, correctly rounded to double. */
  public double weightedSum() {
    return weightedSum.doubleValue();
  }

  public long elementCount() {
    return elementCount;
  }

  public long maskedCount() {
    return maskedCount;
  }

  public long validCount() {
    return elementCount - maskedCount;
  }

  public double weightSum() {
    return weightSum.doubleValue();
  }

  /** Whether sample weights or a mask were seen (mean_with_sample_weight then divides by the weight sum). */
  public boolean weighted() {
    return weighted;
  }

  /** The reduced value (in double; callers round to the loss dtype). */
  public double result(Reduction reduction) {
    double sum = weightedSum.doubleValue();
    switch (reduction) {
      case SUM:
        return sum;
      case SUM_OVER_BATCH_SIZE:
      case AUTO:
      case MEAN:
        return divideNoNan(sum, validCount());
      case MEAN_WITH_SAMPLE_WEIGHT:
        return weighted ? divideNoNan(sum, weightSum.doubleValue()) : divideNoNan(sum, elementCount);
      default:
        throw new IllegalArgumentException(
            "reduction: 'none' keeps per-sample values and has no reduced result; use sum, sum_over_batch_size, mean or mean_with_sample_weight");
    }
  }

  private static double divideNoNan(double a, double b) {
    return b == 0.0 ? 0.0 : a / b;
  }

  public LossAccumulator copy() {
    LossAccumulator c = new LossAccumulator();
    c.merge(this);
    return c;
  }
}
