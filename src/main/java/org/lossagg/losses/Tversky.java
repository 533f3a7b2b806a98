package org.lossagg.losses;

import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;

/**
 * Keras {@code Tversky}: with {@code TP = Σ ŷ·y}, {@code FP = Σ (1-y)·ŷ} and {@code FN = Σ y·(1-ŷ)}
 * over {@code axis}, the development line (keras_version "3.16") computes
 * {@code 1 - TP / (TP + alpha·FP + beta·FN + eps)}. Keras 3.15.x and the releases before it (the
 * default) swap y and ŷ, which exchanges FP and FN: {@code 1 - TP / (TP + alpha·FN + beta·FP + eps)}.
 * The two differ whenever alpha ≠ beta. With alpha = beta = 0.5 it equals {@link Dice}.
 *
 * <p>Options (Python positional order {@code alpha, beta, reduction, name, axis, dtype}):
 * <ul>
 *   <li>{@code alpha=0.5}: weight of false positives, >= 0;
 *   <li>{@code beta=0.5}: weight of false negatives, >= 0 (a negative weight can push the loss
 *       above 1 or the denominator to 0; Keras does not check them);
 *   <li>{@code axis=None}: as for {@link Dice}, null gives ONE value for the whole batch and an axis
 *       list one value per remaining index.
 * </ul>
 *
 * <pre>{@code
 * Loss tversky = Tversky.builder().alpha(0.2).beta(0.8).build();
 * tversky.call(NdArray.matrix(new double[][] {{1, 2}, {1, 2}}),
 *              NdArray.matrix(new double[][] {{4, 1}, {6, 1}}));     // -0.29629636 (Keras 3.15.x)
 * // with .kerasVersion("3.16"): -0.9444444 (the development line)
 * }</pre>
 */
public final class Tversky extends OverlapLoss {
  public static final LossSpec SPEC = LossSpec.builder("Tversky", "tversky")
      .option(OptionSpec.ranged("alpha", 0.5, "weight of false positives", 0, true, Double.POSITIVE_INFINITY, true))
      .option(OptionSpec.ranged("beta", 0.5, "weight of false negatives", 0, true, Double.POSITIVE_INFINITY, true))
      .option(OptionSpec.of("axis", OptionType.AXES, null,
          "axes summed over; None sums every axis (one value for the whole batch)"))
      .rowOutput(RowOutput.TABLE_OR_ROW)
      .formula("1 - TP / (TP + alpha*FP + beta*FN + eps), TP = sum(y_pred*y_true), FP = sum((1-y_true)*y_pred), "
          + "FN = sum(y_true*(1-y_pred)) over axis (None: the whole batch)")
      .keras3Only(3)
      .sqlExample("SELECT loss_tversky(array(0, 1, 1), array(0.2, 0.6, 0.7));",
          "0.25714289959183445")
      .sqlExample("SELECT loss_tversky(array(0, 1, 1), array(0.2, 0.6, 0.7), 0.7, 0.3);",
          "0.29729733528122515")  // Keras 3.15.x roles (the default); 3.16 gives 0.21212126
      .factory(Tversky::new);

  private final double alpha;
  private final double beta;
  /** Keras 3.15.x's roles: its "fp" is Σ y·(1-ŷ) and its "fn" Σ (1-y)·ŷ. */
  private final boolean releasedRoles;

  private Tversky(LossOptions options) {
    super(options);
    this.alpha = options.number("alpha");
    this.beta = options.number("beta");
    this.releasedRoles = options.kerasVersion().line() == KerasVersion.Line.KERAS_3_RELEASED;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  void addTerms(double t, double p, Numerics n, ExactSum[] sums) {
    // keras: inputs = y_pred, targets = y_true.
    sums[0].add(n.mul(p, t));
    sums[1].add(n.mul(n.sub(1.0, t), p));
    sums[2].add(n.mul(t, n.sub(1.0, p)));
  }

  @Override
  double lossOf(double tp, double fpHead, double fnHead, Numerics n) {
    // keras 3.15.x: inputs = y_true, targets = y_pred, so its fp is HEAD's fn and its fn HEAD's fp.
    double fp = releasedRoles ? fnHead : fpHead;
    double fn = releasedRoles ? fpHead : fnHead;
    // keras: 1 - divide(tp, tp + fp * alpha + fn * beta + epsilon()), alpha/beta rounded to the dtype.
    double denom = n.add(n.add(n.add(tp, n.mul(fp, n.r(alpha))), n.mul(fn, n.r(beta))), n.eps);
    return n.sub(1.0, n.div(tp, denom));
  }

  /** Builder with the Tversky options. */
  public static final class Builder extends Loss.Builder<Builder, Tversky> {
    private Builder() {
      super(SPEC);
    }

    public Builder alpha(double v) {
      return set("alpha", v);
    }

    public Builder beta(double v) {
      return set("beta", v);
    }

    /** One axis summed over. */
    public Builder axis(int axis) {
      return set("axis", axis);
    }

    /** Axes summed over; {@code null} (the default) sums every axis, batch included. */
    public Builder axis(int[] axes) {
      return set("axis", axes);
    }
  }
}
