package org.lossagg.losses;

import java.util.function.Function;

/** The check every {@link LossAggregation#merge} makes first: the other state is of the same loss and options. */
final class MergeCheck {
  private MergeCheck() {}

  /**
   * {@code other} as a state of {@code type} whose loss ({@code lossOf}) merges with {@code loss}
   * ({@link Loss#mergesWith}: same class, options, dtype and Keras version); otherwise an
   * IllegalArgumentException naming both.
   */
  static <A extends LossAggregation> A sameLoss(Loss loss, Class<A> type, LossAggregation other, Function<A, Loss> lossOf) {
    if (!type.isInstance(other)) {
      throw new IllegalArgumentException(loss.spec().className() + ": can only merge an aggregation of " + loss
          + " (dtype " + loss.dtype().kerasName() + ", keras_version " + loss.kerasVersion() + "), got " + other);
    }
    A o = type.cast(other);
    Loss theirs = lossOf.apply(o);
    if (!loss.mergesWith(theirs)) {
      throw loss.cannotMerge(theirs);
    }
    return o;
  }
}
