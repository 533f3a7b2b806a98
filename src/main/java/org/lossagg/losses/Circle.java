package org.lossagg.losses;

import org.lossagg.reduce.Reduction;
import java.util.Arrays;
import java.util.List;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;

/**
 * Keras {@code Circle} loss for metric learning: integer labels {@code y_true} (B,) and embeddings
 * {@code y_pred} (B, D), which the caller L2-normalises (the loss does not). Against a reference
 * set (by default the batch itself), with cosine distances {@code d = max(1 - y_pred·refᵀ, 0)}:
 *
 * <pre>
 *   positives: same label (minus the sample itself when remove_diagonal); negatives: other labels
 *   P = -gamma · max(margin + d, 0) · (margin - d)        over positives
 *   N =  gamma · max(1 + margin - d, 0) · (1 - margin - d) over negatives
 *   loss_i = softplus(logsumexp_j P + logsumexp_j N)      (0 when either set is empty)
 * </pre>
 *
 * The loss also returns Keras' output mask {@code loss > 0}: samples with loss 0 (a class with one
 * sample, say) are left out of the sum_over_batch_size and mean_with_sample_weight divisors.
 *
 * <p>Options (Python positional order {@code gamma, margin, remove_diagonal, reduction, name, dtype}):
 * <ul>
 *   <li>{@code gamma=80.0}: scale of the similarity scores, > 0 (a negative scale rewards
 *       dissimilar positives; Keras does not check it);
 *   <li>{@code margin=0.4}: relaxation margin;
 *   <li>{@code remove_diagonal=true}: drop each sample's pair with itself from its positives.
 * </ul>
 *
 * <p>Each per-sample value depends only on the sample and the multiset of reference rows: the
 * log-sum-exp sums are exact sums rounded once, so the order of the reference rows does not change
 * a bit. {@link #newAggregation()} therefore collects a group's rows and computes at the end with
 * the WHOLE GROUP as the reference set, exactly as {@link #call} does on the group as one batch.
 * Only the functional form {@link #function(NdArray, NdArray, NdArray, NdArray, DType)} takes
 * another reference set.
 *
 * <pre>{@code
 * NdArray labels = NdArray.vector(1, 1, 2);
 * NdArray embeddings = NdArray.matrix(new double[][] {{1, 0}, {0.6, 0.8}, {0, 1}});
 * Circle.builder().reduction(Reduction.NONE).build().call(labels, embeddings);   // [2.7607682E-6, 38.4, 0.0]
 * Circle.builder().build().call(labels, embeddings);   // 19.200003: the singleton class-2 sample is masked
 * }</pre>
 */
