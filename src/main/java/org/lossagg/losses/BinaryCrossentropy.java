package org.lossagg.losses;

import org.lossagg.numerics.Float32Exp;
import org.lossagg.numerics.Float32Log;
import org.lossagg.numerics.Float32Log1p;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code BinaryCrossentropy}: with smoothed labels {@code y' = y(1-ls) + ls/2}, the mean over
 * {@code axis} of {@code -(y' log p' + (1-y') log(1-p'))}, {@code p' = clip(p, eps, 1-eps)} (float32
 * bound 0.99999988); from logits, the stable {@code max(x,0) - x y' + log1p(exp(-|x|))}. tf.keras 2.x
 * adds eps inside both logs.
 *
 * <pre>{@code
 * NdArray yTrue = NdArray.matrix(new double[][] {{0, 1}, {0, 0}});
 * BinaryCrossentropy.builder().build()
 *     .call(yTrue, NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));        // 0.8149245 (float32)
 * BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.1).build()
 *     .call(yTrue, NdArray.matrix(new double[][] {{-18.6, 0.51}, {2.94, -12.8}}));  // 1.2275829
 * }</pre>
 */
public final class BinaryCrossentropy extends ElementMeanLoss {
  public static final LossSpec SPEC = LossSpec.builder("BinaryCrossentropy", "binary_crossentropy")
      .aliases("bce", "BCE")
      .option(OptionSpec.of("from_logits", OptionType.BOOLEAN, false, "whether y_pred holds logits"))
      .option(OptionSpec.ranged("label_smoothing", 0.0, "squeezes labels towards 0.5", 0, true, 1, true))
      .option(OptionSpec.of("axis", OptionType.INT, -1, "axis the mean is taken over"))
      .formula("mean(-(y log p + (1-y) log(1-p))) over axis, p clipped to [eps, 1-eps]")
      .sqlExample("SELECT loss_binary_crossentropy(array(0, 1), array(0.4, 0.6));",
          "0.5108256237659907")
      .sqlExample("SELECT loss_binary_crossentropy(CAST(array(0, 1) AS ARRAY<FLOAT>), CAST(array(0.4, 0.6) AS ARRAY<FLOAT>));",
          "0.5108255743980408")
      .sqlExample("SELECT loss_binary_crossentropy(array(0, 1), array(-1.2, 2.5), true, 0.1);",
          "0.26358610081529044")
      .factory(BinaryCrossentropy::new);

  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  private BinaryCrossentropy(LossOptions o) {
    super(o);
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
  protected double term(double t, double p, Numerics n) {
    return elementLoss(smoothBinary(t, labelSmoothing, n), p, fromLogits, n);
  }

  /**
   * For a hard label (0 or 1, no smoothing, probabilities, Keras 3) one logarithm suffices: the
   * other term is 0 times a finite logarithm (p is clipped into [eps, 1-eps]), a zero that leaves
   * the non-zero kept term unchanged, so the value is bit for bit the two-term formula's. A NaN p
   * gives NaN both ways.
   */
  @Override
  protected double rowValue(double yTrue, double yPred, Numerics n) {
    if (fromLogits || labelSmoothing != 0.0 || n.keras2() || !Numerics.hardLabel(yTrue)) {
      return super.rowValue(yTrue, yPred, n);
    }
    double q = Numerics.clip(yPred, n.eps, n.hi);
    return oneElementMean(-n.log(Numerics.select(yTrue == 1.0, q, n.sub(1.0, q))), n);
  }

  /**
   * {@link #rowValue} over float32 rows as a float loop: float {@code + - *} are the rounded
   * double operations, {@link Float32Log}, {@link Float32Exp} and {@link Float32Log1p} the rounded
   * Math.log, Math.exp and Math.log1p, so the bits are the same.
   */
  @Override
  protected void float32RowValues(float[] yTrue, float[] yPred, int count, float[] out, Numerics n) {
    if (labelSmoothing != 0.0) {
      super.float32RowValues(yTrue, yPred, count, out, n);
      return;
    }
    if (fromLogits) {
      // elementLoss from logits (the same in both numerics), then 0 + value as oneElementMean.
      for (int i = 0; i < count; i++) {
        float x = yPred[i];
        out[i] = 0f + ((Math.max(x, 0f) - x * yTrue[i]) + Float32Log1p.log1p(Float32Exp.exp(-Math.abs(x))));
      }
      return;
    }
    if (n.keras2()) {
      super.float32RowValues(yTrue, yPred, count, out, n);
      return;
    }
    float eps = (float) n.eps;
    float hi = (float) n.hi;
    for (int i = 0; i < count; i++) {
      float t = yTrue[i];
      float p = yPred[i];
      float q = p < eps ? eps : (p > hi ? hi : p);
      if (Numerics.hardLabel(t)) {
        out[i] = 0f + -Float32Log.log(Numerics.select(t == 1f, q, 1f - q));
      } else {
        out[i] = (float) rowValue(t, p, n);
      }
    }
  }

  /**
   * {@code y(1-ls) + 0.5 ls}, applied only when ls is non-zero, constants rounded to the dtype.
   * tf.keras 2.x converts ls to a tensor first, so {@code 1 - ls} is a dtype subtraction there
   * (one ulp apart from Keras 3's rounded Python double for about 40% of ls values).
   */
  static double smoothBinary(double y, double ls, Numerics n) {
    if (ls == 0.0) {
      return y;
    }
    double scale = n.keras2() ? n.sub(1.0, n.r(ls)) : n.r(1.0 - ls);
    return n.add(n.mul(y, scale), n.r(0.5 * ls));
  }

  /** Element-wise binary cross-entropy (already smoothed label {@code y}). */
  static double elementLoss(double y, double p, boolean fromLogits, Numerics n) {
    if (fromLogits) {
      // TF sigmoid_cross_entropy_with_logits: stable, unclipped.
      return n.add(n.sub(Math.max(p, 0.0), n.mul(p, y)), n.log1p(n.exp(-Math.abs(p))));
    }
    double q = Numerics.clip(p, n.eps, n.hi);
    if (n.keras2()) {
      // tf.keras 2.x: -(y log(p + eps) + (1 - y) log(1 - p + eps)).
      double a = n.mul(y, n.log(n.add(q, n.eps)));
      double b = n.mul(n.sub(1.0, y), n.log(n.add(n.sub(1.0, q), n.eps)));
      return -n.add(a, b);
    }
    double a = n.mul(y, n.log(q));
    double b = n.mul(n.sub(1.0, y), n.log(n.sub(1.0, q)));
    return -n.add(a, b);
  }

  /** Builder with the BinaryCrossentropy options. */
  public static final class Builder extends Loss.Builder<Builder, BinaryCrossentropy> {
    private Builder() {
      super(SPEC);
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
