package org.lossagg.losses;

import org.lossagg.numerics.DType;
import org.lossagg.numerics.Float32Exp;
import org.lossagg.numerics.Float32Log;
import org.lossagg.numerics.Float32Log1p;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code BinaryFocalCrossentropy}: binary cross-entropy down-weighted on easy examples.
 *
 * <p>Per element, with labels smoothed towards 0.5 ({@code y' = y(1-ls) + ls/2}) and {@code p =
 * sigmoid(x)} when {@code from_logits}, else {@code p = y_pred}:
 * <pre>
 *   p_t   = y' p + (1 - y')(1 - p)               (unclipped p)
 *   loss  = (1 - p_t)^gamma * bce(y', p)
 *   loss *= y' alpha + (1 - y')(1 - alpha)       (only with apply_class_balancing)
 * </pre>
 * then the mean over {@code axis}. {@code bce} is {@link BinaryCrossentropy}'s element term: on
 * probabilities it clips p to [eps, 1-eps]; with {@code from_logits} it is the stable logits formula
 * {@code max(x,0) - x y' + log1p(exp(-|x|))} (Keras' TensorFlow backend: the sigmoid output keeps its
 * logits, so a logit of -30 with label 1 and gamma 0 costs exactly 30). tf.keras 2.x: the same, with
 * eps inside the logs of the probability form.
 *
 * <p>Options (Keras order): {@code apply_class_balancing=false}, {@code alpha=0.25} (in [0, 1]; only
 * used with balancing), {@code gamma=2.0} (&gt;= 0), {@code from_logits=false},
 * {@code label_smoothing=0.0} (in [0, 1]), {@code axis=-1}; plus reduction, name, dtype.
 *
 * <pre>{@code
 * Loss bfce = BinaryFocalCrossentropy.builder().gamma(2.0).build();
 * bfce.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *           NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));  // 0.26783153 (float32)
 * }</pre>
 */
