package org.lossagg.numerics;

/**
 * Keras' {@code squeeze_or_expand_to_same_rank}, used for (y_true, y_pred), (values, sample_weight)
 * and (mask, sample_weight): when the ranks differ by one and the higher-rank array's last axis is 1,
 * Keras 3 squeezes that axis, or expands the other array when it is rank 1. tf.keras 2.x only squeezes.
 * Any other difference is left to broadcasting.
 */
public final class RankAlignment {
  private RankAlignment() {}

  /** The aligned pair. */
  public record Pair(NdArray first, NdArray second) {}

  /** Keras 3 rule. */
  public static Pair keras3(NdArray a, NdArray b) {
    int ra = a.rank();
    int rb = b.rank();
    if (ra == rb + 1 && a.dim(-1) == 1) {
      return rb == 1 ? new Pair(a, b.expandDims(-1)) : new Pair(a.squeeze(-1), b);
    }
    if (rb == ra + 1 && b.dim(-1) == 1) {
      return ra == 1 ? new Pair(a.expandDims(-1), b) : new Pair(a, b.squeeze(-1));
    }
    return new Pair(a, b);
  }

  /** tf.keras 2.x rule for y_true/y_pred ({@code squeeze_or_expand_dimensions} without weights). */
  public static Pair keras2Squeeze(NdArray a, NdArray b) {
    if (a.rank() == b.rank() + 1 && a.dim(-1) == 1) {
      return new Pair(a.squeeze(-1), b);
    }
    if (b.rank() == a.rank() + 1 && b.dim(-1) == 1) {
      return new Pair(a, b.squeeze(-1));
    }
    return new Pair(a, b);
  }

  /**
   * tf.keras 2.x rule for (losses, sample_weight): weights one rank higher lose their last axis,
   * weights one rank lower gain one, so (B,) weights against (B,T) losses weight whole samples.
   */
  public static NdArray keras2Weights(NdArray losses, NdArray weights) {
    if (weights.rank() == 0) {
      return weights;
    }
    if (weights.rank() == losses.rank() + 1) {
      return weights.reshape(NdArray.dropAxis(weights.shape(), weights.rank() - 1));
    }
    if (losses.rank() == weights.rank() + 1) {
      return weights.expandDims(-1);
    }
    return weights;
  }
}
