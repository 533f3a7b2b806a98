package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.Loss;
import scala.collection.JavaConverters;

/**
 * The fused keras_loss plan ({@link FusedKerasLossStrategy}): chosen exactly when it applies,
 * compiled into the stage's generated code, and bit for bit the numbers of Spark's own aggregate
 * planning (the strategy switched off), compiled or interpreted, for every number type, NULL rows,
 * several aggregates at once, empty inputs and the NULL-weight error.
 */
class FusedKerasLossTest {
  private static final String[] CONFIGS = {"binary_crossentropy",
      "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}",
      "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true, \"label_smoothing\": 0.1}}",
      "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\": \"sum\"}}",
      "{\"class_name\": \"BinaryFocalCrossentropy\", \"config\": {\"apply_class_balancing\": true}}",
      "mse", "{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\", \"reduction\": \"mean\"}}", "mape"};

  private static SparkSession spark;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(7);
    double[] edges = {0.0, 1.0, 1e-9, 0.99999988, 2.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      Double prob = rnd.nextInt(30) == 0 ? null : (rnd.nextInt(10) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble());
      Integer label = rnd.nextInt(30) == 0 ? null : rnd.nextInt(2);
      long big = (1L << 53) + 2L * rnd.nextInt(1000) + 1;
      rows.add(RowFactory.create(i, label, prob, rnd.nextDouble() * 3, prob == null ? null : (float) (double) prob,
          label == null ? null : label.byteValue(), label == null ? null : label.shortValue(), big,
          rnd.nextInt(5) == 0 ? null : rnd.nextDouble()));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("label", DataTypes.IntegerType)
        .add("prob", DataTypes.DoubleType)
        .add("weight", DataTypes.DoubleType)
        .add("fprob", DataTypes.FloatType)
        .add("blabel", DataTypes.ByteType)
        .add("slabel", DataTypes.ShortType)
        .add("big", DataTypes.LongType)
        .add("holey_weight", DataTypes.DoubleType);
    spark.createDataFrame(rows, schema).repartition(3).createOrReplaceTempView("fused_rows");
  }

  @AfterEach
  void defaults() {
    spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    spark.conf().unset("spark.sql.codegen.wholeStage");
  }

  private static String plan(Dataset<Row> df) {
    df.collect();
    return df.queryExecution().executedPlan().toString();
  }

  /** The rows of {@code query} with the strategy on (asserting it is used) and off. */
  private static Row[] fusedAndUnfused(String query) {
    Dataset<Row> fused = spark.sql(query);
    Row a = fused.first();
    String p = plan(fused);
    assertTrue(p.contains("FusedKerasLoss"), "fused plan expected for " + query + ":\n" + p);
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    try {
      Dataset<Row> plain = spark.sql(query);
      assertFalse(plan(plain).contains("FusedKerasLoss"), query);
      return new Row[] {a, plain.first()};
    } finally {
      spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    }
  }

  private static void assertSameBits(Row fused, Row plain, String what) {
    assertEquals(plain.size(), fused.size(), what);
    for (int i = 0; i < plain.size(); i++) {
      Object e = plain.get(i);
      Object g = fused.get(i);
      if (e instanceof Float) {
        assertEquals(Float.floatToIntBits((Float) e), Float.floatToIntBits((Float) g), what + " column " + i + ": " + e + " vs " + g);
      } else if (e instanceof Double) {
        assertEquals(Double.doubleToLongBits((Double) e), Double.doubleToLongBits((Double) g), what + " column " + i + ": " + e + " vs " + g);
      } else {
        assertEquals(e, g, what + " column " + i);
      }
    }
  }

  /** What a user sees: EXPLAIN shows the fused operator, on both Spark lines. */
  @Test
  void explainShowsTheFusedOperator() {
    String explained = spark.sql("EXPLAIN SELECT keras_loss('binary_crossentropy', label, prob, weight) FROM fused_rows")
        .first().getString(0);
    assertTrue(explained.contains("FusedKerasLoss"), explained);
  }

  @Test
  void fusedPlanRunsInGeneratedCode() {
    Dataset<Row> df = spark.sql("SELECT keras_loss('binary_crossentropy', label, prob, weight) AS l FROM fused_rows");
    GeneratedCode.assertCompiles(df);
    String p = plan(df);
    assertTrue(p.matches("(?s).*\\*\\(\\d+\\) FusedKerasLoss \\[.*"), "FusedKerasLoss inside a WholeStageCodegen stage:\n" + p);
    assertTrue(p.contains("ObjectHashAggregate"), "Spark's final aggregation merges the partial rows:\n" + p);
    assertEquals(List.of("l"), List.of(df.columns()));
  }

  /** Float32 losses fill their intake's float batches in the generated code itself; float64 ones add per row. */
  @Test
  void float32RowsAreBatchedInTheGeneratedCode() {
    Dataset<Row> df = spark.sql("SELECT keras_loss('binary_crossentropy', label, prob, weight), keras_loss("
        + "'{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}', label, prob) FROM fused_rows");
    df.collect();
    String code = org.apache.spark.sql.execution.debug.package$.MODULE$.codegenString(df.queryExecution().executedPlan());
    assertEquals(1, code.split("\\.addBatch\\(\\)", -1).length - 1, "one batch hand-off per full batch:\n" + code);
    assertTrue(code.contains(".add((double) "), code);
    assertTrue(code.contains(".count == " + RowIntake.BATCH + ")"), code);
  }