public final class Circle extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("Circle", "circle")
      .option(OptionSpec.ranged("gamma", 80.0, "scale of the similarity scores", 0, false, Double.POSITIVE_INFINITY, true))
      .option(OptionSpec.of("margin", OptionType.FLOAT, 0.4, "relaxation margin of the positive and negative optima"))
      .option(OptionSpec.of("remove_diagonal", OptionType.BOOLEAN, true,
          "drop each sample's pair with itself from its positives"))
      .functionArgs("remove_diagonal", "gamma", "margin")
      .rowOutput(RowOutput.GROUP_PAIRWISE)
      .formula("softplus(logsumexp(-gamma*max(m+d,0)*(m-d)) over same-label pairs + logsumexp(gamma*max(1+m-d,0)*(1-m-d)) "
          + "over other-label pairs), d = max(1 - cosine, 0)")
      .keras3Only(7)
      .referenceArg("ref_labels", 1, "integer class labels of the reference rows")
      .referenceArg("ref_embeddings", 2, "one embedding per reference row")
      .requiredWithReferences("remove_diagonal")
      .note("Without references a row is compared only with itself (a batch of one) and its loss is 0, "
          + "masked, so NULL; pass ref_labels and ref_embeddings with remove_diagonal = false (a batch of one "
          + "would otherwise drop its pair with the first reference row), or use keras_loss('circle', ...) for "
          + "the rows of a group against each other.")
      .sqlExample("SELECT loss_circle(1, array(1, 0), array(1, 1, 2), array(array(1, 0), array(0.6, 0.8), array(0, 1)), false);",
          "2.76077638295578E-6")
      .sqlExample("SELECT loss_circle(2, array(0, 1), array(1, 1, 2), array(array(1, 0), array(0.6, 0.8), array(0, 1)), false, 64, 0.25);",
          "32.960000000000015")
      .sqlExample("SELECT loss_circle(1, array(1, 0));",
          "NULL")
      .factory(Circle::new);

  /**
   * The default bound on the rows of one group {@link #newAggregation()} collects. Circle compares
   * every pair of a group's rows: on the 2-core build machine, shared with other builds (load 17),
   * one group with 16-dimensional embeddings took 29.7 s at 10,000 rows and 47.9 s at 20,000; 200,000
   * rows would take a hundred times as long as 20,000.
   */
  public static final int DEFAULT_MAX_GROUP_ROWS = 10_000;

  private final double gamma;
  private final double margin;
  private final boolean removeDiagonal;
  private final int maxGroupRows;

  private Circle(LossOptions options) {
    this(options, DEFAULT_MAX_GROUP_ROWS);
  }

  private Circle(LossOptions options, int maxGroupRows) {
    super(options);
    this.gamma = options.number("gamma");
    this.margin = options.number("margin");
    this.removeDiagonal = options.bool("remove_diagonal");
    this.maxGroupRows = maxGroupRows;
  }

  /**
   * This loss with another bound on the rows of a group its aggregation collects (lossagg's own
   * setting, not part of the Keras config; {@link #DEFAULT_MAX_GROUP_ROWS} by default). Past the
   * bound, {@link LossAggregation#add} and {@code merge} fail, saying how to batch the group.
   */
  @Override
  public Circle withMaxGroupRows(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("Circle: the bound on rows per group must be >= 1, got " + rows);
    }
    return rows == maxGroupRows ? this : new Circle(options(), rows);
  }

  /** The bound on the rows of a group {@link #newAggregation()} collects. */
  public int maxGroupRows() {
    return maxGroupRows;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    return circle(yTrue, yPred, yTrue, yPred, n);
  }

  /**
   * The functional form {@code keras.losses.circle(y_true, y_pred, ref_labels, ref_embeddings, ...)}
   * with this loss' gamma, margin and remove_diagonal, computing in {@code dtype}: per-sample
   * values (B,) and the mask {@code loss > 0}. A null reference defaults to the batch itself, as in
   * Keras. With remove_diagonal, pair (i, i) is dropped whatever the reference rows are.
   */
  public PerSample function(NdArray yTrue, NdArray yPred, NdArray refLabels, NdArray refEmbeddings, DType dtype) {
    Numerics n = Numerics.of(dtype, keras2());
    NdArray labels = yTrue.map(n::r);
    NdArray emb = yPred.map(n::r);
    NdArray refL = refLabels == null ? labels : refLabels.map(n::r);
    NdArray refE = refEmbeddings == null ? emb : refEmbeddings.map(n::r);
    return circle(labels, emb, refL, refE, n);
  }

  /** One row (a label and an embedding) against {@code references} = (ref_labels, ref_embeddings). */
  @Override
  public PerSample functionOnRow(NdArray yTrue, NdArray yPred, List<NdArray> references, DType dtype) {
    if (references.size() != 2) {
      throw new IllegalArgumentException("Circle: takes ref_labels and ref_embeddings, got " + references.size()
          + " reference inputs");
    }
    return function(yTrue.reshape(1), yPred.reshape(1, yPred.size()), references.get(0), references.get(1), dtype);
  }

  @Override
  public void checkReferenceOptions() {
    if (removeDiagonal) {
      throw new IllegalArgumentException("with ref_labels and ref_embeddings each row is a Keras batch of one, "
          + "where remove_diagonal=true would drop the row's pair with the FIRST reference row (pair (0, 0)), not "
          + "with itself; pass remove_diagonal = false (argument 5), or use keras_loss('circle', ...) to compare "
          + "the rows of a group with each other");
    }
  }

  private PerSample circle(NdArray yTrue, NdArray yPred, NdArray refLabels, NdArray refEmbeddings, Numerics n) {
    if (yPred.rank() != 2) {
      throw new IllegalArgumentException("Circle: y_pred must be embeddings of shape (batch_size, dim), got shape "
          + Arrays.toString(yPred.shape()));
    }
    if (refEmbeddings.rank() != 2 || refEmbeddings.dim(1) != yPred.dim(1)) {
      throw new IllegalArgumentException("Circle: ref_embeddings must have shape (num_refs, " + yPred.dim(1)
          + ") like y_pred " + Arrays.toString(yPred.shape()) + ", got " + Arrays.toString(refEmbeddings.shape()));
    }
    int batch = yPred.dim(0);
    int refs = refEmbeddings.dim(0);
    int dim = yPred.dim(1);
    long[] q = labels("y_true", yTrue, batch);
    long[] k = labels("ref_labels", refLabels, refs);
    double[] e = yPred.data();
    double[] r = refEmbeddings.data();
    // Python constants meet float tensors: rounded to the dtype (optim_pos = delta_pos = margin).
    double m = n.r(margin);
    double optimNeg = n.r(1 + margin);
    double deltaNeg = n.r(1 - margin);
    double negGamma = n.r(-1 * gamma);
    double g = n.r(gamma);
    boolean f32 = n.dtype() == DType.FLOAT32;
    double[] pos = new double[refs];
    double[] neg = new double[refs];
    double[] out = new double[batch];
    double[] mask = new double[batch];
    for (int i = 0; i < batch; i++) {
      int np = 0;
      int nn = 0;
      for (int j = 0; j < refs; j++) {
        // Fused multiply-adds in the dtype, as TF's CPU matmul accumulates (checked against TF 2.21).
        double dot = 0.0;
        for (int c = 0; c < dim; c++) {
          dot = f32 ? Math.fma((float) e[i * dim + c], (float) r[j * dim + c], (float) dot)
              : Math.fma(e[i * dim + c], r[j * dim + c], dot);
        }
        double d = Math.max(n.sub(1.0, dot), 0.0);
        if (q[i] == k[j]) {
          if (!(removeDiagonal && i == j)) {
            double w = Math.max(n.add(m, d), 0.0);
            pos[np++] = n.mul(n.mul(negGamma, w), n.sub(m, d));
          }
        } else {
          double w = Math.max(n.sub(optimNeg, d), 0.0);
          neg[nn++] = n.mul(n.mul(g, w), n.sub(deltaNeg, d));
        }
      }
      out[i] = softplus(n.add(logSumExp(pos, np, n), logSumExp(neg, nn, n)), n);
      mask[i] = out[i] > 0 ? 1.0 : 0.0;
    }
    return new PerSample(NdArray.of(out, batch), NdArray.of(mask, batch));
  }

  /** Labels cast to int32 as TF does (truncation); shape (count,) or (count, 1). */
  private static long[] labels(String what, NdArray a, int count) {
    boolean ok = (a.rank() == 1 && a.dim(0) == count) || (a.rank() == 2 && a.dim(0) == count && a.dim(1) == 1);
    if (!ok) {
      throw new IllegalArgumentException("Circle: " + what + " must hold one integer label per embedding row, shape ("
          + count + ",) or (" + count + ", 1), got " + Arrays.toString(a.shape()));
    }
    double[] v = a.data();
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException("Circle: " + what + "[" + i + "] = " + v[i] + " is not an integer label");
      }
      out[i] = (long) v[i];
    }
    return out;
  }

  /**
   * TF's reduce_logsumexp of the first {@code count} values (the others are -inf): log(Σ exp(x - max)) + max,
   * max taken as 0 when not finite, so an empty set gives -inf. The sum is exact, rounded once, so the
   * value does not depend on the order of the reference rows.
   */
  private static double logSumExp(double[] x, int count, Numerics n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      max = Math.max(max, x[i]);
    }
    if (!Double.isFinite(max)) {
      max = 0.0;
    }
    ExactSum s = new ExactSum();
    for (int i = 0; i < count; i++) {
      s.add(n.exp(n.sub(x[i], max)));
    }
    return n.add(n.log(n.r(s.doubleValue())), max);
  }

  /**
   * TF's softplus kernel: x above -t, exp(x) below t, else log1p(exp(x)), where
   * t = log(machine epsilon of the dtype) + 2.
   */
  private static double softplus(double x, Numerics n) {
    double t = n.r(Math.log(n.dtype() == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0)) + 2);
    if (x > -t) {
      return x;
    }
    if (x < t) {
      return n.exp(x);
    }
    return n.log1p(n.exp(x));
  }

  @Override
  public LossAggregation newAggregation() {
    return new CircleAggregation(this);
  }

  @Override
  public LossAggregation aggregationFromBytes(byte[] bytes) {
    return CircleAggregation.fromBytes(this, bytes);
  }

  /** Builder with the Circle options. */
  public static final class Builder extends Loss.Builder<Builder, Circle> {
    private Builder() {
      super(SPEC);
    }

    public Builder gamma(double v) {
      return set("gamma", v);
    }

    public Builder margin(double v) {
      return set("margin", v);
    }

    public Builder removeDiagonal(boolean v) {
      return set("remove_diagonal", v);
    }
  }
}
