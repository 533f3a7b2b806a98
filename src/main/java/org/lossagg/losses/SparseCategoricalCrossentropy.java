package org.lossagg.losses;

import java.util.Arrays;
import java.util.Optional;
import org.lossagg.numerics.Float32Exp;
import org.lossagg.numerics.Float32Log;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code SparseCategoricalCrossentropy}: categorical cross-entropy with integer class labels.
 *
 * <p>y_true holds class ids with y_pred's shape minus the class axis; a size-1 class axis of a
 * y_true with y_pred's rank is squeezed. Per position, as Keras' TensorFlow backend computes it:
 * <ul>
 *   <li>logits: {@code log(sum(exp(x - max))) - (x[label] - max)};
 *   <li>probabilities: {@code z = log(clip(p, eps, 1-eps))}, then the same with z: the
 *       renormalisation happens after clipping (probabilities [5e-8, 0.5] and label 0 give 15.4249).
 * </ul>
 * With {@code ignore_class}, positions whose label equals it get the value 0 and are attached as an
 * output mask, so the default reduction divides by the number of other positions. Labels must be
 * integers in [0, C); anything else is an {@link IllegalArgumentException} naming the label and C.
 * Keras 3 accepts only the last axis as the class axis (TF backend); tf.keras 2.x's functional form
 * takes any axis, and so does this class in {@code keras2} mode.
 *
 * <p>Options: {@code from_logits=false}, {@code ignore_class=null}, {@code axis=-1}; plus reduction,
 * name, dtype. In the Python constructor {@code axis} comes after {@code reduction}
 * ({@code SparseCategoricalCrossentropy(from_logits, ignore_class, reduction, axis, name, dtype)});
 * the functional form is {@code (y_true, y_pred, from_logits, ignore_class, axis)}.
 *
 * <pre>{@code
 * Loss scce = SparseCategoricalCrossentropy.builder().build();
 * scce.call(NdArray.vector(1, 2),
 *           NdArray.matrix(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}}));  // 1.1769392 (float32)
 * }</pre>
 */
