package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.RowKernel;

/**
 * Grouped fused aggregation ({@link FusedKerasLossStrategy} with GROUP BY): chosen, compiled, and
 * bit for bit the unfused plan's rows for every catalogue loss with a scalar-row kernel (float32
 * and float64, weighted and not), loss_reduce and loss_summary over per-row losses, in several
 * partitionings, with group counts below and above the group bound (the table spills), NULL group
 * keys, NULL rows, a computed key and two keys; compiled or interpreted.
 */
class GroupedFusedAggregationTest {
  private static final int ROWS = 3000;
  private static SparkSession spark;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(13);
    double[] edges = {0.0, 1.0, 1e-9, 0.99999988, 2.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Double prob = rnd.nextInt(30) == 0 ? null : (rnd.nextInt(12) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble());
      Integer label = rnd.nextInt(30) == 0 ? null : rnd.nextInt(2);
      Integer slice = rnd.nextInt(25) == 0 ? null : rnd.nextInt(40);
      String region = rnd.nextInt(20) == 0 ? null : "r" + rnd.nextInt(3);
      rows.add(RowFactory.create(i, slice, region, label, prob, rnd.nextDouble() * 3,
          prob == null ? null : (float) (double) prob));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("slice", DataTypes.IntegerType)
        .add("region", DataTypes.StringType)
        .add("label", DataTypes.IntegerType)
        .add("prob", DataTypes.DoubleType)
        .add("weight", DataTypes.DoubleType)
        .add("fprob", DataTypes.FloatType);
    spark.createDataFrame(rows, schema).createOrReplaceTempView("grouped_rows");
  }

  @AfterEach
  void defaults() {
    spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    spark.conf().unset(FusedKerasLossStrategy.MAX_GROUPS);
    spark.conf().unset("spark.sql.codegen.wholeStage");
  }

