package org.lossagg.differential;

import static org.lossagg.differential.CaseGen.dropLast;
import static org.lossagg.differential.CaseGen.sizeOf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.CategoricalHinge;
import org.tensorflow.framework.losses.CosineSimilarity;
import org.tensorflow.framework.losses.Hinge;
import org.tensorflow.framework.losses.Huber;
import org.tensorflow.framework.losses.KLDivergence;
import org.tensorflow.framework.losses.LogCosh;
import org.tensorflow.framework.losses.Loss;
import org.tensorflow.framework.losses.MeanAbsoluteError;
import org.tensorflow.framework.losses.MeanAbsolutePercentageError;
import org.tensorflow.framework.losses.MeanSquaredError;
import org.tensorflow.framework.losses.MeanSquaredLogarithmicError;
import org.tensorflow.framework.losses.Poisson;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.framework.losses.SquaredHinge;

/**
 * The table of every loss TensorFlow Java 1.0.0 implements ({@code org.tensorflow.framework.losses};
 * it has no focal, CTC, Dice, Tversky or Circle loss): the Keras class name lossagg's
 * {@code LossCatalog} knows it by, how to build the TF Java loss from the same Keras options, a
 * generator of inputs valid for both, and the comparison tolerance.
 *
 * <p>Generators stay inside what TF Java accepts: predictions in [0, 1] for the probability paths
 * of the cross-entropies (TF Java range-checks them; Keras does not) and hinge labels in {-1, 0, 1}
 * (TF Java value-checks them). Hinge labels also avoid one input family on purpose, see
 * {@link #hingeLabels}.
 */
final class TensorFlowLosses {
  private TensorFlowLosses() {}

  /** Builds the TF Java loss for a case's options and a reduction. */
  @FunctionalInterface
  interface TfFactory {
    Loss create(DiffCase c, Reduction reduction);
  }

  /** Draws one case. */
  @FunctionalInterface
  interface Generator {
    DiffCase next(CaseGen g);
  }

  /**
   * One row of the table. Pass rule per value: |lossagg - tf| <= atol + rtol·|tf| (NaN matches NaN,
   * an infinity matches the same infinity).
   */
  record Entry(String className, TfFactory tf, Generator generator, double atol, double rtol) {}

  /**
   * Default float32 tolerance: rtol 1e-5 is about 84 ulp, room for a different summation order in
   * TF's reductions, Eigen's vectorised exp/log/rsqrt (not correctly rounded, 1–2 ulp each) and TF
   * Java's own operation order (Huber's linear branch, smoothing constants computed in Java float);
   * atol 1e-6 covers results near 0 that come out of a cancellation between terms of order 1 (log-cosh
   * of tiny differences, orthogonal cosine vectors, perfect predictions).
   */
  static final double ATOL = 1e-6;
  static final double RTOL = 1e-5;