public final class SparseCategoricalCrossentropy extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy")
      .option(OptionSpec.of("from_logits", OptionType.BOOLEAN, false, "whether y_pred holds logits"))
      .option(OptionSpec.of("ignore_class", OptionType.OPTIONAL_INT, null,
          "a label whose positions get loss 0 and leave the mean's divisor (e.g. -1 or 255)"))
      .option(OptionSpec.of("axis", OptionType.INT, -1,
          "the class axis of y_pred (after reduction in the Python constructor); Keras 3 accepts only the last"))
      .rowOutput(RowOutput.DROPS_CLASS_AXIS)
      .formula("log(sum(exp(z))) - z[label] over the class axis, z = logits or log(clip(p, eps, 1-eps))")
      .leftOutOfReleasedConfig("axis")
      .note("With ignore_class, the positions holding that label are NULL (Keras masks them), so that "
          + "loss_reduce leaves them out of its sums and divisors.")
      .sqlExample("SELECT loss_sparse_categorical_crossentropy(1, array(0.05, 0.95, 0));",
          "0.05129339438754555")
      .sqlExample("SELECT loss_sparse_categorical_crossentropy(array(1, 2), array(array(0.05, 0.95, 0), array(0.1, 0.8, 0.1)), false, 2);",
          "[0.05129339438754555,null]")
      .factory(SparseCategoricalCrossentropy::new);

  private final boolean fromLogits;
  private final Integer ignoreClass;
  private final int axis;

  private SparseCategoricalCrossentropy(LossOptions o) {
    super(o);
    this.fromLogits = o.bool("from_logits");
    this.ignoreClass = (Integer) o.get("ignore_class");
    this.axis = o.integer("axis");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    AxisInputs.requireRankAtLeastOne(spec(), yPred);
    int rank = yPred.rank();
    int a = AxisInputs.normalizeAxis(spec(), axis, yPred);
    if (a != rank - 1 && !n.keras2()) {
      throw new IllegalArgumentException(spec().className() + ": option 'axis' got " + axis
          + "; only the last axis of y_pred (-1 or " + (rank - 1) + " for shape " + Arrays.toString(yPred.shape())
          + ") can be the class axis, as in Keras' TensorFlow backend");
    }
    NdArray labels = yTrue;
    if (labels.rank() == rank && labels.dim(a) == 1) {
      labels = labels.squeeze(a);
    }
    int[] outShape = NdArray.dropAxis(yPred.shape(), a);
    if (!Arrays.equals(labels.shape(), outShape)) {
      throw new IllegalArgumentException(spec().className() + ": y_true must hold one label per position of y_pred"
          + " without its class axis, i.e. shape " + Arrays.toString(outShape) + " (or with a trailing 1), got "
          + Arrays.toString(yTrue.shape()) + " for y_pred " + Arrays.toString(yPred.shape()));
    }
    int classes = yPred.dim(a);
    if (classes == 0) {
      throw new IllegalArgumentException(spec().className() + ": y_pred " + Arrays.toString(yPred.shape())
          + " has no classes along axis " + axis);
    }
    int inner = 1;
    for (int i = a + 1; i < rank; i++) {
      inner *= yPred.dim(i);
    }
    double[] lab = labels.data();
    double[] x = yPred.data();
    double[] out = new double[lab.length];
    double[] mask = ignoreClass == null ? null : new double[lab.length];
    // Keras compares the float labels with ignore_class cast to the compute dtype.
    double ignored = ignoreClass == null ? Double.NaN : n.r(ignoreClass);
    double[] z = new double[classes];
    for (int pos = 0; pos < lab.length; pos++) {
      if (mask != null) {
        if (lab[pos] == ignored) {
          continue;
        }
        mask[pos] = 1.0;
      }
      int label = checkedLabel(lab[pos], pos, labels, classes);
      out[pos] = positionValue(x, (pos / inner) * classes * inner + pos % inner, inner, classes, label, z, n);
    }
    NdArray values = NdArray.of(out, outShape);
    return mask == null ? PerSample.of(values) : new PerSample(values, NdArray.of(mask, outShape));
  }

  /**
   * The loss at one position: classes {@code off, off + inner, ...} of y_pred, the valid class id
   * {@code label}; {@code z} (at least {@code classes} long) is scratch.
   */
  private double positionValue(double[] x, int off, int inner, int classes, int label, double[] z, Numerics n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0, i = off; k < classes; k++, i += inner) {
      z[k] = fromLogits ? x[i] : n.log(Numerics.clip(x[i], n.eps, n.hi));
      max = Math.max(max, z[k]);
    }
    double sumExp = 0.0;
    for (int k = 0; k < classes; k++) {
      sumExp = n.add(sumExp, n.exp(n.sub(z[k], max)));
    }
    return n.sub(n.log(sumExp), n.sub(z[label], max));
  }

  private int checkedLabel(double v, int pos, NdArray labels, int classes) {
    return ClassIds.check(spec().className(), v, pos, labels.shape(), classes,
        ignoreClass == null ? "" : " (ignore_class is " + ignoreClass + ")");
  }

  /**
   * Rows of one class id and a (C,) y_pred, class axis last, no ignore_class: {@link
   * #vectorRowValue}. A label the general path would refuse goes there, for its message.
   */
  @Override
  public Optional<RowKernel> rowKernel() {
    if (ignoreClass != null || (axis != -1 && axis != 1)) {
      return Optional.empty();
    }
    return Optional.of(RowKernel.vectorRows(this, new RowKernel.Vector() {
      @Override
      public boolean scalarTrue() {
        return true;
      }

      @Override
      public boolean takes(float[] yTrue, int width) {
        float v = yTrue[0];
        return v == Math.rint(v) && v >= 0 && v < width;
      }

      @Override
      public float value(float[] yTrue, float[] yPred, int width, Numerics n) {
        return vectorRowValue(yTrue, yPred, width, n);
      }

      @Override
      public boolean takes(double[] yTrue, int width) {
        double v = yTrue[0];
        return v == Math.rint(v) && v >= 0 && v < width;
      }

      @Override
      public double value(double[] yTrue, double[] yPred, int width, Numerics n) {
        return positionValue(yPred, 0, 1, width, (int) yTrue[0], scratch64(width), n);
      }
    }));
  }

  /**
   * {@link #perSample} for one float32 row as float arithmetic in the same order (float
   * {@code + -}, {@link Float32Exp}, {@link Float32Log}: the same bits).
   */
  private float vectorRowValue(float[] yTrue, float[] x, int width, Numerics n) {
    float[] z = x;
    if (!fromLogits) {
      float eps = (float) n.eps;
      float hi = (float) n.hi;
      z = scratch(width);
      for (int k = 0; k < width; k++) {
        float p = x[k];
        z[k] = Float32Log.log(p < eps ? eps : (p > hi ? hi : p));
      }
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int k = 0; k < width; k++) {
      max = Math.max(max, z[k]);
    }
    float sumExp = 0f;
    for (int k = 0; k < width; k++) {
      sumExp += Float32Exp.exp(z[k] - max);
    }
    return Float32Log.log(sumExp) - (z[(int) yTrue[0]] - max);
  }

  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

  private static float[] scratch(int width) {
    float[][] holder = SCRATCH.get();
    if (holder[0].length < width) {
      holder[0] = new float[width];
    }
    return holder[0];
  }

  private static final ThreadLocal<double[][]> SCRATCH64 = ThreadLocal.withInitial(() -> new double[1][0]);

  private static double[] scratch64(int width) {
    double[][] holder = SCRATCH64.get();
    if (holder[0].length < width) {
      holder[0] = new double[width];
    }
    return holder[0];
  }

  /** Builder with the SparseCategoricalCrossentropy options. */
  public static final class Builder extends Loss.Builder<Builder, SparseCategoricalCrossentropy> {
    private Builder() {
      super(SPEC);
    }

    public Builder fromLogits(boolean v) {
      return set("from_logits", v);
    }

    /** The label to ignore, or null for none. */
    public Builder ignoreClass(Integer v) {
      return set("ignore_class", v);
    }

    public Builder axis(int v) {
      return set("axis", v);
    }
  }
}