  @Test
  void everyConfigAndNumberTypeGivesTheUnfusedBits() {
    String[][] columns = {{"label", "prob"}, {"blabel", "fprob"}, {"slabel", "prob * 0.5D"},
        {"CAST(label AS BIGINT)", "CAST(prob AS FLOAT)"}, {"label", "big"}};
    for (String config : CONFIGS) {
      for (String[] c : columns) {
        String query = "SELECT keras_loss('" + config + "', " + c[0] + ", " + c[1] + ", weight), keras_loss('"
            + config + "', " + c[0] + ", " + c[1] + ") FROM fused_rows";
        Row[] r = fusedAndUnfused(query);
        assertSameBits(r[0], r[1], query);
      }
    }
  }

  @Test
  void tfKeras2NumericsAndTheReductionsStructGiveTheUnfusedBits() {
    Column label = functions.col("label");
    Column prob = functions.col("prob");
    Column weight = functions.col("weight");
    Loss keras2 = KerasLossAggregate.options("binary_crossentropy", true).create();
    Supplier<Dataset<Row>> run = () -> spark.table("fused_rows").agg(
        LossAggregates.kerasLossReductions(KerasLossAggregate.options("binary_crossentropy", false).create(), label, prob, weight).as("r"),
        LossAggregates.kerasLoss(keras2, label, prob, weight), LossAggregates.kerasLoss(keras2, label, prob));
    Dataset<Row> df = run.get();
    Row fused = df.first();
    assertTrue(plan(df).contains("FusedKerasLoss"));
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    Row plain = run.get().first();
    assertSameBits(fused.getStruct(0), plain.getStruct(0), "keras_loss_reductions");
    assertSameBits(fused, plain, "keras_loss_reductions and tf.keras 2.x");
    long counted = spark.sql("SELECT count(*) FROM fused_rows WHERE label IS NOT NULL AND prob IS NOT NULL")
        .first().getLong(0);
    assertEquals(counted, fused.getStruct(0).<Long>getAs("rows"));
    assertEquals(4000 - counted, fused.getStruct(0).<Long>getAs("skipped_rows"));
  }

  @Test
  void interpretedFallbackGivesTheSameBits() {
    String query = "SELECT keras_loss('binary_crossentropy', label, prob, weight), keras_loss('mse', slabel, fprob) "
        + "FROM fused_rows";
    Row compiled = spark.sql(query).first();
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    Dataset<Row> df = spark.sql(query);
    Row interpreted = df.first();
    String p = plan(df);
    assertTrue(p.contains("FusedKerasLoss") && !p.contains("*("), "interpreted fused plan:\n" + p);
    assertSameBits(interpreted, compiled, query);
  }

  @Test
  void emptyInputGivesNull() {
    Row[] r = fusedAndUnfused("SELECT keras_loss('binary_crossentropy', label, prob, weight), "
        + "keras_loss('mse', label, prob) FROM fused_rows WHERE id < 0");
    assertNull(r[0].get(0));
    assertNull(r[0].get(1));
    assertSameBits(r[0], r[1], "empty");
    Row onlyNulls = spark.sql("SELECT keras_loss('binary_crossentropy', label, prob) FROM fused_rows "
        + "WHERE prob IS NULL").first();
    assertNull(onlyNulls.get(0));
  }

  @Test
  void nullWeightFailsAsUnfused() {
    String query = "SELECT keras_loss('binary_crossentropy', label, prob, holey_weight) FROM fused_rows";
    String fused = assertThrows(Exception.class, () -> spark.sql(query).collect()).toString();
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    String plain = assertThrows(Exception.class, () -> spark.sql(query).collect()).toString();
    String expected = "argument 4 (sample_weight, fused_rows.holey_weight) is NULL in a row with y_true and y_pred";
    assertTrue(fused.contains(expected), fused);
    assertTrue(plain.contains(expected), plain);
  }

  @Test
  void otherAggregationsKeepSparksPlan() {
    String[] queries = {
        "SELECT keras_loss('binary_crossentropy', label, prob), count(*) FROM fused_rows",
        "SELECT label, keras_loss('binary_crossentropy', label, prob), sum(prob) FROM fused_rows GROUP BY label",
        "SELECT keras_loss('binary_crossentropy', label, prob) FILTER (WHERE id > 5) FROM fused_rows",
        "SELECT keras_loss('binary_crossentropy', label, CAST(prob AS DECIMAL(10, 4))) FROM fused_rows",
        "SELECT keras_loss('hinge', label, prob) FROM fused_rows"};
    for (String q : queries) {
      String p = plan(spark.sql(q));
      assertFalse(p.contains("FusedKerasLoss"), q + ":\n" + p);
    }
    // Array rows with a vector kernel are fused (GroupedFusedAggregationTest compares their bits).
    String arrays = "SELECT keras_loss('categorical_crossentropy', array(coalesce(label, 0), 1), array(coalesce(prob, 0.5D), 1)) FROM fused_rows";
    assertTrue(plan(spark.sql(arrays)).contains("FusedKerasLoss"), arrays);
    Row grouped = spark.sql("SELECT keras_loss('binary_crossentropy', label, prob, weight) FROM fused_rows "
        + "WHERE label = 1 GROUP BY label").first();
    Row whole = spark.sql("SELECT keras_loss('binary_crossentropy', label, prob, weight) FROM fused_rows "
        + "WHERE label = 1").first();
    assertSameBits(whole, grouped, "grouped (Spark's plan) vs fused");
  }

  @Test
  void registerAddsTheStrategyOnce() {
    SparkSession other = spark.newSession();
    Lossagg.register(other);
    Lossagg.register(other);
    long n = JavaConverters.seqAsJavaList(other.experimental().extraStrategies()).stream()
        .filter(s -> s instanceof FusedKerasLossStrategy).count();
    assertEquals(1, n);
  }
}
