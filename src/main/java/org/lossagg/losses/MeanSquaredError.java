package org.lossagg.losses;

import org.lossagg.numerics.Numerics;

/**
 * {@code mean_{-1}((y_true - y_pred)^2)} — Keras {@code MeanSquaredError}.
 *
 * <pre>{@code
 * Loss mse = MeanSquaredError.builder().build();
 * NdArray yTrue = NdArray.matrix(new double[][] {{0, 1}, {0, 0}});
 * NdArray yPred = NdArray.matrix(new double[][] {{1, 1}, {1, 0}});
 * mse.call(yTrue, yPred);                             // 0.5
 * mse.call(yTrue, yPred, NdArray.vector(0.7, 0.3));   // 0.25
 * MeanSquaredError.builder().reduction(Reduction.NONE).build().call(yTrue, yPred);   // [0.5, 0.5]
 * }</pre>
 */
public final class MeanSquaredError extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("MeanSquaredError", "mean_squared_error")
      .aliases("mse", "MSE")
      .formula("mean((y_true - y_pred)^2) over the last axis")
      .sqlExample("SELECT loss_mean_squared_error(array(0, 1), array(1, 3));",
          "2.5")
      .sqlExample("SELECT loss_mean_squared_error(1, 3);",
          "4.0")
      .sqlExample("SELECT loss_mean_squared_error(array(array(0, 0), array(1, 1)), array(array(1, 1), array(1, 3)));",
          "[1.0,2.0]")
      .factory(MeanSquaredError::new);

  private MeanSquaredError(LossOptions options) {
    super(options);
  }

  public static Builder<?, MeanSquaredError> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    double d = n.sub(t, p);
    return n.mul(d, d);
  }
}
