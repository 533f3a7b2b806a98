package org.lossagg.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * The mergeable state of {@link Circle} over a group of rows: collects every row (label, embedding, weight, mask) and, at
 * {@link #result()}, puts them in a canonical order (label, then embedding bits, weight, mask) and
 * computes the class form on the whole group as one batch, the group being each row's reference
 * set. The result is the same double for any split of the rows into chunks and any merge order.
 * Memory grows with the group and time with its square (Circle compares every pair), so a group
 * is bounded by {@link Circle#maxGroupRows()}: a chunk or merge past it fails before its rows are
 * kept.
 *
 * <p>Weights per chunk: none, a scalar, or one per row ((b,) or (b,1)); masks: none or one per
 * row. A group whose chunks all gave the same scalar weight is weighted by that scalar; otherwise
 * weights become per row (scalars spread over their chunk's rows, rows without weights 1.0). Rows
 * without a mask are unmasked.
 */
final class CircleAggregation implements LossAggregation {
  private static final Comparator<Row> CANONICAL = (a, b) -> {
    int c = Double.compare(a.label, b.label);
    for (int i = 0; c == 0 && i < a.embedding.length; i++) {
      c = Long.compare(Double.doubleToLongBits(a.embedding[i]), Double.doubleToLongBits(b.embedding[i]));
    }
    if (c == 0) {
      c = Long.compare(Double.doubleToLongBits(a.weight), Double.doubleToLongBits(b.weight));
    }
    return c != 0 ? c : Double.compare(a.mask, b.mask);
  };

  private final Circle loss;
  private final List<Row> rows = new ArrayList<>();
  private int dim = -1;
  private boolean anyWeight;
  private boolean anyMask;
  /** Whether every weighted chunk gave the same scalar weight (and every row has one). */
  private boolean oneScalarWeight = true;
  private double scalarWeight = Double.NaN;

  CircleAggregation(Circle loss) {
    this.loss = loss;
  }

  private record Row(double label, double[] embedding, double weight, double mask) {}

  @Override
  public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    if (yPred.rank() != 2) {
      throw new IllegalArgumentException("Circle: y_pred must be embeddings of shape (rows, dim), got shape "
          + Arrays.toString(yPred.shape()));
    }
    int b = yPred.dim(0);
    int d = yPred.dim(1);
    double[] labels = perRow("y_true", yTrue, b, false);
    double[] weights = sampleWeight == null ? null : perRow("sample_weight", sampleWeight, b, true);
    double[] masks = mask == null ? null : perRow("mask", mask, b, false);
    if (b == 0) {
      return;
    }
    requireRoom(b);
    joinDim(d);
    if (weights == null) {
      oneScalarWeight = false;
    } else {
      anyWeight = true;
      if (sampleWeight.rank() != 0
          || (!Double.isNaN(scalarWeight) && Double.compare(scalarWeight, sampleWeight.item()) != 0)) {
        oneScalarWeight = false;
      }
      scalarWeight = weights[0];
    }
    anyMask |= masks != null;
    double[] e = yPred.data();
    for (int i = 0; i < b; i++) {
      rows.add(new Row(labels[i], Arrays.copyOfRange(e, i * d, (i + 1) * d),
          weights == null ? 1.0 : weights[i], masks == null ? 1.0 : masks[i]));
    }
  }

  private void requireRoom(long more) {
    if (rows.size() + more > loss.maxGroupRows()) {
      throw new IllegalArgumentException("Circle: a group of more than " + loss.maxGroupRows() + " rows ("
          + (rows.size() + more) + " so far); Circle compares every pair of rows of a group, so its time grows with"
          + " the square of the group. Batch the rows as Keras does: GROUP BY a batch id of groups of at most "
          + loss.maxGroupRows() + " rows (e.g. GROUP BY slice, pmod(hash(id), k)), or raise the bound "
          + "(spark.lossagg.circle.maxRowsPerGroup in Spark, Circle.withMaxGroupRows in Java)");
    }
  }

  private void joinDim(int d) {
    if (dim >= 0 && dim != d) {
      throw new IllegalArgumentException("Circle: every row of a group needs embeddings of one dimension, got "
          + dim + " and " + d);
    }
    dim = d;
  }

  /** One value per row from shape (b,) or (b,1) (or a scalar spread over the rows when allowed). */
  private static double[] perRow(String what, NdArray a, int b, boolean scalarAllowed) {
    if (scalarAllowed && a.rank() == 0) {
      double[] out = new double[b];
      Arrays.fill(out, a.item());
      return out;
    }
    boolean ok = (a.rank() == 1 && a.dim(0) == b) || (a.rank() == 2 && a.dim(0) == b && a.dim(1) == 1);
    if (!ok) {
      throw new IllegalArgumentException("Circle aggregation: " + what + " must have one value per row, shape (" + b
          + ",) or (" + b + ", 1)" + (scalarAllowed ? " or a scalar" : "") + ", got " + Arrays.toString(a.shape()));
    }
    return a.data();
  }

  @Override
  public void merge(LossAggregation other) {
    CircleAggregation o = MergeCheck.sameLoss(loss, CircleAggregation.class, other, a -> a.loss);
    if (o.rows.isEmpty()) {
      return;
    }
    requireRoom(o.rows.size());
    joinDim(o.dim);
    if (rows.isEmpty()) {
      oneScalarWeight = o.oneScalarWeight;
      scalarWeight = o.scalarWeight;
    } else {
      oneScalarWeight &= o.oneScalarWeight && Double.compare(scalarWeight, o.scalarWeight) == 0;
    }
    anyWeight |= o.anyWeight;
    anyMask |= o.anyMask;
    rows.addAll(o.rows);
  }

  /** Number of rows collected. */
  int size() {
    return rows.size();
  }

  @Override
  public double result() {
    return result(loss.reduction());
  }

  @Override
  public double result(Reduction reduction) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(CANONICAL);
    int count = sorted.size();
    int d = Math.max(dim, 0);
    double[] labels = new double[count];
    double[] emb = new double[count * d];
    double[] weights = new double[count];
    double[] masks = new double[count];
    for (int i = 0; i < count; i++) {
      Row r = sorted.get(i);
      labels[i] = r.label;
      System.arraycopy(r.embedding, 0, emb, i * d, d);
      weights[i] = r.weight;
      masks[i] = r.mask;
    }
    NdArray sw = null;
    if (anyWeight) {
      sw = oneScalarWeight ? NdArray.scalar(scalarWeight) : NdArray.of(weights, count);
    }
    PerSampleAggregation agg = new PerSampleAggregation(loss);
    agg.add(NdArray.of(labels, count), NdArray.of(emb, count, d), sw, anyMask ? NdArray.of(masks, count) : null);
    return agg.result(reduction);
  }

  /**
   * Kind byte, embedding dimension, the weight/mask flags and the common scalar weight, the row
   * count, then each row as label, weight, mask and embedding (exact bits), in arrival order.
   */
  @Override
  public byte[] toBytes() {
    StateBytes.Writer w = StateBytes.writer(StateBytes.CIRCLE).putInt(dim).putBoolean(anyWeight).putBoolean(anyMask)
        .putBoolean(oneScalarWeight).putDouble(scalarWeight).putInt(rows.size());
    for (Row r : rows) {
      w.putDouble(r.label).putDouble(r.weight).putDouble(r.mask);
      for (double e : r.embedding) {
        w.putDouble(e);
      }
    }
    return w.toBytes();
  }

  static CircleAggregation fromBytes(Circle loss, byte[] bytes) {
    String what = "Circle aggregation";
    StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.CIRCLE, what);
    CircleAggregation agg = new CircleAggregation(loss);
    agg.dim = r.getInt();
    agg.anyWeight = r.getBoolean();
    agg.anyMask = r.getBoolean();
    agg.oneScalarWeight = r.getBoolean();
    agg.scalarWeight = r.getDouble();
    int count = r.getInt();
    if (count < 0 || agg.dim < -1 || (count > 0 && agg.dim < 0)) {
      throw new IllegalArgumentException(what + ": state bytes hold " + count + " rows of embedding dimension "
          + agg.dim + "; expected a non-negative count, and a dimension >= 0 when there are rows");
    }
    agg.requireRoom(count);
    for (int i = 0; i < count; i++) {
      double label = r.getDouble();
      double weight = r.getDouble();
      double mask = r.getDouble();
      double[] e = new double[agg.dim];
      for (int c = 0; c < e.length; c++) {
        e[c] = r.getDouble();
      }
      agg.rows.add(new Row(label, e, weight, mask));
    }
    r.end();
    return agg;
  }

  @Override
  public String toString() {
    return "CircleAggregation[" + loss + ", rows=" + rows.size() + "]";
  }
}
