package org.lossagg.reduce;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The mergeable state of a Keras loss reduction: the exact weighted loss sum, the element count of
 * the weighted values, the count of masked elements, and the exact sum of the (aligned, mask-folded)
 * weights. Partial states from any split of a table, merged in any order, give bit-identical
 * results; the division happens once, in {@link #result}.
 *
 * <p>Divisors follow Keras 3 {@code reduce_values}: sum_over_batch_size and mean divide by the
 * number of unmasked elements; mean_with_sample_weight by the weight sum when weights or a mask were
 * given, else by the unmasked element count; a zero divisor gives 0 ({@code divide_no_nan}).
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

  /**
   * One row of per-row loss values ({@code loss_reduce}'s input) without sample weights, taken as
   * Keras takes a batch of one: each element of {@code values} whose {@code valid} entry is 0 is
   * masked (counted in the batch size, left out of the sum and the valid count); {@code valid} null
   * means no mask.
   */
  public void addRow(double[] values, double[] valid) {
    addRow(values, valid, false, 0.0, null);
  }

  /**
   * {@link #addRow(double[], double[])} with sample weights: {@code weights}, one per element (same
   * length), or when null {@code rowWeight} for every element. The weight sum that
   * mean_with_sample_weight divides by is Keras' {@code Σ W} for the batch of one: a row weight
   * without a mask is a scalar W and counts once; with a mask Keras broadcasts it against the mask,
   * so it counts once per unmasked element; per-element weights count per unmasked element.
   */
  public void addRow(double[] values, double[] valid, double rowWeight, double[] weights) {
    addRow(values, valid, true, rowWeight, weights);
  }

  /** A row of one loss value and its sample weight: {@code weight} multiplies it and counts once. */
  public void addWeightedValue(double value, double weight) {
    addValue(value * weight);
    addWeight(weight);
  }

  /** {@link #addValue} for {@code values[0..count)}, in one loop. */
  public void addValues(double[] values, int count) {
    weightedSum.addAll(values, count);
    elementCount += count;
  }

  /** {@link #addWeightedValue} for {@code values[i], weights[i]}, i in [0, count), in two loops. */
  public void addWeightedValues(double[] values, double[] weights, int count) {
    weightedSum.addProducts(values, weights, count);
    weightSum.addAll(weights, count);
    elementCount += count;
    weighted = true;
  }

  private void addRow(double[] values, double[] valid, boolean weighted, double rowWeight, double[] weights) {
    requireLength(values, valid, "valid");
    requireLength(values, weights, "weights");
    boolean perElement = weights != null || valid != null;
    for (int i = 0; i < values.length; i++) {
      if (valid != null && valid[i] == 0.0) {
        addMasked();
      } else if (!weighted) {
        addValue(values[i]);
      } else if (perElement) {
        addWeightedValue(values[i], weights == null ? rowWeight : weights[i]);
      } else {
        addValue(values[i] * rowWeight);
      }
    }
    if (weighted && !perElement) {
      addWeight(rowWeight);
    }
  }

  private static void requireLength(double[] values, double[] other, String what) {
    if (other != null && other.length != values.length) {
      throw new IllegalArgumentException("LossAccumulator.addRow: " + values.length + " values but " + other.length
          + " " + what + "; give one per value, or null");
    }
  }

  /**
   * Adds {@code elements} unmasked elements whose weighted values sum to {@code weightedValues},
   * and weights summing to {@code weights} (null for none): what the same {@link #addValue} and
   * {@link #addWeight} calls, one per element, would add.
   */
  public void addSums(ExactSum weightedValues, long elements, ExactSum weights) {
    weightedSum.merge(weightedValues);
    elementCount += elements;
    if (weights != null) {
      weightSum.merge(weights);
      weighted = true;
    }
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
    return divideNoNan(weightedSum.doubleValue(), divisor(reduction));
  }

  /**
   * What {@link #result} divides the weighted sum by: 1 for sum, the valid (unmasked) element count
   * for sum_over_batch_size and mean, the weight sum (or the valid count when no weights were seen)
   * for mean_with_sample_weight. A zero divisor makes the result 0 ({@code divide_no_nan}).
   */
  public double divisor(Reduction reduction) {
    switch (reduction) {
      case SUM:
        return 1.0;
      case SUM_OVER_BATCH_SIZE:
      case AUTO:
      case MEAN:
        return validCount();
      case MEAN_WITH_SAMPLE_WEIGHT:
        // Without weights Keras divides by size(V); masked elements only exist with a mask, which
        // Keras folds into the weights (Σ mask = the valid count), so the valid count is the divisor.
        return weighted ? weightSum.doubleValue() : validCount();
      default:
        throw new IllegalArgumentException(
            "reduction: 'none' keeps per-sample values and has no reduced result; use sum, sum_over_batch_size, mean or mean_with_sample_weight");
    }
  }

  /** Keras' {@code divide_no_nan}: 0 when the divisor is 0. */
  public static double divideNoNan(double a, double b) {
    return b == 0.0 ? 0.0 : a / b;
  }

  public LossAccumulator copy() {
    LossAccumulator c = new LossAccumulator();
    c.merge(this);
    return c;
  }

  private static final int FORMAT_VERSION = 1;

  /**
   * A compact encoding for aggregation buffers: version byte, weighted flag byte, element and masked
   * counts (8 bytes each), then each {@link ExactSum#toBytes()} prefixed by its 2-byte length.
   */
  public byte[] toBytes() {
    byte[] a = weightedSum.toBytes();
    byte[] b = weightSum.toBytes();
    ByteBuffer buf = ByteBuffer.allocate(2 + 16 + 2 + a.length + 2 + b.length);
    buf.put((byte) FORMAT_VERSION).put((byte) (weighted ? 1 : 0));
    buf.putLong(elementCount).putLong(maskedCount);
    buf.putShort((short) a.length).put(a);
    buf.putShort((short) b.length).put(b);
    return buf.array();
  }

  /** Decodes {@link #toBytes()}. */
  public static LossAccumulator fromBytes(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("LossAccumulator.fromBytes: null input");
    }
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int version = buf.get();
      int flags = buf.get();
      if (version != FORMAT_VERSION || (flags & ~1) != 0) {
        throw new IllegalArgumentException("LossAccumulator.fromBytes: version " + version + " / flags " + flags
            + "; supported: version " + FORMAT_VERSION + ", flags 0 or 1");
      }
      LossAccumulator acc = new LossAccumulator();
      acc.weighted = flags == 1;
      acc.elementCount = buf.getLong();
      acc.maskedCount = buf.getLong();
      if (acc.elementCount < 0 || acc.maskedCount < 0 || acc.maskedCount > acc.elementCount) {
        throw new IllegalArgumentException("LossAccumulator.fromBytes: counts element=" + acc.elementCount
            + ", masked=" + acc.maskedCount + "; need 0 <= masked <= element");
      }
      acc.weightedSum.merge(ExactSum.fromBytes(readBlock(buf)));
      acc.weightSum.merge(ExactSum.fromBytes(readBlock(buf)));
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException("LossAccumulator.fromBytes: " + buf.remaining() + " trailing bytes");
      }
      return acc;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("LossAccumulator.fromBytes: truncated input of " + bytes.length + " bytes", e);
    }
  }

  private static byte[] readBlock(ByteBuffer buf) {
    byte[] b = new byte[buf.getShort() & 0xFFFF];
    buf.get(b);
    return b;
  }

  /** Equal when every count, the weighted flag and both exact sums are equal. */
  @Override
  public boolean equals(Object obj) {
    if (this == obj) {
      return true;
    }
    if (!(obj instanceof LossAccumulator)) {
      return false;
    }
    LossAccumulator o = (LossAccumulator) obj;
    return elementCount == o.elementCount && maskedCount == o.maskedCount && weighted == o.weighted
        && weightedSum.equals(o.weightedSum) && weightSum.equals(o.weightSum);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(elementCount);
    h = 31 * h + Long.hashCode(maskedCount);
    h = 31 * h + Boolean.hashCode(weighted);
    h = 31 * h + weightedSum.hashCode();
    return 31 * h + weightSum.hashCode();
  }
}