public final class BinaryFocalCrossentropy extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("BinaryFocalCrossentropy", "binary_focal_crossentropy")
      .option(OptionSpec.of("apply_class_balancing", OptionType.BOOLEAN, false,
          "weight class 1 by alpha and class 0 by 1 - alpha"))
      .option(OptionSpec.ranged("alpha", 0.25, "weight of class 1 when balancing (class 0 gets 1 - alpha)",
          0, true, 1, true))
      .option(OptionSpec.ranged("gamma", 2.0, "focusing parameter; 0 gives plain binary cross-entropy",
          0, true, Double.POSITIVE_INFINITY, false))
      .option(OptionSpec.of("from_logits", OptionType.BOOLEAN, false, "whether y_pred holds logits"))
      .option(OptionSpec.ranged("label_smoothing", 0.0, "squeezes labels towards 0.5", 0, true, 1, true))
      .option(OptionSpec.of("axis", OptionType.INT, -1, "axis the mean is taken over"))
      .formula("mean((1 - p_t)^gamma * bce(y, p)) over axis, p_t = y p + (1-y)(1-p); "
          + "times y alpha + (1-y)(1-alpha) with class balancing")
      .configOrder("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma")
      .sqlExample("SELECT loss_binary_focal_crossentropy(array(0, 1), array(0.4, 0.6));",
          "0.08173209980255854")
      .sqlExample("SELECT loss_binary_focal_crossentropy(array(0, 1), array(0.4, 0.6), true, 0.25, 2.0);",
          "0.04086604990127927")
      .factory(BinaryFocalCrossentropy::new);

  private final boolean applyClassBalancing;
  private final double alpha;
  private final double gamma;
  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  private BinaryFocalCrossentropy(LossOptions o) {
    super(o);
    this.applyClassBalancing = o.bool("apply_class_balancing");
    this.alpha = o.number("alpha");
    this.gamma = o.number("gamma");
    this.fromLogits = o.bool("from_logits");
    this.labelSmoothing = o.number("label_smoothing");
    this.axis = o.integer("axis");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected int axis() {
    return axis;
  }

  @Override
  protected double term(double t, double x, Numerics n) {
    double y = BinaryCrossentropy.smoothBinary(t, labelSmoothing, n);
    double p = fromLogits ? n.sigmoid(x) : x;
    // With from_logits the cross-entropy term is computed from the logits themselves (TF backend).
    double bce = BinaryCrossentropy.elementLoss(y, x, fromLogits, n);
    double pt = n.add(n.mul(y, p), n.mul(n.sub(1.0, y), n.sub(1.0, p)));
    double loss = n.mul(n.pow(n.sub(1.0, pt), n.r(gamma)), bce);
    if (applyClassBalancing) {
      double w = n.add(n.mul(y, n.r(alpha)), n.mul(n.sub(1.0, y), n.r(1.0 - alpha)));
      loss = n.mul(w, loss);
    }
    return loss;
  }

  /**
   * {@link #rowValue} over float32 rows as a float loop, {@link #term} transcribed: float
   * {@code + - *} are the rounded double operations, {@link Float32Log}, {@link Float32Exp} and
   * {@link Float32Log1p} the rounded Math.log, Math.exp and Math.log1p, so the bits are the same,
   * NaN and infinities included. Label smoothing goes through {@link #rowValue}.
   */
  @Override
  protected void float32RowValues(float[] yTrue, float[] yPred, int count, float[] out, Numerics n) {
    if (labelSmoothing != 0.0 || n.dtype() != DType.FLOAT32) {
      super.float32RowValues(yTrue, yPred, count, out, n);
      return;
    }
    double g = n.r(gamma);
    // (float) Math.pow(b, 2.0) is the float b * b (MathPowSquareTest checks every float), and pow
    // costs about 17 ns a row.
    boolean square = g == 2.0;
    float a1 = (float) alpha;
    float a0 = (float) (1.0 - alpha);
    float eps = (float) n.eps;
    float hi = (float) n.hi;
    // tf.keras 2.x adds eps inside the logs; Keras 3 adds 0, exact on q and 1 - q (positive or NaN).
    float e = n.keras2() ? eps : 0f;
    for (int i = 0; i < count; i++) {
      float t = yTrue[i];
      float x = yPred[i];
      float p;
      float bce;
      if (fromLogits) {
        float ea = Float32Exp.exp(-Math.abs(x));
        // sigmoid's exp(-x) is exp(-|x|) for x >= 0 (-0 included: exp(+-0) = 1).
        p = 1f / (1f + (x >= 0f ? ea : Float32Exp.exp(-x)));
        bce = (Math.max(x, 0f) - x * t) + Float32Log1p.log1p(ea);
      } else {
        p = x;
        bce = clippedBce(t, x < eps ? eps : (x > hi ? hi : x), e);
      }
      float b = 1f - (t * p + (1f - t) * (1f - p));
      float loss = (square ? b * b : (float) Math.pow(b, g)) * bce;
      if (applyClassBalancing) {
        loss = (t * a1 + (1f - t) * a0) * loss;
      }
      out[i] = 0f + loss; // oneElementMean: 0 + value (a -0 becomes +0), then / 1
    }
  }

  /**
   * {@code -(t log(q + e) + (1 - t) log(1 - q + e))}, q clipped. For a hard label the other term is
   * 0 times a finite, non-positive log, a signed zero that leaves the kept term (never -0) as it is,
   * so one log gives the same bits.
   */
  private static float clippedBce(float t, float q, float e) {
    if (t == 1f) {
      return -Float32Log.log(q + e);
    }
    if (t == 0f) {
      return -Float32Log.log((1f - q) + e);
    }
    return -(t * Float32Log.log(q + e) + (1f - t) * Float32Log.log((1f - q) + e));
  }

  /** Builder with the BinaryFocalCrossentropy options. */
  public static final class Builder extends Loss.Builder<Builder, BinaryFocalCrossentropy> {
    private Builder() {
      super(SPEC);
    }

    public Builder applyClassBalancing(boolean v) {
      return set("apply_class_balancing", v);
    }

    public Builder alpha(double v) {
      return set("alpha", v);
    }

    public Builder gamma(double v) {
      return set("gamma", v);
    }

    public Builder fromLogits(boolean v) {
      return set("from_logits", v);
    }

    public Builder labelSmoothing(double v) {
      return set("label_smoothing", v);
    }

    public Builder axis(int v) {
      return set("axis", v);
    }
  }
}
