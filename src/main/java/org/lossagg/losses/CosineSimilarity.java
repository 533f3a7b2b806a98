package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CosineSimilarity}: {@code -sum_axis(l2(y_true) * l2(y_pred))} with
 * {@code l2(x) = x * rsqrt(max(sum_axis x^2, eps^2))}. Values lie in [-1, 1]; -1 means the vectors
 * point the same way, and a zero vector gives -0.0. tf.keras 2.x ({@code tf.linalg.l2_normalize})
 * floors the squared norm at 1e-12 instead of eps^2 = 1e-14.
 *
 * <p>Option: {@code axis} (default -1), the features axis summed over and dropped from the output.
 * The functional form aligns ranks itself.
 *
 * <pre>{@code
 * Loss cos = CosineSimilarity.builder().build();
 * cos.call(NdArray.matrix(new double[][] {{0, 1}, {1, 1}}),
 *          NdArray.matrix(new double[][] {{1, 0}, {1, 1}}));   // -0.49999997
 * }</pre>
 */
public final class CosineSimilarity extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CosineSimilarity", "cosine_similarity")
      .option(OptionSpec.of("axis", OptionType.INT, -1, "features axis the similarity is computed along"))
      .formula("-sum(l2_normalize(y_true) * l2_normalize(y_pred)) over axis")
      .leftOutOfReleasedConfig("axis")
      .sqlExample("SELECT loss_cosine_similarity(array(0, 1), array(1, 1));",
          "-0.7071067811865475")
      .factory(CosineSimilarity::new);

  /** tf.linalg.l2_normalize's default epsilon (a floor on the squared norm). */
  private static final double KERAS2_FLOOR = 1e-12;

  private final int axis;

  private CosineSimilarity(LossOptions o) {
    super(o);
    this.axis = o.integer("axis");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected boolean functionAligns() {
    return true;
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    if (!yTrue.sameShape(yPred)) {
      throw new IllegalArgumentException("CosineSimilarity: y_true and y_pred must have the same shape, got "
          + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()));
    }
    int rank = yPred.rank();
    if (rank == 0 || axis < -rank || axis >= rank) {
      throw new IllegalArgumentException("CosineSimilarity: axis " + axis + " is out of range for inputs of rank "
          + rank + " (allowed: " + (rank == 0 ? "none, inputs need at least one axis" : (-rank) + ".." + (rank - 1)) + ")");
    }
    // Keras 3 floors at epsilon() ** 2 computed as a Python double, then converted to the dtype.
    double floor = n.r(n.keras2() ? KERAS2_FLOOR : Numerics.EPSILON * Numerics.EPSILON);
    return PerSample.of(Lanes.reduce(yTrue, yPred, axis, (t, p, off, stride, len) -> {
      double invT = inverseNorm(t, off, stride, len, floor, n);
      double invP = inverseNorm(p, off, stride, len, floor, n);
      double sum = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        sum = n.add(sum, n.mul(n.mul(t[i], invT), n.mul(p[i], invP)));
      }
      return -sum;
    }));
  }

  /** {@code rsqrt(max(sum x^2, floor))}, as 1 / sqrt in the compute dtype. */
  private static double inverseNorm(double[] x, int off, int stride, int len, double floor, Numerics n) {
    double ss = 0.0;
    for (int k = 0, i = off; k < len; k++, i += stride) {
      ss = n.add(ss, n.mul(x[i], x[i]));
    }
    return n.div(1.0, n.sqrt(Math.max(ss, floor)));
  }

  /** Builder with the CosineSimilarity option. */
  public static final class Builder extends Loss.Builder<Builder, CosineSimilarity> {
    private Builder() {
      super(SPEC);
    }

    public Builder axis(int v) {
      return set("axis", v);
    }
  }
}
