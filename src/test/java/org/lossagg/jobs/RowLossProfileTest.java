package org.lossagg.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.jobs.EvaluationSummary.Bin;
import org.lossagg.jobs.EvaluationSummary.Histogram;
import org.lossagg.spark.FusedKerasLossStrategy;
import org.lossagg.spark.SparkTestSession;

/**
 * {@link RowLossProfile} against direct Spark computations of its documented definition: each octave
 * bin's count is {@code count_if} of its interval, NaN/inf are counted apart, and the worst rows are
 * {@code row_number() OVER (PARTITION BY slice ORDER BY v DESC NULLS LAST, columns ASC NULLS LAST)}.
 */
class RowLossProfileTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int WORST = 4;
  private static Dataset<Row> table;

  /**
   * 3,000 rows in slices 'a', 'b' and NULL, plus slice 'c' with two rows (one NULL loss). Values of
   * both signs over 12 decades, exact octave edges (both signs), 0.0 and -0.0, subnormals, the largest
   * double, NaN, infinities, NULLs, and many ties; a map column (not orderable) and an array column.
   */
  @BeforeAll
  static void table() {
    String v = "CASE WHEN id % 97 = 0 THEN NULL"
        + " WHEN id % 89 = 0 THEN double('NaN')"
        + " WHEN id % 83 = 0 THEN double('Infinity')"
        + " WHEN id % 79 = 0 THEN double('-Infinity')"
        + " WHEN id % 71 = 0 THEN 0.0D"
        + " WHEN id % 67 = 0 THEN CAST('-0.0' AS DOUBLE)"
        + " WHEN id % 61 = 0 THEN pow(2, pmod(id, 40) - 20)"
        + " WHEN id % 59 = 0 THEN -pow(2, pmod(id, 40) - 20)"
        + " WHEN id % 53 = 0 THEN 4.9E-324D * (pmod(id, 7) + 1)"
        + " WHEN id % 47 = 0 THEN 1.7976931348623157E308D"
        + " WHEN id % 43 = 0 THEN 2.5D"
        + " ELSE (pmod(hash(id), 10007) / 10007.0D - 0.3D) * pow(10, pmod(hash(id, 1), 13) - 8) END";
    Dataset<Row> main = SPARK.range(3000).selectExpr("id",
        "CASE pmod(id, 3) WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE NULL END AS slice", v + " AS v",
        "map('k', CAST(pmod(id, 5) AS INT)) AS m", "array(CAST(pmod(id, 4) AS INT), CAST(pmod(id, 3) AS INT)) AS arr");
    Dataset<Row> small = SPARK.range(5000, 5002).selectExpr("id", "'c' AS slice",
        "CASE WHEN id = 5000 THEN NULL ELSE 1.0D END AS v", "map('k', 0) AS m", "array(0, 0) AS arr");
    table = main.unionAll(small).repartition(5).cache();
    table.createOrReplaceTempView("profile_test");
  }

  private static Dataset<Row> profile(Dataset<Row> df, int worst) {
    List<Column> columns = List.of(df.col("id"), df.col("slice"), df.col("v"), df.col("m"), df.col("arr"));
    return df.groupBy("slice").agg(RowLossProfile.of(df.col("v"), worst, columns).as("p"));
  }

  /** slice -> histogram, read back as the job reads it. */
  private static Map<String, Histogram> histograms(Dataset<Row> profiles) {
    Map<String, Histogram> out = new LinkedHashMap<>();
    for (Row r : profiles.select(col("slice"), col("p.histogram")).orderBy(col("slice")).collectAsList()) {
      out.put(r.getString(0), LossEvaluation.histogram(r.getStruct(1)));
    }
    return out;
  }

  private static String condition(Bin b) {
    if (b.lower() == 0 && b.upper() == 0) {
      return "v = 0";
    }
    return b.upper() > 0 ? "v >= " + literal(b.lower()) + " AND v < " + literal(b.upper())
        : "v > " + literal(b.lower()) + " AND v <= " + literal(b.upper());
  }

  private static String literal(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "double('Infinity')" : "double('-Infinity')";
    }
    return Double.toString(d) + "D";
  }

  @Test
  void binCountsAreTheRowsInEachOctaveIntervalByADirectSparkCount() {
    Map<String, Histogram> got = histograms(profile(table, 0));
    assertEquals(4, got.size());
    int checked = 0;
    for (Map.Entry<String, Histogram> e : got.entrySet()) {
      Histogram h = e.getValue();
      List<Column> counts = new ArrayList<>();
      counts.add(expr("count_if(isnan(v) OR abs(v) = double('Infinity'))"));
      counts.add(expr("count_if(v IS NOT NULL AND NOT isnan(v) AND abs(v) != double('Infinity'))"));
      counts.add(expr("min(CASE WHEN abs(v) != double('Infinity') AND NOT isnan(v) THEN v END)"));
      counts.add(expr("max(CASE WHEN abs(v) != double('Infinity') AND NOT isnan(v) THEN v END)"));
      for (Bin b : h.bins()) {
        counts.add(expr("count_if(" + condition(b) + ")"));
      }
      Row want = table.where(col("slice").eqNullSafe(e.getKey()))
          .agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
      String slice = "slice " + e.getKey();
      assertEquals(want.getLong(0), h.nonFinite(), slice + ": NaN and infinities");
      assertEquals(want.getLong(1), h.finiteCount(), slice + ": every finite value is in a bin");
      assertEquals(want.getDouble(2), h.min(), slice);
      assertEquals(want.getDouble(3), h.max(), slice);
      for (int i = 0; i < h.bins().size(); i++) {
        assertEquals(want.getLong(4 + i), h.bins().get(i).count(), slice + " bin " + h.bins().get(i));
        checked++;
      }
    }
    assertTrue(checked > 80, "bins checked: " + checked);
  }

  @Test
  void binsAreConsecutivePowerOfTwoOctavesInValueOrderWithAtMostFortyPerSide() {
    Histogram h = histograms(profile(table, 0)).get("a");
    Bin previous = null;
    int negative = 0;
    int positive = 0;
    int merged = 0;
    for (Bin b : h.bins()) {
      if (b.lower() == 0 && b.upper() == 0) {
        assertTrue(previous != null && previous.upper() < 0, "the zero bin follows the negative bins");
      } else {
        double low = Math.min(Math.abs(b.lower()), Math.abs(b.upper()));
        double high = Math.max(Math.abs(b.lower()), Math.abs(b.upper()));
        int octave = OctaveHistogram.octave(low);
        assertEquals(StrictMath.pow(2, octave), low, "a power of two: " + b);
        if (high != 2 * low) {
          merged++;
          assertEquals(StrictMath.pow(2, OctaveHistogram.octave(high)), high, "merged octaves end at a power of two: " + b);
        }
        negative += b.upper() < 0 ? 1 : 0;
        positive += b.lower() > 0 ? 1 : 0;
      }
      boolean sameSide = previous != null && (previous.upper() < 0 && b.upper() < 0 || previous.lower() > 0);
      if (sameSide) {
        assertEquals(previous.upper(), b.lower(), "consecutive: " + previous + " then " + b);
      }
      previous = b;
    }
    assertEquals(OctaveHistogram.BINS_PER_SIDE, negative, "-2^19 to -2^-35: the side is full");
    assertEquals(OctaveHistogram.BINS_PER_SIDE, positive, "subnormals to 2^1023: the side is full");
    assertEquals(2, merged, "on each side, the octaves nearest zero share one bin");
    assertEquals(Double.MIN_VALUE, h.bins().get(h.bins().size() - positive).lower());
    assertEquals(Double.POSITIVE_INFINITY, previous.upper(), "the largest double is in octave 1023, up to 2^1024");
  }

  @Test
  void octavesOfEdgesSubnormalsAndTheLargestDouble() {
    assertEquals(-1074, OctaveHistogram.octave(Double.MIN_VALUE));
    assertEquals(-1073, OctaveHistogram.octave(3 * Double.MIN_VALUE));
    assertEquals(-1023, OctaveHistogram.octave(Double.MIN_NORMAL / 2));
    assertEquals(-1023, OctaveHistogram.octave(Math.nextDown(Double.MIN_NORMAL)));
    assertEquals(-1022, OctaveHistogram.octave(Double.MIN_NORMAL));
    assertEquals(-1, OctaveHistogram.octave(0.5));
    assertEquals(-2, OctaveHistogram.octave(Math.nextDown(0.5)));
    assertEquals(0, OctaveHistogram.octave(1.0));
    assertEquals(0, OctaveHistogram.octave(Math.nextDown(2.0)));
    assertEquals(1023, OctaveHistogram.octave(Double.MAX_VALUE));
  }

  /**
   * The profile with {@code worst} by slice, ordered by slice, in the fused plan (compiled, or
   * interpreted without whole-stage codegen) or in Spark's own aggregation (asserting the plan).
   */
  private static List<Row> profileIn(Dataset<Row> df, int worst, boolean fused, boolean compiled) {
    SPARK.conf().set(FusedKerasLossStrategy.ENABLED, String.valueOf(fused));
    SPARK.conf().set("spark.sql.codegen.wholeStage", String.valueOf(compiled));
    SPARK.conf().set("spark.sql.codegen.fallback", "false"); // a compile error fails, not falls back
    try {
      Dataset<Row> p = profile(df, worst).orderBy(col("slice").asc_nulls_first());
      List<Row> out = p.collectAsList();
      String plan = p.queryExecution().executedPlan().toString();
      assertEquals(fused, plan.contains("FusedKerasLoss"), plan);
      return out;
    } finally {
      SPARK.conf().unset(FusedKerasLossStrategy.ENABLED);
      SPARK.conf().unset("spark.sql.codegen.wholeStage");
      SPARK.conf().unset("spark.sql.codegen.fallback");
    }
  }

  @Test
  void theFusedPlanCompiledOrInterpretedGivesTheProfilesOfSparksOwnAggregation() {
    for (int partitions : new int[] {1, 7}) {
      Dataset<Row> t = table.repartition(partitions);
      for (int worst : new int[] {0, WORST}) {
        List<Row> spark = profileIn(t, worst, false, true);
        assertEquals(4, spark.size());
        assertEquals(spark, profileIn(t, worst, true, true), partitions + " partitions, worst " + worst + ", compiled");
        assertEquals(spark, profileIn(t, worst, true, false), partitions + " partitions, worst " + worst + ", interpreted");
      }
    }
  }

  @Test
  void worstRowsAreTheFirstRowsOfADirectSparkWindow() {
    List<Row> got = profile(table, WORST).selectExpr("slice", "posexplode(p.worst)")
        .selectExpr("slice", "pos + 1 AS rank", "col.c0 AS id", "col.row_loss AS v")
        .orderBy(col("slice").asc_nulls_first(), col("rank")).collectAsList();
    List<Row> want = SPARK.sql("SELECT slice, rank, id, v FROM (SELECT slice, id, v, row_number() OVER ("
        + "PARTITION BY slice ORDER BY v DESC NULLS LAST, id ASC NULLS LAST, slice ASC NULLS LAST, v ASC NULLS LAST, "
        + "arr ASC NULLS LAST) AS rank FROM profile_test) WHERE rank <= " + WORST
        + " ORDER BY slice ASC NULLS FIRST, rank").collectAsList();
    assertEquals(3 * WORST + 2, want.size());
    assertEquals(want, got);
    assertTrue(Double.isNaN(got.get(0).getDouble(3)), "NaN ranks first, as Spark orders doubles: " + got.get(0));
    Row cNull = got.stream().filter(r -> "c".equals(r.getString(0)) && r.getInt(1) == 2).findFirst().orElseThrow();
    assertTrue(cNull.isNullAt(3), "a NULL loss ranks last: " + cNull);
  }

  @Test
  void tiesOnTheLossAreBrokenByTheColumnsSoTheRowsDoNotDependOnPartitioning() {
    // Only 2.5 and below: the ties at 2.5 (every 43rd row) decide the ranks by id.
    Dataset<Row> ties = table.where("v <= 2.5 AND slice IS NOT NULL");
    List<Row> one = profile(ties.repartition(1), WORST).selectExpr("slice", "transform(p.worst, w -> w.c0) AS ids")
        .orderBy("slice").collectAsList();
    List<Row> seven = profile(ties.repartition(7), WORST).selectExpr("slice", "transform(p.worst, w -> w.c0) AS ids")
        .orderBy("slice").collectAsList();
    assertEquals(one, seven);
    List<Long> idsA = one.get(0).getList(1);
    List<Row> want = SPARK.sql("SELECT id FROM profile_test WHERE slice = 'a' AND v = 2.5 ORDER BY id LIMIT "
        + WORST).collectAsList();
    assertEquals(want.stream().map(r -> r.getLong(0)).toList(), idsA);
    assertEquals(histograms(profile(ties.repartition(1), 0)).toString(),
        histograms(profile(ties.repartition(7), 0)).toString(), "histograms do not depend on partitioning");
  }

  /**
   * The job's pass over the demo's six losses (the bundled config: float32 and float64, scalar and
   * array inputs, weighted or not) runs compiled in the fused plan, with the fallback to interpreted
   * code off, and gives Spark's own aggregation's rows: reductions, counts, histograms, worst rows.
   */
  @Test
  void theJobsPassOverTheDemoLossesRunsCompiledInTheFusedPlanWithSparksNumbers() throws Exception {
    Dataset<Row> preds = PredictionTableGenerator.generate(SPARK, 3000, 5, 3);
    String config;
    try (java.io.InputStream in = EvaluateMain.class.getResourceAsStream("demo-losses.json")) {
      config = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    List<JobLoss> losses = JobLoss.parse(List.of(), "demo-losses.json", config,
        new JobLoss.Columns(null, null, null), org.lossagg.losses.KerasVersion.DEFAULT);
    assertEquals(6, losses.size());
    LossEvaluation evaluation = new LossEvaluation(InputTable.of(preds, "generated"), List.of("model_version", "region"),
        losses);
    SPARK.conf().set("spark.sql.codegen.fallback", "false");
    try {
      Dataset<Row> fused = evaluation.pass(WORST).orderBy("model_version", "region");
      List<Row> got = fused.collectAsList();
      String plan = fused.queryExecution().executedPlan().toString();
      assertTrue(plan.matches("(?s).*\\*\\(\\d+\\) FusedKerasLoss \\[.*"), "fused, in generated code:\n" + plan);
      SPARK.conf().set(FusedKerasLossStrategy.ENABLED, "false");
      Dataset<Row> spark = evaluation.pass(WORST).orderBy("model_version", "region");
      List<Row> want = spark.collectAsList();
      assertTrue(!spark.queryExecution().executedPlan().toString().contains("FusedKerasLoss"));
      assertEquals(8, want.size());
      assertEquals(want.toString(), got.toString());
    } finally {
      SPARK.conf().unset("spark.sql.codegen.fallback");
      SPARK.conf().unset(FusedKerasLossStrategy.ENABLED);
    }
  }

  @Test
  void theJobsHistogramsAreTheOctavesOfThePerRowLossInTheLossDtype() {
    Dataset<Row> preds = PredictionTableGenerator.generate(SPARK, 2000, 11, 3);
    preds.createOrReplaceTempView("profile_test_preds");
    // poisson on these columns also gives negative values (y_true*log(y_pred) > y_pred).
    List<JobLoss> losses = JobLoss.parse(List.of("mse", "poisson"), null, null,
        new JobLoss.Columns("target", "prediction", null), org.lossagg.losses.KerasVersion.DEFAULT);
    LossEvaluation evaluation = new LossEvaluation(InputTable.of(preds, "generated"), List.of("region"), losses);
    List<EvaluationSummary.SliceResult> results = evaluation.evaluate(0).results();
    assertEquals(4 * 2, results.size());
    int negative = 0;
    for (EvaluationSummary.SliceResult r : results) {
      String fn = r.loss().equals("mean_squared_error") ? "loss_mean_squared_error" : "loss_poisson";
      Histogram h = r.histogram();
      StringBuilder sql = new StringBuilder("SELECT count_if(isnan(v) OR abs(v) = double('Infinity'))");
      for (Bin b : h.bins()) {
        sql.append(", count_if(").append(condition(b)).append(")");
      }
      sql.append(" FROM (SELECT ").append(fn).append("(target, CAST(prediction AS FLOAT)) AS v FROM profile_test_preds"
          + " WHERE region = '").append(r.sliceValues().get(0)).append("')");
      Row want = SPARK.sql(sql.toString()).first();
      assertEquals(want.getLong(0), h.nonFinite(), r.toString());
      for (int i = 0; i < h.bins().size(); i++) {
        assertEquals(want.getLong(1 + i), h.bins().get(i).count(), r.loss() + " " + r.sliceValues() + " " + h.bins().get(i));
      }
      assertEquals(r.rows() - r.skippedRows(), h.finiteCount() + h.nonFinite(), "every counted row is in the histogram");
      negative += (int) h.bins().stream().filter(b -> b.upper() < 0).count();
    }
    assertTrue(negative > 0, "poisson's negative octaves are checked too");
  }
}
