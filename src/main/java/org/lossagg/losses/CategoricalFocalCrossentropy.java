package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CategoricalFocalCrossentropy}: categorical cross-entropy down-weighted on
 * well-classified classes.
 *
 * <p>Labels are smoothed as in {@link CategoricalCrossentropy} ({@code y' = y(1-ls) + ls/C}). With
 * {@code from_logits}, {@code p = softmax(x)} along {@code axis}, computed as TF's kernel does
 * ({@code exp(x - max)} times the reciprocal of its sum). Then {@code q' = clip(p / sum_axis(p), eps,
 * 1-eps)} and per sample
 * <pre>
 *   loss = sum_axis( alpha * (1 - q')^gamma * (-y' log q') )
 * </pre>
 * The focal factor uses the clipped {@code q'}. {@code alpha} is a scalar or a per-class list that
 * broadcasts against the <em>last</em> axis of y_pred (as Keras' {@code ops.multiply} does, whatever
 * {@code axis} is). The output drops {@code axis}.
 *
 * <p>Keras 3 does not compare the input shapes, so (B,1) labels against (B,C) predictions would be
 * broadcast silently; lossagg rejects different shapes (after the class form's rank alignment), as
 * tf.keras 2.13 does.
 *
 * <p>Options (Keras order): {@code alpha=0.25} (a number or a list of per-class numbers, each
 * &gt;= 0), {@code gamma=2.0} (&gt;= 0), {@code from_logits=false}, {@code label_smoothing=0.0} (in
 * [0, 1]), {@code axis=-1}; plus reduction, name, dtype.
 *
 * <pre>{@code
 * Loss cfce = CategoricalFocalCrossentropy.builder().build();
 * cfce.call(NdArray.matrix(new double[][] {{0, 1, 0}, {0, 0, 1}}),
 *           NdArray.matrix(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}}));  // 0.23315276 (float32)
 * }</pre>
 */
public final class CategoricalFocalCrossentropy extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CategoricalFocalCrossentropy", "categorical_focal_crossentropy")
      .option(new OptionSpec("alpha", OptionType.FLOAT_OR_LIST, 0.25,
          "class weight: one number, or one per class along the last axis",
          0, true, Double.POSITIVE_INFINITY, false))
      .option(OptionSpec.ranged("gamma", 2.0, "focusing parameter; 0 gives alpha-weighted cross-entropy",
          0, true, Double.POSITIVE_INFINITY, false))
      .option(OptionSpec.of("from_logits", OptionType.BOOLEAN, false, "whether y_pred holds logits"))
      .option(OptionSpec.ranged("label_smoothing", 0.0, "mixes labels with the uniform distribution over C classes",
          0, true, 1, true))
      .option(OptionSpec.of("axis", OptionType.INT, -1, "the class axis the loss sums over"))
      .formula("sum(alpha (1 - q)^gamma (-y log q)) over axis, q = clip(p / sum(p), eps, 1-eps)")
      .configOrder("from_logits", "label_smoothing", "axis", "alpha", "gamma")
      .inTfKeras2From(13)
      .sqlExample("SELECT loss_categorical_focal_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0));",
          "3.2058308992219164E-5")
      .sqlExample("SELECT loss_categorical_focal_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0), array(0.2, 0.5, 0.3), 1.0);",
          "0.0012823323596887655")
      .factory(CategoricalFocalCrossentropy::new);

  /** Scalar alpha, or null when {@link #alphaPerClass} is set. */
  private final Double alpha;
  private final double[] alphaPerClass;
  private final double gamma;
  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  private CategoricalFocalCrossentropy(LossOptions o) {
    super(o);
    Object a = o.get("alpha");
    this.alpha = a instanceof Double ? (Double) a : null;
    this.alphaPerClass = a instanceof double[] ? (double[]) a : null;
    if (alphaPerClass != null && alphaPerClass.length == 0) {
      throw new IllegalArgumentException(SPEC.className()
          + ": option 'alpha' got an empty list; expected a number or one number per class");
    }
    this.gamma = o.number("gamma");
    this.fromLogits = o.bool("from_logits");
    this.labelSmoothing = o.number("label_smoothing");
    this.axis = o.integer("axis");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    AxisInputs.requireSameShape(spec(), yTrue, yPred);
    int a = AxisInputs.normalizeAxis(spec(), axis, yPred);
    AxisInputs.Smoothing smooth = AxisInputs.Smoothing.categorical(labelSmoothing, yTrue, yPred, a, n, kerasVersion());
    double[] alphas = alphaPerElementOfLastAxis(yPred, n);
    int last = alphas.length;
    double g = n.r(gamma);
    double[] probs = new double[yPred.dim(a)];
    return PerSample.of(Lanes.reduce(yTrue, yPred, a, (t, x, off, stride, len) -> {
      if (fromLogits) {
        softmaxTf(x, off, stride, len, probs, n);
      } else {
        for (int k = 0, i = off; k < len; k++, i += stride) {
          probs[k] = x[i];
        }
      }
      double total = 0.0;
      for (int k = 0; k < len; k++) {
        total = n.add(total, probs[k]);
      }
      double acc = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        double q = Numerics.clip(n.div(probs[k], total), n.eps, n.hi);
        double ce = n.mul(-smooth.apply(t[i], n), n.log(q));
        double weight = n.mul(n.pow(n.sub(1.0, q), g), alphas[last == 1 ? 0 : i % last]);
        acc = n.add(acc, n.mul(weight, ce));
      }
      return acc;
    }));
  }

  /**
   * alpha in the compute dtype, one entry per index of y_pred's last axis (or a single entry). A
   * Python list becomes a float32 tensor in Keras 3 before it meets the values; tf.keras converts it
   * straight to the values' dtype.
   */
  private double[] alphaPerElementOfLastAxis(NdArray yPred, Numerics n) {
    if (alphaPerClass == null) {
      return new double[] {n.r(alpha)};
    }
    int lastDim = yPred.dim(-1);
    if (alphaPerClass.length != lastDim && alphaPerClass.length != 1) {
      throw new IllegalArgumentException(spec().className() + ": option 'alpha' has " + alphaPerClass.length
          + " per-class values " + Arrays.toString(alphaPerClass) + " but the last axis of y_pred (shape "
          + Arrays.toString(yPred.shape()) + ") has " + lastDim + "; give one value per class, or a single number");
    }
    double[] out = new double[alphaPerClass.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = n.r(n.keras2() ? alphaPerClass[j] : DType.FLOAT32.round(alphaPerClass[j]));
    }
    return out;
  }

  /** TF's softmax kernel: {@code e = exp(x - max)}, then {@code e * (1 / sum(e))}. */
  private static void softmaxTf(double[] x, int off, int stride, int len, double[] out, Numerics n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0, i = off; k < len; k++, i += stride) {
      max = Math.max(max, x[i]);
    }
    double sum = 0.0;
    for (int k = 0, i = off; k < len; k++, i += stride) {
      out[k] = n.exp(n.sub(x[i], max));
      sum = n.add(sum, out[k]);
    }
    double reciprocal = n.div(1.0, sum);
    for (int k = 0; k < len; k++) {
      out[k] = n.mul(out[k], reciprocal);
    }
  }

  /** Builder with the CategoricalFocalCrossentropy options. */
  public static final class Builder extends Loss.Builder<Builder, CategoricalFocalCrossentropy> {
    private Builder() {
      super(SPEC);
    }

    public Builder alpha(double v) {
      return set("alpha", v);
    }

    /** One alpha per class (index of y_pred's last axis). */
    public Builder alpha(double... perClass) {
      return set("alpha", perClass);
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
