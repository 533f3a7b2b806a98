package org.lossagg.reduce;

import java.util.Arrays;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.numerics.RankAlignment;

/**
 * Folds sample weights and masks into per-sample loss values the way Keras'
 * {@code reduce_weighted_values} does, and feeds the result to a {@link LossAccumulator}.
 *
 * <p>Keras 3: the mask (input mask AND loss output mask) becomes a 0/1 weight, aligned against and
 * multiplied into the sample weights; the weights are aligned against and multiplied into the values.
 * Masked elements are counted so the mean divides by the valid count (Keras scales valid entries by
 * {@code total/valid}, which is the same quotient). tf.keras 2.x: weights are aligned with
 * {@code squeeze_or_expand_dimensions}, and an input mask is a plain 0/1 multiplier whose masked
 * timesteps still count in the divisor.
 */
public final class SampleWeighting {
  private SampleWeighting() {}

  /**
   * The weighted values V (masked entries 0), the matching 0/1 validity of each element of V (null
   * when nothing is masked), and the weight tensor W (mask folded in; null without weights and mask).
   */
  public record Weighted(NdArray values, NdArray valid, NdArray weights) {
    /** Adds every element of V, and W, to the accumulator. */
    public void addTo(LossAccumulator acc) {
      double[] v = values.data();
      if (valid == null) {
        for (double x : v) {
          acc.addValue(x);
        }
      } else {
        double[] m = valid.data();
        for (int i = 0; i < v.length; i++) {
          if (m[i] != 0.0) {
            acc.addValue(v[i]);
          } else {
            acc.addMasked();
          }
        }
      }
      if (weights != null) {
        acc.markWeighted();
        for (double w : weights.data()) {
          acc.addWeight(w);
        }
      }
    }
  }

  /**
   * Applies weights and masks.
   *
   * @param values per-sample loss values, in the compute dtype
   * @param sampleWeight null, a scalar, or any array Keras accepts after alignment
   * @param inputMask null or a 0/1 array (Keras mask on y_pred)
   * @param outputMask null or a 0/1 array produced by the loss (ignore_class, Circle)
   */
  public static Weighted apply(NdArray values, NdArray sampleWeight, NdArray inputMask, NdArray outputMask, Numerics n) {
    NdArray sw = sampleWeight == null ? null : sampleWeight.map(n::r);
    NdArray countedMask;
    if (n.keras2()) {
      if (inputMask != null) {
        sw = sw == null ? inputMask : foldMask(inputMask, sw, n, false);
      }
      countedMask = outputMask;
      if (sw != null) {
        sw = RankAlignment.keras2Weights(values, sw);
      }
    } else {
      countedMask = andMasks(inputMask, outputMask);
    }
    NdArray maskForV = null;
    if (countedMask != null) {
      if (sw == null) {
        sw = countedMask;
        maskForV = countedMask;
      } else {
        RankAlignment.Pair p = RankAlignment.keras3(countedMask, sw);
        NdArray m = p.first();
        NdArray w = p.second();
        sw = NdArray.broadcast(m, w, (a, b) -> n.r(a * b));
        maskForV = NdArray.broadcast(m, w, (a, b) -> a);
      }
    }
    if (sw == null) {
      return new Weighted(values, null, null);
    }
    NdArray v = values;
    NdArray w = sw;
    NdArray m = maskForV;
    if (!n.keras2()) {
      RankAlignment.Pair p = RankAlignment.keras3(values, sw);
      v = p.first();
      w = p.second();
      if (m != null) {
        m = RankAlignment.keras3(values, m).second();
      }
    }
    NdArray weighted;
    try {
      weighted = NdArray.broadcast(v, w, (a, b) -> n.r(a * b));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sample_weight of shape " + Arrays.toString(sampleWeight == null ? w.shape() : sampleWeight.shape())
          + " cannot weight per-sample losses of shape " + Arrays.toString(values.shape())
          + ": give one weight per sample, per element of the per-sample losses, or a scalar (" + e.getMessage() + ")", e);
    }
    NdArray valid = m == null ? null : NdArray.broadcast(v, m, (a, b) -> b);
    return new Weighted(weighted, valid, sw);
  }

  private static NdArray foldMask(NdArray mask, NdArray sw, Numerics n, boolean align) {
    NdArray m = mask;
    NdArray w = sw;
    if (align) {
      RankAlignment.Pair p = RankAlignment.keras3(mask, sw);
      m = p.first();
      w = p.second();
    }
    return NdArray.broadcast(m, w, (a, b) -> n.r(a * b));
  }

  private static NdArray andMasks(NdArray a, NdArray b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return NdArray.broadcast(a, b, (x, y) -> (x != 0.0 && y != 0.0) ? 1.0 : 0.0);
  }
}
