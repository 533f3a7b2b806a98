package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.config.LossStateIdentity;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.losses.StatePreamble;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * keras_loss and loss_reduce over number columns (the primitive scalar-row paths) give bit for bit
 * what the general path gives row by row: random rows with edge values (0, 1, 1e-9, NaN, ±Inf),
 * NULL rows and zero weights, DOUBLE, FLOAT, INT and computed arguments, float32 and float64
 * configs, Keras 3 and tf.keras 2.x numerics, in several partitionings.
 */
class ScalarRowPathTest {
  private static final double[] EDGES = {0.0, 1.0, 1e-9, 1e-7, 0.99999988, 0.5, 2.0, -1.0, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
  private static final int ROWS = 3000;

  private static SparkSession spark;
  private static List<Row> rows;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(20261123);
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Double label = rnd.nextInt(40) == 0 ? null : (rnd.nextInt(4) == 0 ? pick(rnd) : rnd.nextInt(2));
      Double prob = rnd.nextInt(40) == 0 ? null : (rnd.nextInt(4) == 0 ? pick(rnd) : rnd.nextDouble());
      Double weight = rnd.nextInt(8) == 0 ? 0.0 : rnd.nextDouble() * 2;
      rows.add(RowFactory.create(i, label, prob, weight, label == null ? null : (int) Math.signum(label)));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("label", DataTypes.DoubleType)
        .add("prob", DataTypes.DoubleType)
        .add("weight", DataTypes.DoubleType)
        .add("ilabel", DataTypes.IntegerType);
    spark.createDataFrame(rows, schema).repartition(3).createOrReplaceTempView("scalar_rows");
  }

  private static double pick(Random rnd) {
    return EDGES[rnd.nextInt(EDGES.length)];
  }

  @Test
  void kerasLossOnNumberColumnsEqualsTheGeneralPathRowByRow() {
    String[] configs = {"binary_crossentropy", "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true, \"label_smoothing\": 0.1}}",
        "mse", "{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\"}}", "mape", "hinge"};
    for (String config : configs) {
      for (boolean keras2 : new boolean[] {false, true}) {
        Loss loss = KerasLossAggregate.options(config, keras2).create();
        for (String prob : new String[] {"prob", "cast(prob as float)", "prob * 0.5"}) {
          for (String label : new String[] {"label", "ilabel"}) {
            Column t = functions.expr(label);
            Column p = functions.expr(prob);
            Row got = spark.table("scalar_rows").agg(LossAggregates.kerasLoss(loss, t, p, functions.col("weight")),
                LossAggregates.kerasLoss(loss, t, p)).first();
            String what = loss + " keras2=" + keras2 + " on " + label + ", " + prob;
            assertEquals(expected(loss, label, prob, true), got.get(0), what + " weighted");
            assertEquals(expected(loss, label, prob, false), got.get(1), what);
          }
        }
      }
    }
  }

  /**
   * The aggregation buffer itself: rows added through the scalar-row path of one partition give the
   * bytes the general path's state gives (counts, exact sums), for column and computed arguments.
   */
  @Test
  void kerasLossBufferBytesEqualTheGeneralPathsBytes() {
    String[] configs = {"binary_crossentropy", "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.2}}", "mse", "poisson"};
    for (String config : configs) {
      for (boolean keras2 : new boolean[] {false, true}) {
        Loss loss = KerasLossAggregate.options(config, keras2).create();
        Expression t = new BoundReference(0, DataTypes.DoubleType, true);
        Expression p = new BoundReference(1, DataTypes.FloatType, true);
        Expression[] weights = {new BoundReference(2, DataTypes.DoubleType, true), Literal.create(0.3, DataTypes.DoubleType)};
        for (Expression w : weights) {
          KerasLossAggregate agg = KerasLossAggregate.create(config, keras2, t, p, w);
          KerasLossAggregate.State state = agg.createAggregationBuffer();
          LossAggregation general = loss.newAggregation();
          long added = 0;
          long skipped = 0;
          for (Row r : rows) {
            Object prob = r.isNullAt(2) ? null : (Object) (float) r.getDouble(2);
            agg.update(state, new GenericInternalRow(new Object[] {r.get(1), prob, r.get(3)}));
            if (r.isNullAt(1) || r.isNullAt(2)) {
              skipped++;
              continue;
            }
            double wv = w instanceof Literal ? 0.3 : r.getDouble(3);
            general.add(NdArray.of(new double[] {r.getDouble(1)}, 1, 1), NdArray.of(new double[] {(float) r.getDouble(2)}, 1, 1),
                NdArray.of(new double[] {wv}, 1), null);
            added++;
          }
          byte[] g = general.toBytes();
          StatePreamble preamble = StatePreamble.of(StatePreamble.KERAS_LOSS, LossStateIdentity.of(loss));
          byte[] expected = preamble.writeTo(ByteBuffer.allocate(preamble.length() + 16 + g.length)).putLong(added)
              .putLong(skipped).put(g).array();
          assertArrayEquals(expected, agg.serialize(state), config + " keras2=" + keras2 + " weight " + w);
        }
      }
    }
  }