  static final List<Entry> ALL = List.of(
      new Entry("BinaryCrossentropy",
          (c, red) -> new BinaryCrossentropy(c.bool("from_logits"), c.number("label_smoothing"), red),
          TensorFlowLosses::binaryCrossentropy, ATOL, RTOL),
      new Entry("CategoricalCrossentropy",
          (c, red) -> new CategoricalCrossentropy(c.bool("from_logits"), c.number("label_smoothing"), red),
          TensorFlowLosses::categoricalCrossentropy, ATOL, RTOL),
      new Entry("SparseCategoricalCrossentropy",
          (c, red) -> new SparseCategoricalCrossentropy(c.bool("from_logits"), red),
          TensorFlowLosses::sparseCategoricalCrossentropy, ATOL, RTOL),
      new Entry("CategoricalHinge", (c, red) -> new CategoricalHinge(red),
          TensorFlowLosses::categoricalHinge, ATOL, RTOL),
      new Entry("CosineSimilarity", (c, red) -> new CosineSimilarity(-1, red),
          TensorFlowLosses::cosineSimilarity, ATOL, RTOL),
      new Entry("Hinge", (c, red) -> new Hinge(red), TensorFlowLosses::hinge, ATOL, RTOL),
      new Entry("SquaredHinge", (c, red) -> new SquaredHinge(red), TensorFlowLosses::hinge, ATOL, RTOL),
      new Entry("Huber", (c, red) -> new Huber(null, c.number("delta"), red),
          TensorFlowLosses::huber, ATOL, RTOL),
      new Entry("KLDivergence", (c, red) -> new KLDivergence(red),
          TensorFlowLosses::klDivergence, ATOL, RTOL),
      new Entry("LogCosh", (c, red) -> new LogCosh(red), TensorFlowLosses::regression, ATOL, RTOL),
      new Entry("MeanAbsoluteError", (c, red) -> new MeanAbsoluteError(red),
          TensorFlowLosses::regression, ATOL, RTOL),
      new Entry("MeanAbsolutePercentageError", (c, red) -> new MeanAbsolutePercentageError(red),
          TensorFlowLosses::percentage, ATOL, RTOL),
      new Entry("MeanSquaredError", (c, red) -> new MeanSquaredError(red),
          TensorFlowLosses::regression, ATOL, RTOL),
      new Entry("MeanSquaredLogarithmicError", (c, red) -> new MeanSquaredLogarithmicError(red),
          TensorFlowLosses::logarithmic, ATOL, RTOL),
      new Entry("Poisson", (c, red) -> new Poisson(red), TensorFlowLosses::poisson, ATOL, RTOL));

  private static Map<String, Object> options(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static DiffCase binaryCrossentropy(CaseGen g) {
    boolean logits = g.chance(0.5);
    double ls = g.labelSmoothing();
    int[] s = g.shape(1, 0.2);
    boolean hard = g.chance(0.7);
    F32Array t = g.fill(s, () -> hard ? (g.chance(0.5) ? 0f : 1f) : g.prob());
    F32Array p = g.fill(s, logits ? g::logit : g::prob);
    return new DiffCase(options("from_logits", logits, "label_smoothing", ls), t, p, g.weights(dropLast(s)));
  }

  private static DiffCase categoricalCrossentropy(CaseGen g) {
    boolean logits = g.chance(0.5);
    double ls = g.labelSmoothing();
    int[] s = g.shape(1, 0.2);
    F32Array t = categoricalLabels(g, s);
    F32Array p = logits ? g.fill(s, g::logit) : probabilityRows(g, s);
    return new DiffCase(options("from_logits", logits, "label_smoothing", ls), t, p, g.weights(dropLast(s)));
  }

  private static DiffCase sparseCategoricalCrossentropy(CaseGen g) {
    boolean logits = g.chance(0.5);
    // C >= 2: with one class tf.keras 2.x's rank alignment squeezes y_pred (B, 1) to (B,) first.
    int[] s = g.shape(2, 0.2);
    int c = s[s.length - 1];
    int[] labelShape = dropLast(s);
    F32Array t = g.fill(labelShape, () -> g.r.nextInt(c));
    F32Array p = logits ? g.fill(s, g::logit) : probabilityRows(g, s);
    return new DiffCase(options("from_logits", logits), t, p, g.weights(labelShape));
  }

  private static DiffCase categoricalHinge(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    F32Array t = g.chance(0.7) ? oneHot(g, s) : g.fill(s, () -> g.chance(0.5) ? 0f : 1f);
    return new DiffCase(options(), t, g.fill(s, g::real), g.weights(dropLast(s)));
  }

  private static DiffCase cosineSimilarity(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    return new DiffCase(options(), vectors(g, s), vectors(g, s), g.weights(dropLast(s)));
  }

  private static DiffCase hinge(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    return new DiffCase(options(), hingeLabels(g, s), g.fill(s, g::real), g.weights(dropLast(s)));
  }

  private static DiffCase huber(CaseGen g) {
    double u = g.r.nextDouble();
    float delta = u < 0.4 ? 1f : (u < 0.8 ? g.pick(new float[] {0.5f, 2f, 0.1f, 1e-3f}) : 0.01f + 3 * g.r.nextFloat());
    int[] s = g.shape(1, 0.2);
    float[] t = new float[sizeOf(s)];
    float[] p = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      if (g.chance(0.35)) {
        // Errors exactly at, one ulp below and one ulp above delta: the branch boundary.
        float d = g.pick(new float[] {delta, Math.nextDown(delta), Math.nextUp(delta)});
        t[i] = g.chance(0.6) ? 0f : g.between(-3, 3);
        p[i] = t[i] + (g.chance(0.5) ? d : -d);
      } else {
        t[i] = g.real();
        p[i] = g.real();
      }
    }
    return new DiffCase(options("delta", (double) delta), new F32Array(t, s), new F32Array(p, s.clone()),
        g.weights(dropLast(s)));
  }

