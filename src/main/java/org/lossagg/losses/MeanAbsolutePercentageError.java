package org.lossagg.losses;

import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code MeanAbsolutePercentageError}:
 * {@code 100 * mean_{-1}|(y_true - y_pred) / max(|y_true|, eps)|}. A zero target divides by eps, so
 * each such element costs {@code |y_pred| * 1e7} (1e7 for a prediction of 1), huge but finite. No
 * options beyond {@code reduction}, {@code name} (default {@code mean_absolute_percentage_error})
 * and {@code dtype}; the functional form aligns ranks itself. tf.keras 2.x computes the same formula.
 *
 * <pre>{@code
 * Loss mape = MeanAbsolutePercentageError.builder().build();
 * mape.call(NdArray.matrix(new double[][] {{1, 2}, {4, 5}}),
 *           NdArray.matrix(new double[][] {{1.5, 2}, {3, 5}}));   // 18.75
 * }</pre>
 */
public final class MeanAbsolutePercentageError extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("MeanAbsolutePercentageError", "mean_absolute_percentage_error")
      .aliases("mape", "MAPE")
      .formula("100 * mean(|(y_true - y_pred) / max(|y_true|, eps)|) over the last axis")
      .sqlExample("SELECT loss_mean_absolute_percentage_error(array(2, 4), array(1, 3));",
          "37.5")
      .factory(MeanAbsolutePercentageError::new);

  private MeanAbsolutePercentageError(LossOptions options) {
    super(options);
  }

  public static Builder<?, MeanAbsolutePercentageError> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    return Math.abs(n.div(n.sub(t, p), Math.max(Math.abs(t), n.eps)));
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    // Keras: 100.0 * ops.mean(diff, axis=-1) -- the factor is applied to the mean, not per element.
    NdArray mean = super.perSample(yTrue, yPred, n).values();
    return PerSample.of(mean.map(v -> n.mul(100.0, v)));
  }

  @Override
  protected double rowValue(double yTrue, double yPred, Numerics n) {
    return n.mul(100.0, super.rowValue(yTrue, yPred, n));
  }
}
