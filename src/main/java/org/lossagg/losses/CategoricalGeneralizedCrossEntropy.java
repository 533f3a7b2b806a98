package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CategoricalGeneralizedCrossEntropy}: with {@code p = Σ_{-1} y_pred·one_hot(y_true, C)}
 * (the predicted probability of the labelled class, not clipped or renormalised), the loss is
 * {@code (1 - p^q) / q}. Labels must be integer class ids in [0, C), as for
 * {@link SparseCategoricalCrossentropy}: Keras truncates fractional labels and gives labels outside
 * [0, C) an all-zero one-hot (a loss of {@code 1/q}); lossagg refuses both, naming the label.
 *
 * <p>Options (Python positional order {@code q, reduction, name, dtype}):
 * <ul>
 *   <li>{@code q=0.5}: the noise parameter, strictly between 0 and 1 (checked when built, as the
 *       Keras constructor does); towards 0 it behaves like cross-entropy, towards 1 like MAE.
 * </ul>
 *
 * <p>Keras quirk, reproduced: labels of shape (B,1) against y_pred (B,C) are NOT squeezed.
 * {@code one_hot} gives (B,1,C), which broadcasts against (B,C) to (B,B,C), so the per-sample
 * output is a (B,B) matrix whose entry [i, j] is the loss of row j's prediction for row i's label.
 * Give labels of shape (B,) for one value per sample.
 *
 * <pre>{@code
 * Loss gce = CategoricalGeneralizedCrossEntropy.builder().build();
 * gce.call(NdArray.vector(0, 1, 0, 1),
 *          NdArray.matrix(new double[][] {{0.7, 0.3}, {0.2, 0.8}, {0.6, 0.4}, {0.4, 0.6}}));   // 0.3598597
 * }</pre>
 */
public final class CategoricalGeneralizedCrossEntropy extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CategoricalGeneralizedCrossEntropy",
          "categorical_generalized_cross_entropy")
      .option(OptionSpec.ranged("q", 0.5, "noise parameter: near 0 like cross-entropy, near 1 like MAE",
          0, false, 1, false))
      .rowOutput(RowOutput.DROPS_CLASS_AXIS)
      .formula("(1 - p^q) / q, p = sum(y_pred * one_hot(y_true)) over the last axis")
      .keras3Only(10)
      .sqlExample("SELECT loss_categorical_generalized_cross_entropy(1, array(0.1, 0.8, 0.1));",
          "0.2111456180001683")
      .sqlExample("SELECT loss_categorical_generalized_cross_entropy(1, array(0.1, 0.8, 0.1), 0.7);",
          "0.20658902858149927")
      .factory(CategoricalGeneralizedCrossEntropy::new);

  private final double q;

  private CategoricalGeneralizedCrossEntropy(LossOptions options) {
    super(options);
    this.q = options.number("q");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    if (yPred.rank() == 0) {
      throw new IllegalArgumentException(spec().className()
          + ": y_pred must have a class axis (shape (..., num_classes)), got a scalar");
    }
    int classes = yPred.dim(-1);
    NdArray oneHot = oneHot(yTrue, classes);
    NdArray prod;
    try {
      prod = NdArray.broadcast(yPred, oneHot, n::mul);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(spec().className() + ": labels of shape " + Arrays.toString(yTrue.shape())
          + " (one-hot " + Arrays.toString(oneHot.shape()) + ") do not broadcast against y_pred of shape "
          + Arrays.toString(yPred.shape()) + "; give one class id per row of y_pred", e);
    }
    double qq = n.r(q);
    return PerSample.of(Lanes.reduce(prod, prod, -1, (a, b, off, stride, len) -> {
      double p = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        p = n.add(p, a[i]);
      }
      // keras: (1 - power(p, q)) / q
      return n.div(n.sub(1.0, n.pow(p, qq)), qq);
    }));
  }

  /**
   * {@code one_hot(y_true, classes)} in the dtype: shape {@code y_true.shape + (classes,)}. Labels
   * must be integer class ids in [0, classes) ({@link ClassIds}): Keras truncates other values and
   * gives ids outside the range an all-zero row (a loss of 1/q), which no class means.
   */
  private NdArray oneHot(NdArray labels, int classes) {
    int[] ls = labels.shape();
    int[] shape = Arrays.copyOf(ls, ls.length + 1);
    shape[ls.length] = classes;
    double[] out = new double[NdArray.sizeOf(shape)];
    double[] l = labels.data();
    for (int i = 0; i < l.length; i++) {
      out[i * classes + ClassIds.check(spec().className(), l[i], i, ls, classes, "")] = 1.0;
    }
    return NdArray.of(out, shape);
  }

  /** Builder with the CategoricalGeneralizedCrossEntropy option. */
  public static final class Builder extends Loss.Builder<Builder, CategoricalGeneralizedCrossEntropy> {
    private Builder() {
      super(SPEC);
    }

    /** The noise parameter, 0 &lt; q &lt; 1. */
    public Builder q(double v) {
      return set("q", v);
    }
  }
}
