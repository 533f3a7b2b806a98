package org.lossagg.losses;

import org.lossagg.numerics.Numerics;

/**
 * Keras {@code MeanAbsoluteError}: {@code mean_{-1}|y_true - y_pred|}. No options beyond
 * {@code reduction}, {@code name} (default {@code mean_absolute_error}) and {@code dtype}; the
 * functional form aligns ranks itself. tf.keras 2.x computes the same formula.
 *
 * <pre>{@code
 * Loss mae = MeanAbsoluteError.builder().build();
 * mae.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *          NdArray.matrix(new double[][] {{1, 1}, {1, 0}}));   // 0.5
 * }</pre>
 */
public final class MeanAbsoluteError extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("MeanAbsoluteError", "mean_absolute_error")
      .aliases("mae", "MAE")
      .formula("mean(|y_true - y_pred|) over the last axis")
      .sqlExample("SELECT loss_mean_absolute_error(array(0, 1), array(1, 3));",
          "1.5")
      .factory(MeanAbsoluteError::new);

  private MeanAbsoluteError(LossOptions options) {
    super(options);
  }

  public static Builder<?, MeanAbsoluteError> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    return Math.abs(n.sub(t, p));
  }
}