  private static DiffCase klDivergence(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    return new DiffCase(options(), klSide(g, s), klSide(g, s), g.weights(dropLast(s)));
  }

  private static F32Array klSide(CaseGen g, int[] s) {
    double u = g.r.nextDouble();
    if (u < 0.4) {
      return probabilityRows(g, s);
    }
    if (u < 0.6) {
      return oneHot(g, s);
    }
    // Arbitrary values: clipped to [eps, 1] by the loss, so >1 and negatives exercise the clip.
    return g.fill(s, () -> g.chance(0.7) ? g.prob() : g.real());
  }

  private static DiffCase regression(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    return new DiffCase(options(), g.fill(s, g::real), g.fill(s, g::real), g.weights(dropLast(s)));
  }

  private static DiffCase percentage(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    // Zero and sub-eps targets: the divisor is max(|y_true|, eps), a 1e7 magnification.
    F32Array t = g.fill(s, () -> g.chance(0.2) ? g.pick(new float[] {0f, 1e-9f, -1e-9f, 1e-7f}) : g.real());
    return new DiffCase(options(), t, g.fill(s, g::real), g.weights(dropLast(s)));
  }

  private static DiffCase logarithmic(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    CaseGen.FloatSource v = () -> g.chance(0.7) ? Math.abs(g.real()) : g.real();
    return new DiffCase(options(), g.fill(s, v), g.fill(s, v), g.weights(dropLast(s)));
  }

  private static DiffCase poisson(CaseGen g) {
    int[] s = g.shape(1, 0.2);
    F32Array t = g.fill(s, () -> g.chance(0.5) ? g.between(0, 5) : (g.chance(0.2) ? g.pick(new float[] {0f, 1e-9f}) : 5 * g.r.nextFloat()));
    // A negative prediction makes log(y_pred + eps) NaN in both libraries; a few cases keep that path.
    boolean anySign = g.chance(0.1);
    F32Array p = g.fill(s, () -> anySign ? g.real()
        : (g.chance(0.2) ? g.pick(new float[] {0f, 1e-9f, 1e-7f, 100f, 1e-30f}) : 5 * g.r.nextFloat()));
    return new DiffCase(options(), t, p, g.weights(dropLast(s)));
  }

  /** One-hot rows along the last axis. */
  static F32Array oneHot(CaseGen g, int[] s) {
    int c = s[s.length - 1];
    float[] d = new float[sizeOf(s)];
    for (int lane = 0; lane < d.length; lane += c) {
      d[lane + g.r.nextInt(c)] = 1f;
    }
    return new F32Array(d, s.clone());
  }

  /** Labels for the categorical losses: one-hot, soft (normalised) or arbitrary values in [0, 1]. */
  static F32Array categoricalLabels(CaseGen g, int[] s) {
    double u = g.r.nextDouble();
    if (u < 0.6) {
      return oneHot(g, s);
    }
    if (u < 0.85) {
      return normalisedRows(g, s, g.r::nextFloat);
    }
    return g.fill(s, g::prob);
  }

