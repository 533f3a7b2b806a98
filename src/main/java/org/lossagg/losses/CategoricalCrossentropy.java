package org.lossagg.losses;

import java.util.Optional;

import org.lossagg.numerics.Float32Exp;
import org.lossagg.numerics.Float32Log;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CategoricalCrossentropy}: cross-entropy between one-hot (or soft) labels and a class
 * distribution along {@code axis}.
 *
 * <p>Labels are smoothed when {@code label_smoothing} is non-zero: {@code y' = y(1-ls) + ls/C}, with
 * {@code C = y_pred.shape[axis]} in the development line (keras_version "3.16"), {@code y_true.shape[-1]}
 * in Keras 3.15.x (the default) and tf.keras 2.x; they differ only for a non-last {@code axis}. Per sample:
 * <ul>
 *   <li>probabilities: {@code q = p / sum_axis(p)} (renormalised first), {@code q' = clip(q, eps,
 *       1-eps)}, loss {@code -sum_axis(y' log q')};
 *   <li>logits: {@code -sum_axis(y' log_softmax(x))} with the max subtracted before anything else,
 *       {@code log_softmax(x) = (x - max) - log(sum(exp(x - max)))}, as TF's kernel does.
 * </ul>
 * The output drops {@code axis}. y_true and y_pred must have the same shape (after the class form's
 * rank alignment) and at least one axis.
 *
 * <p>Options (Keras order): {@code from_logits=false}, {@code label_smoothing=0.0} (in [0, 1]),
 * {@code axis=-1}; plus reduction, name, dtype.
 *
 * <pre>{@code
 * Loss cce = CategoricalCrossentropy.builder().build();
 * cce.call(NdArray.matrix(new double[][] {{0, 1, 0}, {0, 0, 1}}),
 *          NdArray.matrix(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}}));  // 1.1769392 (float32)
 * }</pre>
 */