  /** Every catalogue loss whose default configuration has a scalar-row kernel, float32 and float64. */
  private static List<String> kernelConfigs() {
    List<String> out = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      if (spec.newOptions().build().create().rowKernel().map(RowKernel::takesScalarRows).orElse(false)) {
        out.add(spec.className());
        out.add("{\"class_name\": \"" + spec.className() + "\", \"config\": {\"dtype\": \"float64\"}}");
      }
    }
    return out;
  }

  private static String selectAll(String keys, String yTrue, String yPred) {
    StringBuilder q = new StringBuilder("SELECT " + keys);
    // Float32 configs weighted, float64 ones unweighted (every kernel path, half the aggregates).
    for (String config : kernelConfigs()) {
      q.append(", keras_loss('").append(config).append("', ").append(yTrue).append(", ").append(yPred)
          .append(config.contains("float64") ? ")" : ", weight)");
    }
    return q.toString();
  }

  /** The rows of {@code query} over {@code view}, fused (asserted) and unfused, each sorted by its text. */
  private static List<List<String>> fusedAndUnfused(String query) {
    Dataset<Row> fused = spark.sql(query);
    List<Row> a = fused.collectAsList();
    String plan = fused.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("FusedKerasLoss"), "fused plan expected for " + query + ":\n" + plan);
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    try {
      Dataset<Row> plain = spark.sql(query);
      List<Row> b = plain.collectAsList();
      assertFalse(plain.queryExecution().executedPlan().toString().contains("FusedKerasLoss"), query);
      return List.of(bits(a), bits(b));
    } finally {
      spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    }
  }

  /** Each row as text with every float and double as its bits (NaN and signed zeros told apart), sorted. */
  private static List<String> bits(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(cell(r.get(i))).append('|');
      }
      out.add(b.toString());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static String cell(Object v) {
    if (v instanceof Float) {
      return v + "#" + Integer.toHexString(Float.floatToRawIntBits((Float) v));
    }
    if (v instanceof Double) {
      return v + "#" + Long.toHexString(Double.doubleToRawLongBits((Double) v));
    }
    if (v instanceof Row) {
      Row r = (Row) v;
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < r.size(); i++) {
        b.append(cell(r.get(i))).append(',');
      }
      return b.append(')').toString();
    }
    return String.valueOf(v);
  }

  private static void assertSameRows(String query, int expectedGroups) {
    List<List<String>> r = fusedAndUnfused(query);
    assertEquals(expectedGroups, r.get(0).size(), query);
    assertEquals(r.get(1), r.get(0), query);
  }

  private static int groups(String keys) {
    return (int) spark.sql("SELECT DISTINCT " + keys + " FROM grouped_rows").count();
  }

  @Test
  void everyKernelLossBySliceGivesTheUnfusedBitsBelowAndAboveTheGroupBound() {
    assertTrue(kernelConfigs().size() >= 14, kernelConfigs().toString());
    int slices = groups("slice");
    String[][] runs = {{"1", "1024"}, {"3", "3"}, {"7", "1024"}, {"7", "5"}};
    for (String[] run : runs) {
      spark.table("grouped_rows").repartition(Integer.parseInt(run[0])).createOrReplaceTempView("grouped_parts");
      spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, run[1]);
      String q = selectAll("slice", "label", "prob") + " FROM grouped_parts GROUP BY slice";
      assertSameRows(q, slices);
    }
  }

  @Test
  void vectorRowLossesOfFloatAndDoubleArraysGiveTheUnfusedBits() {
    // Arrays of 3 classes from the table's columns (edge values included), NULL rows where prob is NULL.
    String rows = "SELECT slice, label, weight, array(IF(label = 0, 1.0D, 0.0D), IF(label = 1, 0.9D, 0.1D), 0.0D) AS yt, "
        + "IF(prob IS NULL, NULL, array(CAST(prob AS FLOAT), CAST(weight AS FLOAT), 0.25F)) AS pf, "
        + "IF(prob IS NULL, NULL, array(prob, weight, 0.25D)) AS pd FROM grouped_parts";
    String losses = "keras_loss('CategoricalCrossentropy', yt, pf), "
        + "keras_loss('{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"from_logits\": true, "
        + "\"label_smoothing\": 0.1}}', yt, pd, weight), "
        + "keras_loss('SparseCategoricalCrossentropy', label, pf, weight), "
        + "keras_loss('{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"from_logits\": true}}', label, pd)";
    int slices = groups("slice");
    String[][] runs = {{"1", "1024"}, {"4", "1024"}, {"7", "5"}};
    for (String[] run : runs) {
      spark.table("grouped_rows").repartition(Integer.parseInt(run[0])).createOrReplaceTempView("grouped_parts");
      spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, run[1]);
      assertSameRows("SELECT slice, " + losses + " FROM (" + rows + ") GROUP BY slice", slices);
      assertSameRows("SELECT " + losses + " FROM (" + rows + ")", 1);
    }
  }

  @Test
  void twoKeysAComputedKeyAndFloatInputs() {
    spark.table("grouped_rows").repartition(5).createOrReplaceTempView("grouped_parts");
    for (String maxGroups : new String[] {"1024", "4"}) {
      spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, maxGroups);
      assertSameRows("SELECT region, slice % 4 AS s4, keras_loss('binary_crossentropy', label, fprob, weight), "
          + "keras_loss('{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\"}}', label, fprob), "
          + "keras_loss('mape', label, fprob) FROM grouped_parts GROUP BY region, slice % 4", groups("region, slice % 4"));
      assertSameRows("SELECT region, keras_loss('binary_crossentropy', label, prob, weight) * 2 AS twice, "
          + "keras_loss('mse', label, fprob) FROM grouped_parts GROUP BY region", groups("region"));
    }
  }

  /**
   * Grouping columns that aggregates read too (two keys: the key row is built from them before the
   * arguments are read) compile: with the fallback to interpreted code off, a column read twice would
   * fail the query.
   */
  @Test
  void keysThatAreAlsoArgumentsCompile() {
    spark.table("grouped_rows").repartition(3).createOrReplaceTempView("grouped_parts");
    spark.conf().set("spark.sql.codegen.fallback", "false");
    try {
      assertSameRows("SELECT region, label, keras_loss('binary_crossentropy', label, prob, weight), "
          + "keras_loss('mse', label, prob) FROM grouped_parts GROUP BY region, label", groups("region, label"));
    } finally {
      spark.conf().unset("spark.sql.codegen.fallback");
    }
  }

  /**
   * One integral key whose values lie inside the direct index of small keys ([0, 1024)), just past
   * it (k + 1024 would share k's slot if the index wrapped), negative, far outside it, and NULL;
   * float32 weighted and unweighted losses (rows in the batch all groups share) next to a float64
   * one (rows into the group's state) in one query; with the table spilling often (a group index
   * left behind in the direct index after a spill would add rows to another key's group).
   */
  @Test
  void integralKeysInsideAndOutsideTheDirectIndexNegativeAndNullAcrossSpills() {
    spark.table("grouped_rows").repartition(3).createOrReplaceTempView("grouped_parts");
    String mixed = "CASE id % 5 WHEN 0 THEN CAST(slice AS BIGINT) WHEN 1 THEN slice + 1024L WHEN 2 THEN -CAST(slice AS BIGINT) "
        + "WHEN 3 THEN slice - 1024L ELSE slice * 4294967296L END";
    String[] keys = {mixed, "CAST(slice - 20 AS TINYINT)", "CAST(slice * 300 AS SMALLINT)"};
    for (String key : keys) {
      int expected = groups(key);
      assertTrue(expected > 40, key + ": " + expected);
      for (String maxGroups : new String[] {"1024", "7", "1"}) {
        spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, maxGroups);
        assertSameRows("SELECT " + key + " AS k, keras_loss('binary_crossentropy', label, prob, weight), "
            + "keras_loss('mse', label, fprob), "
            + "keras_loss('{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\"}}', label, prob) "
            + "FROM grouped_parts GROUP BY " + key, expected);
      }
    }
  }

  @Test
  void lossReduceAndLossSummaryOverPerRowLosses() {
    spark.table("grouped_rows").repartition(4).createOrReplaceTempView("grouped_parts");
    for (String maxGroups : new String[] {"1024", "5"}) {
      spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, maxGroups);
      String q = "SELECT slice, loss_reduce(loss_binary_crossentropy(label, prob), weight), "
          + "loss_reduce(loss_binary_crossentropy(label, prob)), "
          + "loss_reduce(loss_mean_squared_error(label, fprob), weight, 'sum'), "
          + "loss_summary(loss_huber(label, prob), weight), loss_summary(loss_log_cosh(label, fprob)) "
          + "FROM grouped_parts GROUP BY slice";
      assertSameRows(q, groups("slice"));
    }
  }

  @Test
  void interpretedGivesTheSameBits() {
    spark.table("grouped_rows").repartition(3).createOrReplaceTempView("grouped_parts");
    String q = "SELECT slice, keras_loss('binary_crossentropy', label, prob, weight), keras_loss('huber', label, fprob), "
        + "loss_reduce(loss_poisson(label, prob), weight) FROM grouped_parts GROUP BY slice";
    spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, "6");
    List<String> compiled = bits(spark.sql(q).collectAsList());
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    Dataset<Row> df = spark.sql(q);
    List<String> interpreted = bits(df.collectAsList());
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("FusedKerasLoss") && !plan.contains("*("), plan);
    assertEquals(compiled, interpreted);
    spark.conf().unset("spark.sql.codegen.wholeStage");
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    assertEquals(bits(spark.sql(q).collectAsList()), compiled);
  }

  @Test
  void explainShowsTheFusedPartialInGeneratedCodeAndTheSwitchTurnsItOff() {
    String q = "SELECT slice, keras_loss('binary_crossentropy', label, prob) FROM grouped_rows GROUP BY slice";
    Dataset<Row> df = spark.sql(q);
    String code = GeneratedCode.assertCompiles(df);
    assertTrue(code.contains(".findLong("), "the group lookup (one INT key: as a long) runs in the generated code");
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.matches("(?s).*\\*\\(\\d+\\) FusedKerasLoss \\[.*"), plan);
    GeneratedCode.assertCompiles(spark.sql("SELECT slice, loss_reduce(loss_huber(label, prob), weight), "
        + "keras_loss('mse', label, fprob) FROM grouped_rows GROUP BY slice"));
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    Dataset<Row> off = spark.sql(q);
    off.collect();
    assertFalse(off.queryExecution().executedPlan().toString().contains("FusedKerasLoss"));
  }

  @Test
  void badGroupBoundIsAnError() {
    spark.conf().set(FusedKerasLossStrategy.MAX_GROUPS, "0");
    String msg = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> spark.sql(
        "SELECT slice, keras_loss('mse', label, prob) FROM grouped_rows GROUP BY slice").collect()).getMessage();
    assertTrue(msg.contains(FusedKerasLossStrategy.MAX_GROUPS + " must be a positive integer"), msg);
  }

  /**
   * A group's state of an aggregate whose rows share the grouped batch holds no batch arrays of
   * its own (only NULL rows reach it); the single state of an ungrouped plan has them.
   */
  @Test
  void groupStatesOfBatchedAggregatesCarryNoBatchArrays() {
    org.apache.spark.sql.catalyst.expressions.Expression y =
        new org.apache.spark.sql.catalyst.expressions.BoundReference(0, DataTypes.DoubleType, true);
    org.apache.spark.sql.catalyst.expressions.Expression p =
        new org.apache.spark.sql.catalyst.expressions.BoundReference(1, DataTypes.DoubleType, true);
    KerasLossAggregate bce = KerasLossAggregate.create("binary_crossentropy", false, y, p, null);
    assertTrue(bce.batchesGroupedRows());
    FusedKerasLosses grouped = new FusedKerasLosses(List.of(bce), new org.apache.spark.sql.types.DataType[] {
        DataTypes.IntegerType}, 16);
    FusedKerasLosses ungrouped = new FusedKerasLosses(List.of(bce), new org.apache.spark.sql.types.DataType[0], 1);
    assertEquals(null, ((KerasLossAggregate.State) grouped.newStates()[0]).intake().yTrue);
    assertEquals(512, ((KerasLossAggregate.State) ungrouped.newStates()[0]).intake().yTrue.length);
  }
}
