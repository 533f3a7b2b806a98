package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.RowKernel;

/**
 * Ungrouped fused aggregations over a per-row loss compute the rows' losses in batches
 * ({@link RowLossBatch}): {@code sum(loss_*(...))} ({@link RowLossSum}) is Spark's own sum bit for
 * bit, and {@code loss_reduce} / {@code loss_summary} give the unbatched bits, for every catalogue
 * loss with a scalar-row kernel, float64 and float32 columns, NULL rows, batches cut anywhere (rows
 * not a multiple of 512, one to seven partitions), compiled or interpreted.
 */
class RowLossBatchTest {
  private static final int ROWS = 3001;
  private static SparkSession spark;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(23);
    double[] edges = {0.0, 1.0, 1e-9, 0.99999988, 2.0, -1.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Double prob = rnd.nextInt(30) == 0 ? null : (rnd.nextInt(15) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble());
      Integer label = rnd.nextInt(30) == 0 ? null : rnd.nextInt(2);
      rows.add(RowFactory.create(i, i % 7, label, label == null ? null : label + (rnd.nextInt(4) == 0 ? 0.25 : 0.0),
          prob, prob == null ? null : (float) (double) prob, rnd.nextDouble() * 3, rnd.nextInt(400) == 0 ? null : 1.5));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("slice", DataTypes.IntegerType)
        .add("label", DataTypes.IntegerType)
        .add("soft", DataTypes.DoubleType)
        .add("prob", DataTypes.DoubleType)
        .add("fprob", DataTypes.FloatType)
        .add("weight", DataTypes.DoubleType)
        .add("holey_weight", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    df.createOrReplaceTempView("batch_rows");
    // Without NaN and infinite predictions, so that the sums are finite numbers a wrong bit would show in.
    df.where("prob IS NULL OR (prob >= 0 AND prob <= 1)").createOrReplaceTempView("batch_finite_rows");
  }

  @AfterEach
  void defaults() {
    spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    spark.conf().unset("spark.sql.codegen.wholeStage");
  }

  /** The per-row function of every catalogue loss whose default configuration has a scalar-row kernel. */
  private static List<String> kernelFunctions() {
    List<String> out = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      if (spec.newOptions().build().create().rowKernel().map(RowKernel::takesScalarRows).orElse(false)) {
        out.add(spec.sqlName());
      }
    }
    return out;
  }