  /** Columns Spark knows to be non-nullable (computed from range ids) are read without null checks. */
  @Test
  void nonNullableColumnsGiveTheGeneralPathsValue() {
    Loss bce = KerasLossAggregate.options("binary_crossentropy", false).create();
    LossAggregation general = bce.newAggregation();
    for (int id = 0; id < 1000; id++) {
      general.add(NdArray.of(new double[] {id % 2}, 1, 1), NdArray.of(new double[] {(id + 0.5) / 1000}, 1, 1),
          NdArray.of(new double[] {1.0 + id % 3}, 1), null);
    }
    Row got = spark.sql("SELECT keras_loss('binary_crossentropy', cast(id % 2 as double), (cast(id as double) + 0.5D) "
        + "/ 1000D, 1.0D + cast(id % 3 as double)) FROM (SELECT /*+ REPARTITION(3) */ id FROM range(1000))").first();
    assertEquals((float) general.result(), got.get(0));
  }

  @Test
  void perRowFunctionsOnNumbersEqualTheGeneralPath() {
    String[][] calls = {{"binary_crossentropy", "loss_binary_crossentropy(label, prob)"},
        {"binary_crossentropy", "loss_binary_crossentropy(label, cast(prob as float))"},
        {"mape", "loss_mean_absolute_percentage_error(ilabel, prob)"}, {"huber", "loss_huber(label, prob * 3)"}};
    for (String[] call : calls) {
      Loss loss = KerasLossAggregate.options(call[0], false).create();
      List<Row> got = spark.sql("SELECT id, " + call[1] + " FROM scalar_rows ORDER BY id").collectAsList();
      for (Row g : got) {
        Row r = rows.get(g.getInt(0));
        if (r.isNullAt(1) || r.isNullAt(2)) {
          assertEquals(null, g.get(1), call[1]);
          continue;
        }
        boolean f32 = call[1].contains("float");
        double t = call[1].contains("ilabel") ? r.getInt(4) : r.getDouble(1);
        double p = f32 ? (float) r.getDouble(2) : call[1].contains("* 3") ? r.getDouble(2) * 3 : r.getDouble(2);
        double expected = loss.functionOnRow(NdArray.scalar(t), NdArray.scalar(p), f32 ? DType.FLOAT32 : DType.FLOAT64)
            .values().item();
        assertEquals(Double.valueOf(expected), g.get(1), call[1] + " row " + g.getInt(0));
      }
    }
  }

  @Test
  void lossReduceOfAPerRowLossEqualsTheGeneralPath() {
    Loss bce = KerasLossAggregate.options("binary_crossentropy", false).create();
    for (String prob : new String[] {"prob", "cast(prob as float)"}) {
      LossAggregationSums sums = new LossAggregationSums();
      for (Row r : rows) {
        if (r.isNullAt(1) || r.isNullAt(2)) {
          sums.masked++;
          continue;
        }
        DType dtype = prob.equals("prob") ? DType.FLOAT64 : DType.FLOAT32;
        double p = dtype == DType.FLOAT32 ? (double) (float) r.getDouble(2) : r.getDouble(2);
        double v = bce.functionOnRow(NdArray.scalar(r.getDouble(1)), NdArray.scalar(p), dtype).values().item();
        sums.add(v, r.getDouble(3));
      }
      Row got = spark.sql("SELECT loss_reduce(loss_binary_crossentropy(label, " + prob + "), weight), "
          + "loss_reduce(loss_binary_crossentropy(label, " + prob + ")) FROM scalar_rows").first();
      assertEquals(sums.weightedMean(), got.get(0), prob);
      assertEquals(sums.mean(), got.get(1), prob);
    }
  }

  /** The core's general path: each non-NULL row as a (1, 1) batch with a (1,) weight. */
  private static Object expected(Loss loss, String label, String prob, boolean weighted) {
    LossAggregation agg = loss.newAggregation();
    long added = 0;
    for (Row r : rows) {
      if (r.isNullAt(1) || r.isNullAt(2)) {
        continue;
      }
      double t = label.equals("ilabel") ? r.getInt(4) : r.getDouble(1);
      double p = r.getDouble(2);
      if (prob.startsWith("cast")) {
        p = (float) p;
      } else if (prob.startsWith("prob *")) {
        p = p * 0.5;
      }
      NdArray w = weighted ? NdArray.of(new double[] {r.getDouble(3)}, 1) : null;
      agg.add(NdArray.of(new double[] {t}, 1, 1), NdArray.of(new double[] {p}, 1, 1), w, null);
      added++;
    }
    if (added == 0) {
      return null;
    }
    double v = agg.result();
    return loss.dtype() == DType.FLOAT32 ? (Object) (float) v : (Object) v;
  }

  /** loss_reduce's expected sums, exact through the core's accumulator. */
  private static final class LossAggregationSums {
    final org.lossagg.reduce.LossAccumulator weighted = new org.lossagg.reduce.LossAccumulator();
    final org.lossagg.reduce.LossAccumulator plain = new org.lossagg.reduce.LossAccumulator();
    long masked;

    void add(double v, double w) {
      weighted.addValue(v * w);
      weighted.addWeight(w);
      plain.addValue(v);
    }

    Object weightedMean() {
      for (long i = 0; i < masked; i++) {
        weighted.addMasked();
      }
      return weighted.result(org.lossagg.reduce.Reduction.SUM_OVER_BATCH_SIZE);
    }

    Object mean() {
      for (long i = 0; i < masked; i++) {
        plain.addMasked();
      }
      return plain.result(org.lossagg.reduce.Reduction.SUM_OVER_BATCH_SIZE);
    }
  }
}
