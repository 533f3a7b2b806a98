package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code Huber}: with {@code e = y_pred - y_true}, the mean over the last axis of
 * {@code 0.5 e^2} where {@code |e| <= delta} (the boundary takes the quadratic branch) and
 * {@code delta |e| - 0.5 delta^2} elsewhere.
 *
 * <p>Option: {@code delta} (default 1.0), the point where the loss turns from quadratic to linear;
 * it must be > 0 (Keras does not check it, and {@code delta <= 0} gives negative losses). The default {@code name} is {@code huber_loss}; the function is
 * {@code huber}. The functional form aligns ranks itself. tf.keras 2.x casts both inputs (and delta)
 * to floatx (float32) in every case, so its Huber never computes in float64.
 *
 * <pre>{@code
 * Loss huber = Huber.builder().build();
 * huber.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *            NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));   // 0.155
 * }</pre>
 */
public final class Huber extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("Huber", "huber")
      .defaultName("huber_loss")
      .option(OptionSpec.ranged("delta", 1.0, "where the loss changes from quadratic to linear", 0, false, Double.POSITIVE_INFINITY, true))
      .formula("mean(0.5 e^2 if |e| <= delta else delta |e| - 0.5 delta^2) over the last axis, e = y_pred - y_true")
      .leftOutOfReleasedConfig("delta")
      .sqlExample("SELECT loss_huber(array(0, 1), array(0.6, 3));",
          "0.84")
      .sqlExample("SELECT loss_huber(array(0, 1), array(0.6, 3), 2.5);",
          "1.09")
      .factory(Huber::new);

  private final double delta;

  private Huber(LossOptions o) {
    super(o);
    this.delta = o.number("delta");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  /** tf.keras 2.x {@code huber} casts to {@code backend.floatx()} whatever the input dtype. */
  @Override
  protected DType computeDtype() {
    return keras2() ? DType.FLOAT32 : super.computeDtype();
  }

  @Override
  protected Numerics termNumerics(Numerics n) {
    // The functional form passes y_pred's dtype; tf.keras 2.x still computes in floatx.
    return n.keras2() ? Numerics.of(DType.FLOAT32, true) : n;
  }

  @Override
  protected double term(double t, double p, Numerics n) {
    double d = n.r(delta);
    double e = n.sub(n.r(p), n.r(t));
    double ae = Math.abs(e);
    if (ae <= d) {
      return n.mul(0.5, n.mul(e, e));
    }
    return n.sub(n.mul(d, ae), n.mul(0.5, n.mul(d, d)));
  }

  /** Builder with the Huber option. */
  public static final class Builder extends Loss.Builder<Builder, Huber> {
    private Builder() {
      super(SPEC);
    }

    public Builder delta(double v) {
      return set("delta", v);
    }
  }
}
