package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Input checks and label smoothing shared by the losses that reduce over one axis of y_pred
 * (CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy,
 * KLDivergence). Every message names the loss, the input or option, and what is allowed.
 */
final class AxisInputs {
  private AxisInputs() {}

  /** Rejects inputs whose shapes differ (Keras' ValueError) or that are scalars. */
  static void requireSameShape(LossSpec spec, NdArray yTrue, NdArray yPred) {
    if (!yTrue.sameShape(yPred)) {
      throw new IllegalArgumentException(spec.className() + ": y_true and y_pred must have the same shape, got "
          + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()));
    }
    requireRankAtLeastOne(spec, yPred);
  }

  static void requireRankAtLeastOne(LossSpec spec, NdArray yPred) {
    if (yPred.rank() == 0) {
      throw new IllegalArgumentException(spec.className()
          + ": inputs must have at least one axis, got scalars (shape [])");
    }
  }

  /** {@code axis} normalised against y_pred's rank, or an exception naming the option and the range. */
  static int normalizeAxis(LossSpec spec, int axis, NdArray yPred) {
    int rank = yPred.rank();
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(spec.className() + ": option 'axis' got " + axis
          + ", out of range for y_pred of shape " + Arrays.toString(yPred.shape())
          + "; allowed: " + (-rank) + ".." + (rank - 1));
    }
    return axis < 0 ? axis + rank : axis;
  }

  /**
   * Categorical label smoothing {@code y' = y(1-ls) + ls/C}. The development line (3.16) takes C
   * from y_pred's class axis; Keras 3.15.x and tf.keras 2.x from y_true's last axis, whatever
   * {@code axis} is (the same count unless {@code axis} is not the last). The
   * division {@code ls/C} happens in the compute dtype. tf.keras 2.x converts {@code ls} to a
   * tensor before {@code 1 - ls}; Keras 3 subtracts in Python (double) and rounds once.
   */
  record Smoothing(double scale, double offset, boolean active) {
    static Smoothing categorical(double ls, NdArray yTrue, NdArray yPred, int axis, Numerics n, KerasVersion version) {
      if (ls == 0.0) {
        return new Smoothing(1.0, 0.0, false);
      }
      return ofClasses(ls, version.developmentLine() ? yPred.dim(axis) : yTrue.dim(-1), n);
    }

    /** {@link #categorical} over {@code classes} classes (both Keras lines agree on a 1-D row's width). */
    static Smoothing ofClasses(double ls, int classes, Numerics n) {
      if (ls == 0.0) {
        return new Smoothing(1.0, 0.0, false);
      }
      double scale = n.keras2() ? n.sub(1.0, n.r(ls)) : n.r(1.0 - ls);
      return new Smoothing(scale, n.div(n.r(ls), classes), true);
    }

    double apply(double y, Numerics n) {
      return active ? n.add(n.mul(y, scale), offset) : y;
    }
  }
}
