package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code LogCosh}: with {@code x = y_pred - y_true}, the mean over the last axis of
 * {@code log(cosh(x))}, computed in the overflow-free form {@code x + softplus(-2x) - log(2)}
 * (x = 50 gives 49.306854, not infinity). No options beyond {@code reduction}, {@code name} (default
 * {@code log_cosh}) and {@code dtype}; the functional form aligns ranks itself. tf.keras 2.x computes
 * the same formula and also knows it as {@code logcosh}.
 *
 * <pre>{@code
 * Loss logCosh = LogCosh.builder().build();
 * logCosh.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *              NdArray.matrix(new double[][] {{1, 1}, {0, 0}}));   // 0.1084452
 * }</pre>
 */
public final class LogCosh extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("LogCosh", "log_cosh")
      // 'logcosh' is tf.keras 2.x's alias (keras.losses.logcosh); Keras 3 keeps it as keras._legacy.losses.logcosh.
      .aliases("logcosh")
      .formula("mean(x + softplus(-2x) - log(2)) over the last axis, x = y_pred - y_true")
      .sqlExample("SELECT loss_log_cosh(array(0, 1), array(0.6, 3));",
          "0.747569015163321")
      .factory(LogCosh::new);

  /**
   * Keras computes {@code ops.log(2.0)} on a float32 tensor and then converts it to y_pred's dtype,
   * so even a float64 computation subtracts float32(log 2) = 0.6931472.
   */
  private static final double LOG2 = DType.FLOAT32.round(Math.log(2.0));

  private LogCosh(LossOptions options) {
    super(options);
  }

  public static Builder<?, LogCosh> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    double x = n.sub(p, t);
    return n.sub(n.add(x, n.softplus(n.mul(x, -2.0))), LOG2);
  }
}
