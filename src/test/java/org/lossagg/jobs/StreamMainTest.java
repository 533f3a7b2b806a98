package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.spark.SparkTestSession;

/**
 * {@code lossagg-stream} run in-process on Parquet files that arrive between runs: each run
 * ({@code --available-now}, one file per micro-batch) is a restart from the checkpoint, and the
 * closed windows it appends must equal {@code keras_loss} over the same rows as a batch, bit for bit.
 */
class StreamMainTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  static final String SCHEMA = "ts TIMESTAMP, slice STRING, label DOUBLE, prob DOUBLE, onehot ARRAY<DOUBLE>, "
      + "probs ARRAY<DOUBLE>, w DOUBLE";
  private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 12, 0);
  /** Four losses: float32 and float64, number and array rows, weighted and not. */
  static final String LOSSES = "["
      + "{\"loss\": {\"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"bce\"}}, \"y_true\": \"label\","
      + " \"y_pred\": \"prob\", \"sample_weight\": \"w\"},"
      + "{\"loss\": {\"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"bce64\", \"dtype\": \"float64\","
      + " \"reduction\": \"sum\"}}, \"y_true\": \"label\", \"y_pred\": \"prob\"},"
      + "{\"loss\": {\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"name\": \"cce\"}}, \"y_true\": \"onehot\","
      + " \"y_pred\": \"probs\", \"sample_weight\": \"w\"},"
      + "{\"loss\": {\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"name\": \"cce64\", \"dtype\": \"float64\","
      + " \"label_smoothing\": 0.1}}, \"y_true\": \"onehot\", \"y_pred\": \"probs\"}]";
  static final String[][] LOSS_COLUMNS = {{"bce", "label", "prob", "w"}, {"bce64", "label", "prob", null},
      {"cce", "onehot", "probs", "w"}, {"cce64", "onehot", "probs", null}};
  static final String[] LOSS_CONFIGS = {"{\"class_name\": \"BinaryCrossentropy\", \"config\": {%s}}",
      "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"%s}}",
      "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {%s}}",
      "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"dtype\": \"float64\", \"label_smoothing\": 0.1%s}}"};
  static final List<String> REDUCTIONS = List.of("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight");

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result stream(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = StreamMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Writes {@code files} Parquet files of rows with event times in [fromMinute, toMinute) into {@code input}. */
  static void arrive(Path input, Path stage, int step, int files, int fromMinute, int toMinute, long seed) throws IOException {
    Random random = new Random(seed);
    for (int f = 0; f < files; f++) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        Timestamp ts = Timestamp.valueOf(T0.plusSeconds(fromMinute * 60L + random.nextInt((toMinute - fromMinute) * 60)));
        double label = random.nextInt(2);
        int cls = random.nextInt(3);
        double[] p = {random.nextDouble() + 0.01, random.nextDouble() + 0.01, random.nextDouble() + 0.01};
        double sum = p[0] + p[1] + p[2];
        List<Double> onehot = new ArrayList<>();
        List<Double> probs = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
          onehot.add(c == cls ? 1.0 : 0.0);
          probs.add(p[c] / sum);
        }
        // A few rows without a prediction: skipped by every loss, counted in skipped_rows.
        Double prob = i % 17 == 5 ? null : random.nextDouble();
        rows.add(RowFactory.create(ts, "s" + random.nextInt(3), label, prob, onehot, i % 19 == 7 ? null : probs,
            0.25 + random.nextDouble()));
      }
      Path out = stage.resolve("step" + step + "-" + f);
      SPARK.createDataFrame(rows, StructType.fromDDL(SCHEMA)).coalesce(1).write().parquet(out.toString());
      try (Stream<Path> parts = Files.list(out)) {
        for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
          Files.move(part, input.resolve("step" + step + "-" + f + ".parquet"));
        }
      }
    }
  }

  private String[] args(Path input, Path config, Path out, Path checkpoint) {
    return new String[] {"--input", input.toString(), "--format", "parquet", "--schema", SCHEMA, "--config",
        config.toString(), "--group-by", "slice", "--event-time", "ts", "--window", "10 minutes", "--slide",
        "5 minutes", "--watermark", "5 minutes", "--output", out.toString(), "--checkpoint", checkpoint.toString(),
        "--available-now", "--max-files-per-trigger", "1"};
  }

  /** keras_loss per window and slice over all files as one batch: key -> [value per reduction..., rows, skipped]. */
  private static Map<String, Object[]> batch(Path input) {
    SPARK.read().schema(SCHEMA).parquet(input.toString()).createOrReplaceTempView("stream_main_test_all");
    StringBuilder sql = new StringBuilder("SELECT win.start AS ws, slice");
    for (int i = 0; i < LOSS_COLUMNS.length; i++) {
      String[] c = LOSS_COLUMNS[i];
      for (String r : REDUCTIONS) {
        String cfg = String.format(LOSS_CONFIGS[i], (LOSS_CONFIGS[i].contains("{%s}") ? "" : ", ")
            + "\"reduction\": \"" + r + "\"");
        sql.append(", CAST(keras_loss('").append(cfg).append("', ").append(c[1]).append(", ").append(c[2])
            .append(c[3] == null ? "" : ", " + c[3]).append(") AS DOUBLE) AS ").append(c[0]).append('_').append(r);
      }
      sql.append(", count_if(").append(c[1]).append(" IS NOT NULL AND ").append(c[2]).append(" IS NOT NULL) AS ")
          .append(c[0]).append("_rows");
      sql.append(", count_if(").append(c[1]).append(" IS NULL OR ").append(c[2]).append(" IS NULL) AS ")
          .append(c[0]).append("_skipped");
    }
    sql.append(" FROM (SELECT window(ts, '10 minutes', '5 minutes') AS win, * FROM stream_main_test_all) GROUP BY win, slice");
    Map<String, Object[]> out = new HashMap<>();
    for (Row r : SPARK.sql(sql.toString()).collectAsList()) {
      for (int i = 0; i < LOSS_COLUMNS.length; i++) {
        Object[] v = new Object[REDUCTIONS.size() + 2];
        for (int k = 0; k < v.length; k++) {
          v[k] = r.get(2 + i * v.length + k);
        }
        out.put(r.getTimestamp(0) + "|" + r.getString(1) + "|" + LOSS_COLUMNS[i][0], v);
      }
    }
    return out;
  }

  @Test
  void restartsFromTheCheckpointGiveTheBatchBitsForClosedWindows() throws IOException {
    Path input = Files.createDirectories(tmp.resolve("input"));
    Path stage = Files.createDirectories(tmp.resolve("stage"));
    Path config = Files.writeString(tmp.resolve("losses.json"), LOSSES);
    Path out = tmp.resolve("windows");
    Path checkpoint = tmp.resolve("checkpoint");
    // Windows [0,10), [5,15), ... fill over several files and runs; the last step moves the watermark
    // past every window of the earlier steps.
    int[][] steps = {{0, 12}, {8, 30}, {60, 61}};
    for (int s = 0; s < steps.length; s++) {
      arrive(input, stage, s, s == steps.length - 1 ? 1 : 2, steps[s][0], steps[s][1], 100 + s);
      Result r = stream(args(input, config, out, checkpoint));
      assertEquals(0, r.code(), r.err() + r.out());
    }
    Map<String, Object[]> batch = batch(input);
    List<Row> written = SPARK.read().parquet(out.toString()).collectAsList();
    // Closed: every window ending by minute 55 (watermark 61 - 5 = 56 after the last step); 4 losses.
    long closed = batch.keySet().stream().filter(k -> Timestamp.valueOf(k.split("\\|")[0]).toLocalDateTime()
        .plusMinutes(10).isBefore(T0.plusMinutes(56))).count();
    assertTrue(closed >= 6 * 3 * 4, "closed windows x slices x losses: " + closed);
    assertEquals(closed, written.size());
    for (Row w : written) {
      String key = w.getTimestamp(w.fieldIndex("window_start")) + "|" + w.getString(w.fieldIndex("slice")) + "|"
          + w.getString(w.fieldIndex("loss"));
      Object[] expected = batch.get(key);
      for (int k = 0; k < REDUCTIONS.size(); k++) {
        Double e = (Double) expected[k];
        Double got = (Double) w.get(w.fieldIndex(REDUCTIONS.get(k)));
        assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(got), key + " " + REDUCTIONS.get(k)
            + ": batch " + e + ", stream " + got);
      }
      assertEquals(expected[REDUCTIONS.size()], w.getLong(w.fieldIndex("rows")), key);
      assertEquals(expected[REDUCTIONS.size() + 1], w.getLong(w.fieldIndex("skipped_rows")), key);
      String configured = w.getString(w.fieldIndex("loss")).equals("bce64") ? "sum" : "sum_over_batch_size";
      assertEquals(configured, w.getString(w.fieldIndex("reduction")));
      assertEquals(w.get(w.fieldIndex(configured)), w.get(w.fieldIndex("value")));
    }
    assertTrue(written.stream().anyMatch(w -> w.getLong(w.fieldIndex("skipped_rows")) > 0));
  }

  @Test
  void resumingWithAnotherLossConfigFailsNamingTheCheckpointsLoss() throws IOException {
    Path input = Files.createDirectories(tmp.resolve("input"));
    Path stage = Files.createDirectories(tmp.resolve("stage"));
    Path out = tmp.resolve("windows");
    Path checkpoint = tmp.resolve("checkpoint");
    Path plain = Files.writeString(tmp.resolve("plain.json"), "[{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}]");
    Path smoothed = Files.writeString(tmp.resolve("smoothed.json"),
        "[{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.2}}]");
    arrive(input, stage, 0, 1, 0, 10, 1);
    String[] common = {"--input", input.toString(), "--schema", SCHEMA, "--y-true", "label", "--y-pred", "prob",
        "--group-by", "slice", "--event-time", "ts", "--window", "10 minutes", "--watermark", "5 minutes",
        "--output", out.toString(), "--checkpoint", checkpoint.toString(), "--available-now"};
    Result first = stream(concat(common, "--config", plain.toString()));
    assertEquals(0, first.code(), first.err());
    arrive(input, stage, 1, 1, 0, 10, 2);
    Result second = stream(concat(common, "--config", smoothed.toString()));
    assertEquals(2, second.code(), second.err() + second.out());
    String theirs = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false, \"label_smoothing\": "
        + "0.0, \"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"3.15\"}";
    assertTrue(second.err().startsWith("lossagg-stream: --checkpoint " + checkpoint + ": keras_loss computes "
        + "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false, \"label_smoothing\": 0.2, "
        + "\"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"3.15\"}, but the aggregation state it was given holds state for " + theirs
        + ". Restarting a streaming query: the checkpoint holds state for " + theirs + "; start a new checkpoint or use "
        + theirs + "\n"), second.err());
    // The original config resumes.
    Result third = stream(concat(common, "--config", plain.toString()));
    assertEquals(0, third.code(), third.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void badArgumentsSayWhatIsMissing() {
    Result r = stream("--input", tmp.toString(), "--loss", "mse", "--y-true", "a", "--y-pred", "b", "--output",
        tmp.resolve("o").toString(), "--checkpoint", tmp.resolve("c").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("lossagg-stream: --output appends each window once it is closed: it needs "
        + "--event-time, --window, --watermark and --checkpoint"), r.err());
    Result empty = stream("--input", tmp.toString(), "--loss", "mse", "--y-true", "a", "--y-pred", "b");
    assertEquals(2, empty.code());
    assertTrue(empty.err().startsWith("lossagg-stream: --input " + tmp + " has no files to take the schema from; give "
        + "--schema"), empty.err());
  }

  /** The Kafka connector is not on lossagg's classpath: the source says how to add it. */
  @Test
  void kafkaWithoutTheConnectorSaysHowToAddIt() {
    Result r = stream("--kafka-servers", "localhost:9092", "--topic", "preds", "--schema", SCHEMA, "--loss", "mse",
        "--y-true", "label", "--y-pred", "prob");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("lossagg-stream: the Kafka source is not available ("), r.err());
    assertTrue(r.err().contains("spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }
}
