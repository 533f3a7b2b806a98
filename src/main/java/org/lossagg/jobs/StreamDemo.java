package org.lossagg.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine;

/**
 * {@code lossagg-stream --demo}: JSON files of predictions arrive in {@code ./lossagg-stream-demo/input}
 * while a query computes three losses (float32 and float64, number and array rows) per 10-minute
 * window and model version, one file per micro-batch, printing the values each micro-batch updates.
 * Halfway the query is stopped and started again from its checkpoint, as after a crash or a
 * redeploy; at the end the running values are compared with a batch evaluation of all the rows,
 * which they must equal bit for bit. A bounded run of a few micro-batches.
 */
final class StreamDemo {
  static final String DIR = "lossagg-stream-demo";
  static final int FILES = 4;
  static final int ROWS_PER_FILE = 400;
  static final String SCHEMA = "event_time TIMESTAMP, model_version STRING, label DOUBLE, prob DOUBLE, logit DOUBLE, "
      + "weight DOUBLE, class_onehot ARRAY<DOUBLE>, class_probs ARRAY<DOUBLE>";
  private static final LocalDateTime START = LocalDateTime.of(2026, 1, 1, 0, 0);

  private StreamDemo() {}

  static int run(StreamMain cmd) throws IOException, TimeoutException {
    Path root = Paths.get(cmd.output != null ? cmd.output : DIR).toAbsolutePath();
    deleteRecursively(root);
    Path input = Files.createDirectories(root.resolve("input"));
    Path staging = Files.createDirectories(root.resolve("staging"));
    cmd.inputDir = input.toString();
    cmd.format = "json";
    cmd.schema = SCHEMA;
    cmd.maxFilesPerTrigger = 1;
    cmd.groupBy = List.of("model_version");
    cmd.eventTime = "event_time";
    cmd.window = "10 minutes";
    cmd.watermark = "10 minutes";
    cmd.checkpoint = root.resolve("checkpoint").toString();
    cmd.output = null;
    cmd.sink = "console";
    cmd.statePartitions = cmd.statePartitions != null ? cmd.statePartitions : 2;
    List<JobLoss> losses = cmd.lossArguments.parse(StreamMain.class, "demo-stream-losses.json");
    PrintWriter out = cmd.stdout;
    out.printf(Locale.ROOT, "lossagg-stream demo: %d JSON files of %d predictions arrive in %s; losses %s per %s window"
        + " and model_version (watermark %s); checkpoint %s%n", FILES, ROWS_PER_FILE, input, String.join(", ",
        losses.stream().map(JobLoss::name).toList()), cmd.window, cmd.watermark, cmd.checkpoint);
    out.flush();

    try (JobSession session = JobSession.open("lossagg-stream")) {
      SparkSession spark = session.spark();
      cmd.applyStatePartitions(spark);
      // Update mode shows nothing in the micro-batch a watermark move adds after each file: skip it.
      spark.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
      Dataset<Row> rows = StreamingLosses.aggregate(
          StreamSource.files(spark, cmd.inputDir, InputTable.Format.JSON, SCHEMA, 1), cmd.groupBy, losses,
          cmd.eventWindow());
      RunningLosses console = new RunningLosses(out, cmd.keyColumns());
      Random random = new Random(7);
      for (int half = 0; half < 2; half++) {
        StreamingQuery q = cmd.start(rows, console);
        for (int k = half * FILES / 2; k < (half + 1) * FILES / 2; k++) {
          arrive(staging, input, k, random);
          out.printf(Locale.ROOT, "lossagg-stream demo: file %d of %d arrived%n", k + 1, FILES);
          out.flush();
          q.processAllAvailable();
        }
        q.stop();
        StreamMain.awaitTermination(q, cmd.checkpoint);
        if (half == 0) {
          out.println("lossagg-stream demo: query stopped (as a crash or a redeploy would stop it); restarting from "
              + "the checkpoint");
          out.flush();
        }
      }
      return compareWithBatch(spark, cmd, losses, console, out) ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }
  }

  /** Writes file {@code k} under a temporary name, then moves it into the watched directory. */
  private static void arrive(Path staging, Path input, int k, Random random) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < ROWS_PER_FILE; i++) {
      // File k covers minutes [6k, 6k + 12): windows fill over two files, and a restart splits one.
      LocalDateTime t = START.plusSeconds(k * 360L + random.nextInt(720));
      boolean v2 = random.nextBoolean();
      double label = random.nextDouble() < 0.4 ? 1.0 : 0.0;
      double logit = (label == 1.0 ? 1.0 : -1.0) * (v2 ? 2.0 : 1.2) + random.nextGaussian();
      int cls = random.nextInt(3);
      double[] z = new double[3];
      double norm = 0;
      for (int c = 0; c < 3; c++) {
        z[c] = Math.exp((c == cls ? (v2 ? 1.5 : 0.8) : 0.0) + 0.7 * random.nextGaussian());
        norm += z[c];
      }
      s.append(String.format(Locale.ROOT, "{\"event_time\": \"%s\", \"model_version\": \"%s\", \"label\": %.1f, "
              + "\"prob\": %s, \"logit\": %s, \"weight\": %s, \"class_onehot\": [%s, %s, %s], \"class_probs\": [%s, %s, %s]}%n",
          t, v2 ? "v2" : "v1", label, 1 / (1 + Math.exp(-logit)), logit, 0.5 + random.nextDouble(),
          cls == 0 ? 1.0 : 0.0, cls == 1 ? 1.0 : 0.0, cls == 2 ? 1.0 : 0.0, z[0] / norm, z[1] / norm, z[2] / norm));
    }
    Path tmp = staging.resolve(String.format(Locale.ROOT, "part-%03d.json", k));
    Files.writeString(tmp, s, StandardCharsets.UTF_8);
    Files.move(tmp, input.resolve(tmp.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The running values against the same aggregation over all files read as one batch table. */
  private static boolean compareWithBatch(SparkSession spark, StreamMain cmd, List<JobLoss> losses,
      RunningLosses console, PrintWriter out) {
    Dataset<Row> all = spark.read().schema(SCHEMA).json(cmd.inputDir);
    List<Row> batch = StreamingLosses.aggregate(InputTable.of(all, "all demo files"), cmd.groupBy, losses,
        new StreamingLosses.EventWindow(cmd.eventTime, cmd.window, null, null)).collectAsList();
    Map<String, Row> streamed = new HashMap<>();
    for (Row r : console.latest()) {
      streamed.put(console.key(r), r);
    }
    int same = 0;
    for (Row b : batch) {
      Row s = streamed.get(console.key(b));
      if (s != null && s.equals(b)) {
        same++;
      } else {
        out.println("lossagg-stream demo: MISMATCH for " + console.key(b).replace('\u0001', ' ') + ": stream " + s
            + ", batch " + b);
      }
    }
    long rowCount = all.count();
    boolean ok = same == batch.size() && streamed.size() == batch.size();
    out.printf(Locale.ROOT, "lossagg-stream demo: batch keras_loss over the same %d rows: %d of %d window/slice/loss "
        + "values identical to the streamed ones (bit for bit)%s%n", rowCount, same, batch.size(),
        ok ? "" : "; the stream has " + streamed.size());
    out.flush();
    return ok;
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
