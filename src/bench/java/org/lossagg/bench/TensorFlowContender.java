package org.lossagg.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.Loss;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow Java 1.0 ({@code org.tensorflow.framework.losses}, tf.keras 2.x numerics) on the same
 * values as in-memory batches: the first rows of the source (up to {@link #POOL_ELEMENTS} values
 * per input) are collected once, untimed, into float32 tensors of {@link #BATCH_ELEMENTS} values;
 * a run feeds them through one prepared graph per batch shape (sum_over_batch_size), cycling
 * through the pool until it has covered the requested rows, and averages the batch means by
 * batch size. Only when the pool holds every requested row is the value the workload's loss.
 */
final class TensorFlowContender implements Contender, AutoCloseable {
  /** Enough for every row of the 1,000-class workload (10^5 rows; 800 MB of native tensors). */
  static final int POOL_ELEMENTS = 1 << 27;
  static final int COLLECT_ELEMENTS = 1 << 23;
  static final int MAX_POOL_ROWS = 1 << 20;
  static final int BATCH_ELEMENTS = 1 << 18;
  /** Batch means in float32 (Eigen's tree reduction), then combined in double. */
  private static final double RTOL = 1e-4;

  enum Kind {
    BCE("BinaryCrossentropy()", false, false),
    BCE_WEIGHTED("BinaryCrossentropy() with sample weights", false, true),
    BCE_LOGITS("BinaryCrossentropy(fromLogits=true)", true, false),
    CCE_LOGITS("CategoricalCrossentropy(fromLogits=true)", true, false),
    SCCE_LOGITS("SparseCategoricalCrossentropy(fromLogits=true)", true, false);

    final String call;
    final boolean fromLogits;
    final boolean weighted;

    Kind(String call, boolean fromLogits, boolean weighted) {
      this.call = call;
      this.fromLogits = fromLogits;
      this.weighted = weighted;
    }
  }

  private record Batch(int rows, TFloat32 yTrue, TFloat32 yPred, TFloat32 weight) {}

  private record Model(Graph graph, Session session, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> weight, Operand<TFloat32> loss) {}

  private final Kind kind;
  private final String yTrueColumn;
  private final String yPredColumn;
  private final String weightColumn;
  private final int width;
  private final List<Batch> pool = new ArrayList<>();
  private long poolRows = -1;
  private final Map<Integer, Model> models = new HashMap<>();

  /**
   * @param width values per row of y_pred (1 for a binary probability, C for class logits)
   */
  TensorFlowContender(Kind kind, String yTrue, String yPred, String weight, int width) {
    this.kind = kind;
    this.yTrueColumn = yTrue;
    this.yPredColumn = yPred;
    this.weightColumn = weight;
    this.width = width;
  }

  @Override
  public Peer peer() {
    return Peer.TENSORFLOW;
  }

  @Override
  public String describe() {
    return kind.call + " on float32 batches of " + batchRows() + " rows (" + yTrueColumn + ", " + yPredColumn
        + (weightColumn == null ? "" : ", " + weightColumn) + "), first " + maxPoolRows() + " rows cycled";
  }

  private int batchRows() {
    return Math.max(1, BATCH_ELEMENTS / width);
  }

  private long maxPoolRows() {
    return Math.min(MAX_POOL_ROWS, POOL_ELEMENTS / width);
  }

  @Override
  public void prepare(Dataset<Row> source, long rows) {
    long want = Math.min(rows, maxPoolRows());
    if (want == poolRows) {
      return;
    }
    closePool();
    String[] cols = weightColumn == null
        ? new String[] {yTrueColumn, yPredColumn}
        : new String[] {yTrueColumn, yPredColumn, weightColumn};
    // In chunks of whole batches, so the boxed rows of a wide pool never sit in the heap at once.
    int b = batchRows();
    long chunk = (long) b * Math.max(1, COLLECT_ELEMENTS / ((long) b * width));
    long pooled = 0;
    for (long from = 0; from < want; from += chunk) {
      List<Row> collected = source.filter("id >= " + from + " AND id < " + Math.min(want, from + chunk))
          .selectExpr(cols).collectAsList();
      for (int at = 0; at < collected.size(); at += b) {
        pool.add(batch(collected.subList(at, Math.min(collected.size(), at + b))));
      }
      pooled += collected.size();
    }
    poolRows = pooled;
  }

  private Batch batch(List<Row> rows) {
    int n = rows.size();
    boolean sparse = kind == Kind.SCCE_LOGITS;
    int trueWidth = sparse ? 1 : width;
    float[] t = new float[n * trueWidth];
    float[] p = new float[n * width];
    float[] w = kind.weighted ? new float[n] : null;
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      fill(r, 0, t, i * trueWidth);
      fill(r, 1, p, i * width);
      if (w != null) {
        w[i] = ((Number) r.get(2)).floatValue();
      }
    }
    Shape trueShape = sparse ? Shape.of(n) : Shape.of(n, trueWidth);
    return new Batch(n, TFloat32.tensorOf(trueShape, DataBuffers.of(t, true, false)),
        TFloat32.tensorOf(Shape.of(n, width), DataBuffers.of(p, true, false)),
        w == null ? null : TFloat32.tensorOf(Shape.of(n), DataBuffers.of(w, true, false)));
  }

  private static void fill(Row row, int column, float[] into, int at) {
    if (row.get(column) instanceof Number num) {
      into[at] = num.floatValue();
      return;
    }
    List<Object> list = row.getList(column);
    for (int j = 0; j < list.size(); j++) {
      into[at + j] = ((Number) list.get(j)).floatValue();
    }
  }

  private Model model(Batch b) {
    return models.computeIfAbsent(b.rows(), rows -> {
      Graph g = new Graph();
      Ops tf = Ops.create(g);
      Shape trueShape = kind == Kind.SCCE_LOGITS ? Shape.of(rows) : Shape.of(rows, width);
      Operand<TFloat32> yt = tf.placeholder(TFloat32.class, Placeholder.shape(trueShape));
      Operand<TFloat32> yp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(rows, width)));
      Operand<TFloat32> sw = kind.weighted ? tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(rows))) : null;
      Operand<TFloat32> loss = lossObject().call(tf, yt, yp, sw);
      return new Model(g, new Session(g), yt, yp, sw, loss);
    });
  }

  private Loss lossObject() {
    switch (kind) {
      case BCE:
      case BCE_WEIGHTED:
      case BCE_LOGITS:
        return new BinaryCrossentropy(kind.fromLogits, 0.0f, Reduction.SUM_OVER_BATCH_SIZE);
      case CCE_LOGITS:
        return new CategoricalCrossentropy(true, 0.0f, Reduction.SUM_OVER_BATCH_SIZE);
      case SCCE_LOGITS:
        return new SparseCategoricalCrossentropy(true, Reduction.SUM_OVER_BATCH_SIZE);
      default:
        throw new IllegalStateException("TensorFlowContender: no TF Java loss for " + kind);
    }
  }

  @Override
  public Outcome run(Dataset<Row> source, long rows) {
    if (pool.isEmpty()) {
      throw new IllegalStateException("TensorFlowContender: prepare(source, " + rows + ") must run before run()");
    }
    double sum = 0;
    long covered = 0;
    for (int i = 0; covered < rows; i = (i + 1) % pool.size()) {
      Batch b = pool.get(i);
      Model m = model(b);
      Session.Runner runner = m.session().runner().feed(m.yTrue(), b.yTrue()).feed(m.yPred(), b.yPred());
      if (b.weight() != null) {
        runner.feed(m.weight(), b.weight());
      }
      try (Result r = runner.fetch(m.loss()).run()) {
        sum += (double) ((TFloat32) r.get(0)).getFloat() * b.rows();
      }
      covered += b.rows();
    }
    return new Outcome(sum / covered, covered);
  }

  @Override
  public double tolerance(long rows) {
    return rows <= maxPoolRows() ? RTOL : Double.NaN;
  }

  private void closePool() {
    for (Batch b : pool) {
      b.yTrue().close();
      b.yPred().close();
      if (b.weight() != null) {
        b.weight().close();
      }
    }
    pool.clear();
    poolRows = -1;
  }

  @Override
  public void close() {
    closePool();
    for (Model m : models.values()) {
      m.session().close();
      m.graph().close();
    }
    models.clear();
  }
}
