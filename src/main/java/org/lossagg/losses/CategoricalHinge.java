package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CategoricalHinge}: {@code max(neg - pos + 1, 0)} with {@code pos = sum_{-1} y_true * y_pred}
 * and {@code neg = max_{-1} (1 - y_true) * y_pred}; labels are used as given (no 0/1 conversion). No
 * options beyond {@code reduction}, {@code name} (default {@code categorical_hinge}) and
 * {@code dtype}. tf.keras 2.x computes the same formula.
 *
 * <pre>{@code
 * Loss categoricalHinge = CategoricalHinge.builder().build();
 * categoricalHinge.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *                       NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));   // 1.4000001
 * }</pre>
 */
public final class CategoricalHinge extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CategoricalHinge", "categorical_hinge")
      .formula("max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last axis")
      .sqlExample("SELECT loss_categorical_hinge(array(0, 1, 0), array(0.3, 0.6, 0.1));",
          "0.7")
      .factory(CategoricalHinge::new);

  private CategoricalHinge(LossOptions options) {
    super(options);
  }

  public static Builder<?, CategoricalHinge> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    if (!yTrue.sameShape(yPred)) {
      throw new IllegalArgumentException("CategoricalHinge: y_true and y_pred must have the same shape, got "
          + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()));
    }
    if (yPred.rank() == 0) {
      throw new IllegalArgumentException("CategoricalHinge: inputs must have a class axis, got scalars");
    }
    return PerSample.of(Lanes.reduce(yTrue, yPred, -1, (t, p, off, stride, len) -> {
      double pos = 0.0;
      double neg = Double.NEGATIVE_INFINITY;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        pos = n.add(pos, n.mul(t[i], p[i]));
        neg = Math.max(neg, n.mul(n.sub(1.0, t[i]), p[i]));
      }
      return Math.max(n.add(n.sub(neg, pos), 1.0), 0.0);
    }));
  }
}