  /**
   * Probability predictions in [0, 1]: normalised rows (softmax-like) or raw values, with the edges
   * of {@link CaseGen#prob}. A row is never all zeros (0/0 is NaN in both libraries, but TF's clip of
   * NaN is not specified).
   */
  static F32Array probabilityRows(CaseGen g, int[] s) {
    F32Array a = g.chance(0.5) ? normalisedRows(g, s, g::prob) : g.fill(s, g::prob);
    int c = s[s.length - 1];
    float[] d = a.data();
    for (int lane = 0; lane < d.length; lane += c) {
      boolean allZero = true;
      for (int k = 0; k < c; k++) {
        allZero &= d[lane + k] == 0f;
      }
      if (allZero) {
        d[lane + g.r.nextInt(c)] = Math.max(1e-9f, g.r.nextFloat());
      }
    }
    return a;
  }

  private static F32Array normalisedRows(CaseGen g, int[] s, CaseGen.FloatSource source) {
    int c = s[s.length - 1];
    float[] d = new float[sizeOf(s)];
    for (int lane = 0; lane < d.length; lane += c) {
      float sum = 0f;
      for (int k = 0; k < c; k++) {
        d[lane + k] = source.next();
        sum += d[lane + k];
      }
      for (int k = 0; k < c && sum > 0f; k++) {
        d[lane + k] = Math.min(1f, d[lane + k] / sum);
      }
    }
    return new F32Array(d, s.clone());
  }

  /** Vectors for cosine similarity: ordinary, tiny (below the 1e-12 norm floor), zero, or with edges. */
  private static F32Array vectors(CaseGen g, int[] s) {
    int c = s[s.length - 1];
    float[] d = new float[sizeOf(s)];
    for (int lane = 0; lane < d.length; lane += c) {
      double u = g.r.nextDouble();
      float scale = u < 0.6 ? 1f : (u < 0.7 ? 1e-7f : (u < 0.75 ? 1e-9f : (u < 0.85 ? 0f : -1f)));
      for (int k = 0; k < c; k++) {
        d[lane + k] = scale < 0 ? g.real() : scale * (float) g.r.nextGaussian();
      }
    }
    return new F32Array(d, s.clone());
  }

  /**
   * Hinge labels in {-1, 0, 1}, in three families: all {0, 1} (converted to ±1), all {-1, 1}, or a
   * {-1, 0, 1} mix in which every lane holding a 0 also holds a -1.
   *
   * <p>Why the restriction: tf.keras 2.x (and Keras 3) decide the {0,1}→{-1,1} conversion once for
   * the whole y_true tensor, while TF Java's {@code maybeConvertLabels} decides it per lane
   * ({@code reduceAll(..., axis -1, keepDims)}). The two agree exactly when no {0, 1}-only lane
   * containing a 0 sits next to a lane with a -1, which this generator guarantees; the divergence
   * itself is pinned by {@code TensorFlowDifferentialTest.hingeLabelConversionIsPerLaneInTensorFlowJava}.
   */
  static F32Array hingeLabels(CaseGen g, int[] s) {
    int family = g.r.nextInt(3);
    int c = s[s.length - 1];
    float[] d = new float[sizeOf(s)];
    for (int lane = 0; lane < d.length; lane += c) {
      boolean hasZero = false;
      boolean hasMinus = false;
      for (int k = 0; k < c; k++) {
        float v = family == 0 ? g.r.nextInt(2) : (family == 1 ? (g.chance(0.5) ? -1f : 1f) : g.r.nextInt(3) - 1);
        d[lane + k] = v;
        hasZero |= v == 0f;
        hasMinus |= v == -1f;
      }
      if (family == 2 && hasZero && !hasMinus) {
        d[lane + g.r.nextInt(c)] = -1f;
      }
    }
    return new F32Array(d, s.clone());
  }
}
