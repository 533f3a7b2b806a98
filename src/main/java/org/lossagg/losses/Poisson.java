package org.lossagg.losses;

import org.lossagg.numerics.Numerics;

/**
 * Keras {@code Poisson}: {@code mean_{-1}(y_pred - y_true * log(y_pred + eps))}.
 *
 * <p>y_pred is not clipped, so a negative prediction gives NaN, as in Keras. The output drops the
 * last axis. No options beyond reduction, name and dtype; tf.keras 2.x computes the same formula.
 *
 * <pre>{@code
 * Loss poisson = Poisson.builder().build();
 * poisson.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *              NdArray.matrix(new double[][] {{1, 1}, {0, 0}}));  // 0.49999997 (float32)
 * }</pre>
 */
public final class Poisson extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("Poisson", "poisson")
      .formula("mean(y_pred - y_true log(y_pred + eps)) over the last axis")
      .sqlExample("SELECT loss_poisson(array(1, 0), array(0.8, 0.3));",
          "0.6615717131571088")
      .factory(Poisson::new);

  private Poisson(LossOptions options) {
    super(options);
  }

  public static Builder<?, Poisson> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    return n.sub(p, n.mul(t, n.log(n.add(p, n.eps))));
  }
}
