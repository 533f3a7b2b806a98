package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code MeanSquaredLogarithmicError}:
 * {@code mean_{-1}((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2)}. Negative values and
 * zeros are floored at eps, not at 0. No options beyond {@code reduction}, {@code name} (default
 * {@code mean_squared_logarithmic_error}) and {@code dtype}; the functional form aligns ranks itself.
 *
 * <pre>{@code
 * Loss msle = MeanSquaredLogarithmicError.builder().build();
 * msle.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *           NdArray.matrix(new double[][] {{1, 1}, {1, 0}}));   // 0.24022643
 * }</pre>
 */
public final class MeanSquaredLogarithmicError extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error")
      .aliases("msle", "MSLE")
      .formula("mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2) over the last axis")
      .sqlExample("SELECT loss_mean_squared_logarithmic_error(array(2, 4), array(1, 3));",
          "0.10709749919314143")
      .factory(MeanSquaredLogarithmicError::new);

  /**
   * Keras 3 builds this epsilon with {@code ops.convert_to_tensor(backend.epsilon())}, i.e. as a
   * float32 tensor whatever y_pred's dtype, so a float64 computation floors at float32(1e-7).
   */
  private static final double EPS_KERAS3 = DType.FLOAT32.round(Numerics.EPSILON);

  private MeanSquaredLogarithmicError(LossOptions options) {
    super(options);
  }

  public static Builder<?, MeanSquaredLogarithmicError> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    // tf.keras 2.x: backend.maximum(x, epsilon()) converts the Python 1e-7 to x's dtype.
    double eps = n.keras2() ? n.eps : EPS_KERAS3;
    double a = n.log(n.add(Math.max(p, eps), 1.0));
    double b = n.log(n.add(Math.max(t, eps), 1.0));
    double d = n.sub(a, b);
    return n.mul(d, d);
  }
}