public final class CategoricalCrossentropy extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CategoricalCrossentropy", "categorical_crossentropy")
      .option(OptionSpec.of("from_logits", OptionType.BOOLEAN, false, "whether y_pred holds logits"))
      .option(OptionSpec.ranged("label_smoothing", 0.0, "mixes labels with the uniform distribution over C classes",
          0, true, 1, true))
      .option(OptionSpec.of("axis", OptionType.INT, -1, "the class axis the cross-entropy sums over"))
      .formula("-sum(y log q) over axis, q = clip(p / sum(p), eps, 1-eps); from logits -sum(y log_softmax(x))")
      .sqlExample("SELECT loss_categorical_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0));",
          "0.05129329438755058")
      .sqlExample("SELECT loss_categorical_crossentropy(array(array(0, 1, 0), array(0, 0, 1)), array(array(0.05, 0.95, 0), array(0.1, 0.8, 0.1)));",
          "[0.05129329438755058,2.3025850929940455]")
      .factory(CategoricalCrossentropy::new);

  private final boolean fromLogits;
  private final double labelSmoothing;
  private final int axis;

  private CategoricalCrossentropy(LossOptions o) {
    super(o);
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
    return PerSample.of(Lanes.reduce(yTrue, yPred, a, (t, x, off, stride, len) -> laneValue(t, x, off, stride, len, smooth, n)));
  }

  /** The loss of one lane: classes {@code off, off + stride, ...} ({@code len} of them) of y_true and y_pred. */
  private double laneValue(double[] t, double[] x, int off, int stride, int len, AxisInputs.Smoothing smooth, Numerics n) {
    if (fromLogits) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        max = Math.max(max, x[i]);
      }
      double sumExp = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        sumExp = n.add(sumExp, n.exp(n.sub(x[i], max)));
      }
      double logSum = n.log(sumExp);
      double acc = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        double logSoftmax = n.sub(n.sub(x[i], max), logSum);
        acc = n.add(acc, n.mul(smooth.apply(t[i], n), logSoftmax));
      }
      return -acc;
    }
    double total = 0.0;
    for (int k = 0, i = off; k < len; k++, i += stride) {
      total = n.add(total, x[i]);
    }
    double acc = 0.0;
    for (int k = 0, i = off; k < len; k++, i += stride) {
      double q = Numerics.clip(n.div(x[i], total), n.eps, n.hi);
      double y = smooth.apply(t[i], n);
      // A zero label times log(q) (finite: q is clipped, and not NaN) is a zero, and acc, which
      // starts at +0 and so is never -0, is unchanged by adding a zero: skip the logarithm.
      if (y == 0.0 && q == q) {
        continue;
      }
      acc = n.add(acc, n.mul(y, n.log(q)));
    }
    return -acc;
  }

  /** Rows of (C,) arrays, class axis last: {@link #vectorRowValue} (of the smoothed labels, if smoothing). */
  @Override
  public Optional<RowKernel> rowKernel() {
    if (axis != -1 && axis != 1) {
      return Optional.empty();
    }
    return Optional.of(RowKernel.vectorRows(this, new RowKernel.Vector() {
      @Override
      public boolean scalarTrue() {
        return false;
      }

      @Override
      public boolean takes(float[] yTrue, int width) {
        return true;
      }

      @Override
      public float value(float[] yTrue, float[] yPred, int width, Numerics n) {
        return vectorRowValue(labelSmoothing == 0.0 ? yTrue : smoothed(yTrue, width, n), yPred, width, n);
      }

      @Override
      public boolean takes(double[] yTrue, int width) {
        return true;
      }

      @Override
      public double value(double[] yTrue, double[] yPred, int width, Numerics n) {
        return laneValue(yTrue, yPred, 0, 1, width, AxisInputs.Smoothing.ofClasses(labelSmoothing, width, n), n);
      }
    }));
  }

  private static final ThreadLocal<float[][]> SMOOTHED = ThreadLocal.withInitial(() -> new float[1][0]);

  /**
   * The row's labels smoothed as {@link #perSample} smooths them ({@link AxisInputs.Smoothing}, the same
   * operations in the same numerics; a 1-D row's class count is its width in every Keras line), in a
   * per-thread buffer.
   */
  private float[] smoothed(float[] t, int width, Numerics n) {
    AxisInputs.Smoothing smooth = AxisInputs.Smoothing.ofClasses(labelSmoothing, width, n);
    float[][] holder = SMOOTHED.get();
    if (holder[0].length < width) {
      holder[0] = new float[width];
    }
    float[] out = holder[0];
    for (int i = 0; i < width; i++) {
      out[i] = (float) smooth.apply(t[i], n);
    }
    return out;
  }

  /**
   * {@link #perSample}'s lane for one float32 row as float arithmetic in the same order: float
   * {@code + - *} are the rounded double operations and {@link Float32Exp}/{@link Float32Log} the
   * rounded Math.exp/Math.log, so the bits are the same.
   */
  private float vectorRowValue(float[] t, float[] x, int width, Numerics n) {
    if (fromLogits) {
      float fast = logitsRowFast(t, x, width);
      return fast == fast ? fast : logitsRow(t, x, width);
    }
    float total = 0f;
    for (int i = 0; i < width; i++) {
      total += x[i];
    }
    float eps = (float) n.eps;
    float hi = (float) n.hi;
    float acc = 0f;
    for (int i = 0; i < width; i++) {
      float d = x[i] / total;
      float q = d < eps ? eps : (d > hi ? hi : d);
      float y = t[i];
      if (y == 0f && q == q) {
        continue;
      }
      acc += y * Float32Log.log(q);
    }
    return -acc;
  }

  private static final ThreadLocal<int[][]> LABELLED = ThreadLocal.withInitial(() -> new int[1][0]);

  /**
   * The common row (no NaN or infinity in it) in three cheap passes, or NaN to send the row to
   * {@link #logitsRow}. A plain comparison gives Math.max's maximum when no value is NaN, up to the
   * sign of a zero maximum, which changes no result (exp of a zero is 1, and a zero log-softmax times
   * a label adds a zero to acc, which is never -0); a NaN value, an infinite one or an infinite
   * range makes a shifted value, so sumExp and logSum, NaN or infinite.
   * Rounded subtraction is monotonic, so every log-softmax lies in [lowest - logSum, -logSum]; when
   * both ends are finite, a zero label always adds a zero, and only the labelled classes, noted in
   * the exp pass and added in class order, change acc.
   */
  private static float logitsRowFast(float[] t, float[] x, int width) {
    float m0 = Float.NEGATIVE_INFINITY;
    float m1 = m0;
    float m2 = m0;
    float m3 = m0;
    int i = 0;
    for (; i + 3 < width; i += 4) {
      m0 = x[i] > m0 ? x[i] : m0;
      m1 = x[i + 1] > m1 ? x[i + 1] : m1;
      m2 = x[i + 2] > m2 ? x[i + 2] : m2;
      m3 = x[i + 3] > m3 ? x[i + 3] : m3;
    }
    for (; i < width; i++) {
      m0 = x[i] > m0 ? x[i] : m0;
    }
    float max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
    int[][] holder = LABELLED.get();
    if (holder[0].length < width) {
      holder[0] = new int[width];
    }
    int[] labelled = holder[0];
    int count = 0;
    float sumExp = 0f;
    float lowest = 0f;
    for (i = 0; i < width; i++) {
      float shifted = x[i] - max;
      sumExp += Float32Exp.exp(shifted);
      lowest = shifted < lowest ? shifted : lowest;
      if (t[i] != 0f) {
        labelled[count++] = i;
      }
    }
    float logSum = Float32Log.log(sumExp);
    if (!(Math.abs(lowest - logSum) < Float.POSITIVE_INFINITY)) {
      return Float.NaN;
    }
    float acc = 0f;
    for (int k = 0; k < count; k++) {
      int c = labelled[k];
      acc += t[c] * ((x[c] - max) - logSum);
    }
    return -acc;
  }

  /** Any row from logits, {@link #perSample}'s lane in float arithmetic. */
  private static float logitsRow(float[] t, float[] x, int width) {
    // Math.max is order-free (NaN wins, 0.0 beats -0.0), so four running maxima give the same
    // max without one long dependency chain.
    float m0 = Float.NEGATIVE_INFINITY;
    float m1 = m0;
    float m2 = m0;
    float m3 = m0;
    int i = 0;
    for (; i + 3 < width; i += 4) {
      m0 = Math.max(m0, x[i]);
      m1 = Math.max(m1, x[i + 1]);
      m2 = Math.max(m2, x[i + 2]);
      m3 = Math.max(m3, x[i + 3]);
    }
    for (; i < width; i++) {
      m0 = Math.max(m0, x[i]);
    }
    float max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
    float sumExp = 0f;
    for (i = 0; i < width; i++) {
      sumExp += Float32Exp.exp(x[i] - max);
    }
    float logSum = Float32Log.log(sumExp);
    float acc = 0f;
    for (i = 0; i < width; i++) {
      float logSoftmax = (x[i] - max) - logSum;
      // A zero label times a finite log-softmax is a zero, which leaves acc (never -0) unchanged.
      if (t[i] == 0f && Math.abs(logSoftmax) < Float.POSITIVE_INFINITY) {
        continue;
      }
      acc += t[i] * logSoftmax;
    }
    return -acc;
  }

  /** Builder with the CategoricalCrossentropy options. */
  public static final class Builder extends Loss.Builder<Builder, CategoricalCrossentropy> {
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