  /** The row of {@code query}, fused (asserted) and with the strategy off, each as the bits of its values. */
  private static List<List<String>> fusedAndUnfused(String query) {
    Dataset<Row> fused = spark.sql(query);
    List<String> a = bits(fused.first());
    String plan = fused.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("FusedKerasLoss"), "fused plan expected for " + query + ":\n" + plan);
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    try {
      Dataset<Row> plain = spark.sql(query);
      List<String> b = bits(plain.first());
      assertFalse(plain.queryExecution().executedPlan().toString().contains("FusedKerasLoss"), query);
      return List.of(a, b);
    } finally {
      spark.conf().unset(FusedKerasLossStrategy.ENABLED);
    }
  }

  /**
   * The values' bits, signed zeros told apart; every NaN is one. The sign of a NaN that arithmetic
   * makes is not Java's to fix: a row of LogCosh with a NaN prediction gives 0xfff8000000000000
   * interpreted and 0x7ff8000000000000 once C2 compiles the kernel, in the one JVM, so a sum
   * reaching NaN shows the sign of whichever row was computed where.
   */
  private static List<String> bits(Row r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      Object v = r.get(i);
      if (v instanceof Row) {
        out.addAll(bits((Row) v));
      } else {
        out.add(v instanceof Double ? v + "#" + Long.toHexString(Double.doubleToLongBits((Double) v)) : String.valueOf(v));
      }
    }
    return out;
  }

  private static void assertSameBits(String query) {
    List<List<String>> r = fusedAndUnfused(query);
    assertEquals(r.get(1), r.get(0), query);
  }

  @Test
  void sumOfEveryKernelLossIsSparksOwnSumBitForBit() {
    List<String> fns = kernelFunctions();
    assertTrue(fns.size() >= 9 && fns.contains("loss_binary_crossentropy"), fns.toString());
    StringBuilder sums = new StringBuilder();
    for (String fn : fns) {
      sums.append(sums.length() == 0 ? "" : ", ").append("sum(").append(fn).append("(label, prob)), sum(")
          .append(fn).append("(soft, fprob))");
    }
    for (String view : new String[] {"batch_rows", "batch_finite_rows"}) {
      for (int parts : new int[] {1, 3, 7}) {
        spark.table(view).repartition(parts).createOrReplaceTempView("batch_parts");
        assertSameBits("SELECT " + sums + " FROM batch_parts");
      }
    }
    // Finite sums that differ between losses: a mix-up of kernels or rows would show.
    spark.table("batch_finite_rows").repartition(3).createOrReplaceTempView("batch_parts");
    List<String> finite = fusedAndUnfused("SELECT " + sums + " FROM batch_parts").get(0);
    assertTrue(finite.stream().distinct().count() > fns.size(), finite.toString());
  }

  @Test
  void lossReduceAndLossSummaryWithoutGroupByGiveTheUnbatchedBits() {
    StringBuilder q = new StringBuilder();
    for (String fn : kernelFunctions()) {
      q.append(q.length() == 0 ? "" : ", ").append("loss_reduce(").append(fn).append("(label, prob), weight), loss_reduce(")
          .append(fn).append("(soft, fprob))");
    }
    q.append(", loss_summary(loss_huber(label, prob), weight), loss_summary(loss_log_cosh(soft, fprob))");
    for (int parts : new int[] {1, 4}) {
      spark.table("batch_rows").repartition(parts).createOrReplaceTempView("batch_parts");
      assertSameBits("SELECT " + q + " FROM batch_parts");
    }
  }

  /** Sums and reductions of other losses of the same rows, and sum next to loss_reduce, in one stage. */
  @Test
  void batchedAndUnbatchedAggregatesTogether() {
    spark.table("batch_finite_rows").repartition(2).createOrReplaceTempView("batch_parts");
    assertSameBits("SELECT sum(loss_binary_crossentropy(label, prob)), keras_loss('binary_crossentropy', label, prob), "
        + "loss_reduce(loss_binary_crossentropy(label, prob, true), weight, 'sum'), "
        + "sum(loss_mean_squared_error(label, prob * 0.5D)), loss_reduce(CAST(loss_poisson(label, prob) AS DOUBLE)) "
        + "FROM batch_parts");
  }

  @Test
  void batchesRunInTheGeneratedCode() {
    Dataset<Row> df = spark.sql("SELECT sum(loss_binary_crossentropy(label, prob)) AS s, "
        + "loss_reduce(loss_huber(label, fprob), weight) AS r FROM batch_rows");
    String code = GeneratedCode.assertCompiles(df);
    assertEquals(2, code.split("private void \\w*flushRowLossBatch\\w*\\(\\)", -1).length - 1, code);
    assertTrue(code.contains(".count == " + RowLossBatch.BATCH + ")"), code);
    assertTrue(code.contains(".addRowLossValues("), code);
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.matches("(?s).*\\*\\(\\d+\\) FusedKerasLoss \\[.*"), plan);
    assertTrue(plan.contains("sum(loss_binary_crossentropy("), plan);
    assertEquals(List.of("s", "r"), List.of(df.columns()));
    String explained = spark.sql("EXPLAIN SELECT sum(loss_binary_crossentropy(label, prob)) FROM batch_rows")
        .first().getString(0);
    assertTrue(explained.contains("FusedKerasLoss"), explained);
  }

  @Test
  void otherSumsKeepSparksPlan() {
    String[] queries = {
        "SELECT slice, sum(loss_binary_crossentropy(label, prob)) FROM batch_rows GROUP BY slice",
        "SELECT sum(loss_binary_crossentropy(label, prob)), count(*) FROM batch_rows",
        "SELECT sum(DISTINCT loss_binary_crossentropy(label, prob)) FROM batch_rows",
        "SELECT sum(loss_binary_crossentropy(label, prob)) FILTER (WHERE id > 5) FROM batch_rows",
        "SELECT sum(prob) FROM batch_rows",
        "SELECT sum(loss_categorical_crossentropy(array(coalesce(label, 0), 1), array(coalesce(prob, 0.5D), 0.5D))) FROM batch_rows"};
    for (String q : queries) {
      Dataset<Row> df = spark.sql(q);
      df.collect();
      String p = df.queryExecution().executedPlan().toString();
      assertFalse(p.contains("FusedKerasLoss"), q + ":\n" + p);
    }
  }

  @Test
  void interpretedGivesTheSameBits() {
    String q = "SELECT sum(loss_binary_crossentropy(label, prob)), loss_reduce(loss_poisson(soft, fprob), weight) "
        + "FROM batch_finite_rows";
    List<String> compiled = bits(spark.sql(q).first());
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    Dataset<Row> df = spark.sql(q);
    List<String> interpreted = bits(df.first());
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("FusedKerasLoss") && !plan.contains("*("), plan);
    assertEquals(compiled, interpreted);
    spark.conf().unset("spark.sql.codegen.wholeStage");
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    assertEquals(compiled, bits(spark.sql(q).first()));
  }

  @Test
  void emptyAndAllNullInputsGiveNull() {
    for (String where : new String[] {"id < 0", "prob IS NULL"}) {
      String q = "SELECT sum(loss_binary_crossentropy(label, prob)), loss_reduce(loss_huber(label, prob)) "
          + "FROM batch_rows WHERE " + where;
      List<List<String>> r = fusedAndUnfused(q);
      assertEquals(List.of("null", "null"), r.get(0), q);
      assertEquals(r.get(1), r.get(0), q);
    }
  }

  @Test
  void nullWeightFailsAsUnbatched() {
    String query = "SELECT loss_reduce(loss_binary_crossentropy(label, prob), holey_weight) FROM batch_rows";
    String fused = assertThrows(Exception.class, () -> spark.sql(query).collect()).toString();
    spark.conf().set(FusedKerasLossStrategy.ENABLED, "false");
    String plain = assertThrows(Exception.class, () -> spark.sql(query).collect()).toString();
    String expected = "argument 2 (sample_weight, batch_rows.holey_weight) is NULL in a row whose loss is not NULL";
    assertTrue(fused.contains(expected), fused);
    assertTrue(plain.contains(expected), plain);
  }

  @Test
  void sumStateBytesRoundTripAndCorruptOnesAreNamed() {
    Expression loss = ((Alias) spark.sql("SELECT loss_binary_crossentropy(label, prob) FROM batch_rows")
        .queryExecution().analyzed().expressions().head()).child();
    RowLossSum sum = RowLossSum.of(loss);
    assertNotNull(sum);
    RowLossSum.State s = sum.createAggregationBuffer();
    assertNull(sum.eval(sum.deserialize(sum.serialize(s))));
    s.add(-0.0);
    s.add(0.1);
    RowLossSum.State back = sum.deserialize(sum.serialize(s));
    assertEquals(0.1, (Double) sum.eval(back));
    RowLossSum.State other = sum.createAggregationBuffer();
    sum.merge(other, back);
    assertArrayEquals(sum.serialize(s), sum.serialize(other));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sum.deserialize(new byte[5]));
    assertTrue(e.getMessage().contains("corrupt aggregation buffer of 5 bytes"), e.getMessage());
  }
}
