package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossagg.spark.SparkTestSession;

/**
 * Runs {@code lossagg-evaluate} in-process on small generated tables and checks its numbers against
 * {@code keras_loss} (and the per-row functions) run directly in SQL.
 */
class EvaluateMainTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final long ROWS = 3000;

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path parquet;

  @BeforeAll
  static void table() {
    parquet = shared.resolve("preds.parquet");
    PredictionTableGenerator.generate(SPARK, ROWS, 7, 3).write().parquet(parquet.toString());
    SPARK.read().parquet(parquet.toString()).createOrReplaceTempView("evaluate_main_test_preds");
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EvaluateMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static JsonNode summary(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("summary.json").toFile());
  }

  /** keras_loss(config, ...) per slice, for every reduction: slice key -> reduction -> value. */
  private static Map<String, Map<String, Float>> kerasLoss(String table, String config, String yTrue, String yPred,
      String weight, String groupBy) {
    Map<String, Map<String, Float>> out = new HashMap<>();
    for (String r : List.of("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight")) {
      String cfg = config.contains("\"config\": {}")
          ? config.replace("\"config\": {}", "\"config\": {\"reduction\": \"" + r + "\"}")
          : config.replace("\"config\": {\"", "\"config\": {\"reduction\": \"" + r + "\", \"");
      String sql = "SELECT " + (groupBy.isEmpty() ? "'all'" : "concat_ws('|', " + groupBy + ")") + " AS k, keras_loss('"
          + cfg + "', " + yTrue + ", " + yPred + (weight == null ? "" : ", " + weight) + ") AS v FROM " + table
          + (groupBy.isEmpty() ? "" : " GROUP BY " + groupBy);
      for (Row row : SPARK.sql(sql).collectAsList()) {
        out.computeIfAbsent(row.getString(0), k -> new HashMap<>()).put(r, row.getFloat(1));
      }
    }
    return out;
  }

  private static void assertMatches(JsonNode summary, String loss, List<String> groupBy,
      Map<String, Map<String, Float>> expected) {
    int seen = 0;
    for (JsonNode rec : summary) {
      if (!rec.get("loss").asText().equals(loss)) {
        continue;
      }
      List<String> key = new ArrayList<>();
      for (String g : groupBy) {
        key.add(rec.get(g).asText());
      }
      Map<String, Float> want = expected.get(groupBy.isEmpty() ? "all" : String.join("|", key));
      for (Map.Entry<String, Float> e : want.entrySet()) {
        assertEquals(e.getValue(), (float) rec.get(e.getKey()).asDouble(), 0f, loss + " " + key + " " + e.getKey());
      }
      assertEquals(want.get(rec.get("reduction").asText()), (float) rec.get("value").asDouble(), 0f);
      seen++;
    }
    assertEquals(expected.size(), seen, "one summary record per slice for " + loss);
  }

  @Test
  void parquetInputByTwoSlicesMatchesKerasLossForEveryReduction() throws IOException {
    Path out = tmp.resolve("out");
    Result r = run("--input", parquet.toString(), "--y-true", "label", "--y-pred", "prob", "--sample-weight", "weight",
        "--loss", "binary_crossentropy", "--loss", "{\"class_name\": \"BinaryCrossentropy\", \"config\": "
            + "{\"name\": \"bce_smooth\", \"label_smoothing\": 0.1, \"reduction\": \"sum\"}}",
        "--group-by", "model_version,region", "--output", out.toString(), "--report", tmp.resolve("r.html").toString());
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(tmp.resolve("r.html"));
    assertTrue(html.contains("bce_smooth") && html.contains("<svg"), "report with histograms");
    assertEquals(2 * 8, html.split("<svg", -1).length - 1, "one histogram per slice and loss");
    JsonNode s = summary(out);
    assertEquals(2 * 4 * 2, s.size());
    assertMatches(s, "binary_crossentropy", List.of("model_version", "region"), kerasLoss("evaluate_main_test_preds",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}", "label", "prob", "weight",
        "model_version, region"));
    assertMatches(s, "bce_smooth", List.of("model_version", "region"), kerasLoss("evaluate_main_test_preds",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.1}}", "label", "prob", "weight",
        "model_version, region"));
    for (JsonNode rec : s) {
      if (rec.get("loss").asText().equals("bce_smooth")) {
        assertEquals("sum", rec.get("reduction").asText());
        assertEquals(rec.get("sum").asDouble(), rec.get("value").asDouble());
      }
    }
    long rows = 0;
    for (JsonNode rec : s) {
      rows += rec.get("loss").asText().equals("binary_crossentropy") ? rec.get("rows").asLong() : 0;
    }
    assertEquals(ROWS, rows);
    // The printed table: a header with both losses and one line per slice, and the final rate.
    assertTrue(r.out().contains("model_version  region"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("v2             west")), r.out());
    assertTrue(r.out().matches("(?s).*done: 3,000 rows in [0-9.]+ s \\([0-9,]+ rows/s\\).*"), r.out());
    // CSV and Parquet hold the same records.
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(s.size() + 1, csv.size());
    assertEquals("model_version,region,loss,keras_class,reduction,dtype,rows,skipped_rows,value,"
        + "sum_over_batch_size,sum,mean,mean_with_sample_weight", csv.get(0));
    Dataset<Row> pq = SPARK.read().parquet(out.resolve("summary.parquet").toString());
    assertEquals(s.size(), pq.count());
    Row first = pq.where("loss = 'binary_crossentropy' AND model_version = 'v1' AND region = 'east'").first();
    JsonNode firstJson = null;
    for (JsonNode rec : s) {
      if (rec.get("loss").asText().equals("binary_crossentropy") && rec.get("model_version").asText().equals("v1")
          && rec.get("region").asText().equals("east")) {
        firstJson = rec;
      }
    }
    assertEquals((float) firstJson.get("value").asDouble(), (float) first.getDouble(first.fieldIndex("value")));
    assertEquals(firstJson.get("rows").asLong(), first.getLong(first.fieldIndex("rows")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orc", "json", "csv"})
  void otherFormatsGiveKerasLossOnTheSameRows(String format) throws IOException {
    Path in = tmp.resolve("in." + format);
    Dataset<Row> rows = SPARK.table("evaluate_main_test_preds")
        .select("region", "label", "prob", "weight", "class_id", "class_onehot", "class_probs");
    if (format.equals("csv")) {
      // CSV has no arrays: they travel as JSON text, which the job parses.
      rows.selectExpr("region", "label", "prob", "weight", "class_id", "to_json(class_onehot) AS class_onehot",
          "to_json(class_probs) AS class_probs").write().option("header", "true").csv(in.toString());
    } else {
      rows.write().format(format).save(in.toString());
    }
    Path config = tmp.resolve("losses.json");
    Files.writeString(config, "[{\"loss\": \"categorical_crossentropy\", \"y_true\": \"class_onehot\", "
        + "\"y_pred\": \"class_probs\"},\n {\"loss\": \"sparse_categorical_crossentropy\", \"y_true\": \"class_id\", "
        + "\"y_pred\": \"class_probs\", \"sample_weight\": \"weight\"}, \"binary_crossentropy\"]");
    Path out = tmp.resolve("out");
    Result r = run("--input", in.toString(), "--format", format, "--config", config.toString(),
        "--y-true", "label", "--y-pred", "prob", "--group-by", "region", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode s = summary(out);
    assertEquals(4 * 3, s.size());
    String t = "evaluate_main_test_preds";
    assertMatches(s, "categorical_crossentropy", List.of("region"), kerasLoss(t,
        "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {}}", "class_onehot", "class_probs", null, "region"));
    assertMatches(s, "sparse_categorical_crossentropy", List.of("region"), kerasLoss(t,
        "{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {}}", "class_id", "class_probs", "weight",
        "region"));
    assertMatches(s, "binary_crossentropy", List.of("region"), kerasLoss(t,
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}", "label", "prob", null, "region"));
  }

  /**
   * A slice's rows come from the first loss' state (rows plus skipped rows): here the first loss is
   * Circle, which has no per-row value, and the second one skips rows (NULL y_pred); both report
   * every row of the slice, as count(*) counts them.
   */
  @Test
  void rowsPerSliceAreEveryRowWhateverTheFirstLoss() throws IOException {
    Path config = tmp.resolve("losses.json");
    Files.writeString(config, "[{\"loss\": {\"class_name\": \"Circle\", \"config\": {}}, \"y_true\": \"class_id\","
        + " \"y_pred\": \"class_probs\"}, {\"loss\": \"mse\", \"y_true\": \"target\", \"y_pred\": \"p\"}]");
    Path in = tmp.resolve("holes.parquet");
    SPARK.sql("SELECT *, IF(id % 7 = 0, NULL, prediction) AS p FROM evaluate_main_test_preds").write().parquet(in.toString());
    Path out = tmp.resolve("out");
    Result r = run("--input", in.toString(), "--config", config.toString(), "--group-by", "region", "--output",
        out.toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Long> want = new HashMap<>();
    for (Row row : SPARK.sql("SELECT region, count(*) FROM evaluate_main_test_preds GROUP BY region").collectAsList()) {
      want.put(row.getString(0), row.getLong(1));
    }
    int checked = 0;
    long skipped = 0;
    for (JsonNode rec : summary(out)) {
      assertEquals(want.get(rec.get("region").asText()).longValue(), rec.get("rows").asLong(), rec.toString());
      skipped += rec.get("skipped_rows").asLong();
      checked++;
    }
    assertEquals(2 * want.size(), checked);
    assertTrue(skipped > 0, "mse skipped the NULL rows");
  }

  @Test
  void perRowLossesAreKerasReductionNoneInFloat32() throws IOException {
    Path perRow = tmp.resolve("rows");
    Result r = run("--input", parquet.toString(), "--y-true", "label", "--y-pred", "logit", "--loss",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"bce\", \"from_logits\": true}}",
        "--per-row", perRow.toString());
    assertEquals(0, r.code(), r.err());
    Dataset<Row> back = SPARK.read().parquet(perRow.toString());
    assertEquals(ROWS, back.count());
    back.createOrReplaceTempView("evaluate_main_test_rows");
    long differing = SPARK.sql("SELECT count_if(NOT (loss_bce <=> loss_binary_crossentropy(label, CAST(logit AS FLOAT),"
        + " true))) FROM evaluate_main_test_rows").first().getLong(0);
    assertEquals(0, differing);
    assertEquals("float", back.schema().apply("loss_bce").dataType().simpleString());
    // The mean of the per-row values is the keras_loss value (no weights): same float32 terms.
    float mean = SPARK.sql("SELECT CAST(sum(CAST(loss_bce AS DECIMAL(38, 30))) / count(*) AS FLOAT) "
        + "FROM evaluate_main_test_rows").first().getFloat(0);
    float keras = SPARK.sql("SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": "
        + "{\"from_logits\": true}}', label, logit) FROM evaluate_main_test_preds").first().getFloat(0);
    assertEquals(keras, mean, Math.ulp(keras));
  }

  @Test
  void worstRowsAreTheHighestPerRowLossesOfEverySlice() throws IOException {
    Path out = tmp.resolve("out");
    Result r = run("--input", parquet.toString(), "--y-true", "target", "--y-pred", "prediction", "--loss", "mse",
        "--loss", "mae", "--group-by", "segment", "--worst", "3", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    Dataset<Row> worst = SPARK.read().parquet(out.resolve("worst.parquet").toString());
    assertEquals(2 * 3 * 3, worst.count());
    for (String loss : List.of("mean_squared_error", "mean_absolute_error")) {
      String fn = loss.equals("mean_squared_error") ? "loss_mean_squared_error" : "loss_mean_absolute_error";
      List<Row> want = SPARK.sql("SELECT segment, id, v FROM (SELECT segment, id, " + fn + "(target, CAST(prediction AS "
          + "FLOAT)) AS v, row_number() OVER (PARTITION BY segment ORDER BY " + fn + "(target, CAST(prediction AS FLOAT))"
          + " DESC, id) AS rk FROM evaluate_main_test_preds) WHERE rk <= 3 ORDER BY segment, v DESC, id").collectAsList();
      List<Row> got = worst.where("loss = '" + loss + "'").orderBy("segment", "rank")
          .selectExpr("segment", "id", "CAST(row_loss AS FLOAT)").collectAsList();
      assertEquals(want, got, loss);
    }
    List<String> csv = Files.readAllLines(out.resolve("worst.csv"));
    assertEquals(2 * 3 * 3 + 1, csv.size());
    assertTrue(csv.get(0).startsWith("loss,rank,row_loss,id,region,segment"), csv.get(0));
    assertTrue(csv.get(1).contains("\"[") || csv.get(1).contains("["), "arrays as JSON text: " + csv.get(1));
  }

  @Test
  void demoWritesEveryOutputAndPrintsTheTable() throws IOException {
    Path out = tmp.resolve("demo");
    Result r = run("--demo", "--rows", "4000", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("summary.json", "summary.csv", "summary.parquet", "worst.parquet", "worst.csv",
        "report.html")) {
      assertTrue(Files.exists(out.resolve(f)), f + " in " + r.out());
    }
    String header = r.out().lines().filter(l -> l.startsWith("model_version")).findFirst().orElseThrow();
    for (String loss : List.of("bce", "bce_logits", "focal_bce", "cce", "scce", "mse")) {
      assertTrue(header.contains(loss), header);
    }
    assertEquals(8, r.out().lines().filter(l -> l.matches("v[12] +(north|south|east|west) .*")).count(), r.out());
    JsonNode s = summary(out);
    assertEquals(8 * 6, s.size());
    // The demo is deterministic: each of its six losses, every reduction, equals keras_loss on the
    // generated table by slice (the values the job gave before its one-pass aggregation).
    PredictionTableGenerator.generate(SPARK, 4000, 42, 2).createOrReplaceTempView("evaluate_main_test_demo");
    String[][] demoLosses = {
        {"bce", "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}", "label", "prob", "weight"},
        {"bce_logits", "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}", "label",
            "logit", "weight"},
        {"focal_bce", "{\"class_name\": \"BinaryFocalCrossentropy\", \"config\": {\"from_logits\": true, "
            + "\"apply_class_balancing\": true}}", "label", "logit", null},
        {"cce", "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"label_smoothing\": 0.1}}", "class_onehot",
            "class_probs", null},
        {"scce", "{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {}}", "class_id", "class_probs", null},
        {"mse", "{\"class_name\": \"MeanSquaredError\", \"config\": {}}", "target", "prediction", "weight"}};
    for (String[] l : demoLosses) {
      assertMatches(s, l[0], List.of("model_version", "region"), kerasLoss("evaluate_main_test_demo", l[1], l[2], l[3],
          l[4], "model_version, region"));
    }
    // Rerunning the demo replaces its folder.
    assertEquals(0, run("--demo", "--rows", "1000", "--output", out.toString(), "--overwrite").code());
    assertEquals(List.of("demo"), siblings(tmp));
  }

  private static List<String> siblings(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  // ---- bad input: exit code 2, one line naming what, where and what to do, nothing written ----

  private void assertBadInput(Result r, String... fragments) throws IOException {
    assertEquals(2, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.startsWith("lossagg-evaluate: "), err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "'" + f + "' in: " + err);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written at --output");
    try (Stream<Path> s = Files.list(tmp)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary output left");
    }
  }

  private Result evaluate(String input, String format, String... more) {
    List<String> args = new ArrayList<>(List.of("--input", input, "--format", format, "--output",
        tmp.resolve("out").toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void missingInputPath() throws IOException {
    assertBadInput(evaluate(tmp.resolve("nope").toString(), "parquet", "--y-true", "label", "--y-pred", "prob",
        "--loss", "binary_crossentropy"), "--input", "nope", "does not exist");
  }

  @Test
  void missingTable() throws IOException {
    assertBadInput(run("--table", "no_such_table_anywhere", "--y-true", "label", "--y-pred", "prob", "--loss", "binary_crossentropy",
        "--output", tmp.resolve("out").toString()), "--table no_such_table_anywhere", "SHOW TABLES");
  }

  @Test
  void missingColumn() throws IOException {
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "probability",
        "--loss", "binary_crossentropy"), "column 'probability'", "y_pred of loss 'binary_crossentropy'", "its columns are:", "prob");
  }

  @Test
  void missingGroupByColumn() throws IOException {
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "prob",
        "--loss", "binary_crossentropy", "--group-by", "country"), "column 'country'", "--group-by");
  }

  @Test
  void wrongColumnType() throws IOException {
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "region",
        "--loss", "binary_crossentropy"), "column 'region'", "y_pred", "STRING", "a number or an array of numbers");
  }

  @Test
  void unknownLoss() throws IOException {
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "prob",
        "--loss", "binary_crossentropyy"), "--loss binary_crossentropyy", "not a loss lossagg knows");
  }

  @Test
  void badLossOption() throws IOException {
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "prob", "--loss",
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 1.5}}"), "label_smoothing", "1.5");
  }

  @Test
  void emptyTable() throws IOException {
    Path empty = tmp.resolve("empty.parquet");
    SPARK.read().parquet(parquet.toString()).limit(0).write().parquet(empty.toString());
    assertBadInput(evaluate(empty.toString(), "parquet", "--y-true", "label", "--y-pred", "prob", "--loss", "binary_crossentropy"),
        "has no rows");
  }

  @Test
  void badValueInARowNamesTheLossAndTheValue() throws IOException {
    Path in = tmp.resolve("bad.parquet");
    SPARK.sql("SELECT * FROM VALUES (0, array(0.2, 0.8)), (7, array(0.5, 0.5)) AS t(y, p)").write()
        .parquet(in.toString());
    assertBadInput(evaluate(in.toString(), "parquet", "--y-true", "y", "--y-pred", "p", "--loss", "sparse_categorical_crossentropy"),
        "bad value in the input", "SparseCategoricalCrossentropy", "7");
  }

  @Test
  void csvTextThatIsNotAnArray() throws IOException {
    Path in = tmp.resolve("bad.csv");
    Files.writeString(in, "y,p\n\"[0.0, 1.0]\",\"[0.3, 0.7]\"\n\"[1.0, 0.0]\",\"0.3; 0.7\"\n");
    assertBadInput(evaluate(in.toString(), "csv", "--y-true", "y", "--y-pred", "p", "--loss", "categorical_crossentropy"),
        "column 'p'", "'0.3; 0.7'", "not a JSON array of numbers");
  }

  @Test
  void badConfigFile() throws IOException {
    Path config = tmp.resolve("losses.json");
    Files.writeString(config, "[{\"loss\": \"binary_crossentropy\", \"y_pred\": \"prob\", \"weights\": \"weight\"}]");
    assertBadInput(evaluate(parquet.toString(), "parquet", "--y-true", "label", "--config", config.toString()),
        "entry 1", "unknown key \"weights\"", "sample_weight");
  }

  @Test
  void existingOutputIsNotOverwritten() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    Result r = evaluate(parquet.toString(), "parquet", "--y-true", "label", "--y-pred", "prob", "--loss", "binary_crossentropy");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("already exists") && r.err().contains("--overwrite"), r.err());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void argumentErrors() {
    Result none = run("--loss", "binary_crossentropy");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("no input: give --input PATH"), none.err());
    Result worst = run("--input", parquet.toString(), "--loss", "binary_crossentropy", "--worst", "3", "--report", "x.html");
    assertEquals(2, worst.code());
    assertTrue(worst.err().contains("--worst writes into --output DIR"), worst.err());
    Result format = run("--input", parquet.toString(), "--format", "avro", "--y-true", "label", "--y-pred", "prob",
        "--loss", "binary_crossentropy", "--output", "x");
    assertEquals(2, format.code());
    assertTrue(format.err().contains("--format must be parquet, orc, csv or json, got 'avro'"), format.err());
  }
}
