package org.lossagg.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.lossagg.losses.StatePreamble;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lossagg-stream}: Keras losses of a stream of predictions, per event-time window and slice,
 * with every reduction and the row counts ({@link StreamingLosses}), written to a Parquet folder
 * (closed windows, append mode), the console or an in-memory table, with a checkpoint a restarted
 * query resumes from. Same loss and column options as {@code lossagg-evaluate}.
 */
@Command(name = "lossagg-stream", sortOptions = false, usageHelpWidth = 100,
    description = {"Keras losses of a stream of predictions, per event-time window and slice, with Keras' exact numbers.",
        "",
        "Examples:",
        "  lossagg-stream --demo",
        "  lossagg-stream --input incoming/ --format json \\",
        "      --schema 'ts TIMESTAMP, region STRING, label DOUBLE, prob DOUBLE' \\",
        "      --y-true label --y-pred prob --loss binary_crossentropy --group-by region \\",
        "      --event-time ts --window '10 minutes' --watermark '5 minutes' \\",
        "      --output windows/ --checkpoint ckpt/",
        ""},
    footer = {"", "Exit codes: 0 done (or stopped), 2 bad input or arguments (one line on stderr), 1 failure."})
public final class StreamMain implements Callable<Integer> {
  enum Sink { CONSOLE, MEMORY }

  @Option(names = "--demo", description = "Generate JSON files that arrive while the stream runs, print the running "
      + "losses per window and slice, restart once from the checkpoint, compare with a batch evaluation, and stop.")
  boolean demo;

  @Option(names = "--input", paramLabel = "DIR", description = "A directory to watch for new files.")
  String inputDir;

  @Option(names = "--format", paramLabel = "FMT", defaultValue = "parquet",
      description = "Format of the files: parquet, json (JSON lines) or csv (header row; arrays as JSON text). "
          + "Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--schema", paramLabel = "DDL", description = "The input columns, e.g. 'ts TIMESTAMP, label DOUBLE, "
      + "prob ARRAY<DOUBLE>'. Default: the schema of the files already in --input.")
  String schema;

  @Option(names = "--max-files-per-trigger", paramLabel = "N", description = "Files per micro-batch at most.")
  Integer maxFilesPerTrigger;

  @Option(names = "--kafka-servers", paramLabel = "HOST:PORT,...", description = "Read a Kafka topic instead "
      + "(message values: JSON objects of --schema's columns; needs " + StreamSource.KAFKA_PACKAGE + ").")
  String kafkaServers;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "The Kafka topic.")
  String topic;

  @Mixin LossArguments lossArguments = new LossArguments();

  @Option(names = "--group-by", paramLabel = "COLS", split = ",", description = "Slice columns, comma-separated.")
  List<String> groupBy = new ArrayList<>();

  @Option(names = "--event-time", paramLabel = "COL", description = "The event-time column (TIMESTAMP) the windows "
      + "are over.")
  String eventTime;

  @Option(names = "--window", paramLabel = "DURATION", description = "Window length, e.g. '10 minutes'.")
  String window;

  @Option(names = "--slide", paramLabel = "DURATION", description = "Sliding windows: start one every DURATION "
      + "(default: tumbling windows).")
  String slide;

  @Option(names = "--watermark", paramLabel = "DELAY", description = "How late an event may arrive, e.g. "
      + "'5 minutes'; later events are dropped, and a window is final (and written to --output) once the watermark "
      + "passes its end.")
  String watermark;

  @Option(names = "--output", paramLabel = "DIR", description = "Append each closed window's rows to a Parquet "
      + "folder (needs --event-time, --window, --watermark and --checkpoint).")
  String output;

  @Option(names = "--sink", paramLabel = "SINK", description = "Without --output: console (print the values each "
      + "micro-batch updates; default) or memory (an in-memory table named --query-name in the session, for a job "
      + "run inside an application's JVM).")
  String sink;

  @Option(names = "--query-name", paramLabel = "NAME", defaultValue = "lossagg_stream",
      description = "The query's name (and the memory sink's table). Default: ${DEFAULT-VALUE}.")
  String queryName;

  @Option(names = "--output-mode", paramLabel = "MODE", description = "append (with --output; rows of closed windows "
      + "once), update (console, memory: the rows each micro-batch changed) or complete (every row, each time).")
  String outputMode;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "The checkpoint: a restarted query resumes from "
      + "it with the same numbers. Required with --output.")
  String checkpoint;

  @Option(names = "--trigger", paramLabel = "INTERVAL", description = "Start a micro-batch every INTERVAL (e.g. "
      + "'10 seconds'). Default: as soon as the previous one ends.")
  String trigger;

  @Option(names = "--available-now", description = "Process the data available at start (in micro-batches), then "
      + "stop: a bounded run that a later run resumes from the checkpoint.")
  boolean availableNow;

  @Option(names = "--state-partitions", paramLabel = "N", description = "Partitions of the query's state (Spark's "
      + "spark.sql.shuffle.partitions, fixed in the checkpoint when the query first starts). Default: the session's "
      + "setting (200 unless configured); a few suit a small local run.")
  Integer statePartitions;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Spec CommandLine.Model.CommandSpec spec;

  PrintWriter stdout;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command and returns its exit code: 0 done, 2 bad input or arguments, 1 failure. */
  public static int run(PrintWriter stdout, PrintWriter stderr, String... args) {
    StreamMain command = new StreamMain();
    command.stdout = stdout;
    return JobCommand.execute("lossagg-stream", command, stdout, stderr, args);
  }

  @Override
  public Integer call() throws IOException, TimeoutException {
    if (demo) {
      return StreamDemo.run(this);
    }
    checkArguments();
    List<JobLoss> losses = lossArguments.parse(StreamMain.class, null);
    try (JobSession session = JobSession.open("lossagg-stream")) {
      SparkSession spark = session.spark();
      applyStatePartitions(spark);
      InputTable input = kafkaServers != null ? StreamSource.kafka(spark, kafkaServers, topic, schema)
          : StreamSource.files(spark, inputDir, format(), schema, maxFilesPerTrigger);
      Dataset<Row> rows = StreamingLosses.aggregate(input, groupBy, losses, eventWindow());
      stdout.printf(Locale.ROOT, "lossagg-stream: %s; %d loss%s (%s)%s%s; to %s%n", input.description(), losses.size(),
          losses.size() == 1 ? "" : "es", String.join(", ", losses.stream().map(JobLoss::name).toList()),
          groupBy.isEmpty() ? "" : "; slices by " + String.join(", ", groupBy),
          window == null ? "" : "; windows of " + window + " over " + eventTime + (slide == null ? "" : " every " + slide)
              + (watermark == null ? "" : ", watermark " + watermark),
          output != null ? output + " (Parquet, closed windows)" : sink());
      stdout.flush();
      StreamingQuery q = start(rows, new RunningLosses(stdout, keyColumns()));
      awaitTermination(q, checkpoint);
      stdout.println("lossagg-stream: stopped after " + (q.lastProgress() == null ? 0 : q.lastProgress().batchId() + 1)
          + " micro-batches");
      return CommandLine.ExitCode.OK;
    }
  }

  private void checkArguments() {
    if ((inputDir == null) == (kafkaServers == null)) {
      throw usage(inputDir == null ? "no input: give --input DIR [--format FMT], --kafka-servers S --topic T, or --demo"
          : "give only one of --input and --kafka-servers");
    }
    if (kafkaServers != null && topic == null) {
      throw usage("--kafka-servers needs --topic");
    }
    if ((eventTime == null) != (window == null)) {
      throw usage("--event-time and --window go together (the windows are over the event time)");
    }
    if (window == null && (slide != null || watermark != null)) {
      throw usage("--slide and --watermark need --event-time and --window");
    }
    if (output != null && sink != null) {
      throw usage("give --output DIR (Parquet) or --sink console|memory, not both");
    }
    String mode = outputMode();
    if (output != null && (!mode.equals("append") || watermark == null || checkpoint == null)) {
      throw usage("--output appends each window once it is closed: it needs --event-time, --window, --watermark and "
          + "--checkpoint (and --output-mode append, the default with --output)");
    }
    if (mode.equals("append") && watermark == null) {
      throw usage("--output-mode append writes a window once the watermark closes it: give --event-time, --window and"
          + " --watermark, or use --output-mode update or complete");
    }
    if (!List.of("append", "update", "complete").contains(mode)) {
      throw usage("--output-mode must be append, update or complete, got '" + outputMode + "'");
    }
    if (availableNow && trigger != null) {
      throw usage("give --trigger INTERVAL or --available-now, not both");
    }
    sink();
  }

  void applyStatePartitions(SparkSession spark) {
    if (statePartitions != null) {
      if (statePartitions <= 0) {
        throw usage("--state-partitions must be > 0, got " + statePartitions);
      }
      spark.conf().set("spark.sql.shuffle.partitions", statePartitions.toString());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  String outputMode() {
    return outputMode != null ? outputMode.toLowerCase(Locale.ROOT) : output != null ? "append" : "update";
  }

  private String sink() {
    if (output != null) {
      return "parquet";
    }
    String s = sink == null ? "console" : sink.toLowerCase(Locale.ROOT);
    if (!s.equals("console") && !s.equals("memory")) {
      throw usage("--sink must be console or memory (or give --output DIR for Parquet), got '" + sink + "'");
    }
    return s;
  }

  private InputTable.Format format() {
    try {
      return InputTable.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw usage("--format must be parquet, json or csv, got '" + format + "'");
    }
  }

  StreamingLosses.EventWindow eventWindow() {
    return window == null ? null : new StreamingLosses.EventWindow(eventTime, window, slide, watermark);
  }

  List<String> keyColumns() {
    List<String> keys = new ArrayList<>();
    if (window != null) {
      keys.add("window_start");
      keys.add("window_end");
    }
    keys.addAll(groupBy);
    return keys;
  }

  /** Starts the query writing {@code rows} to the configured sink ({@code console} for the console sink). */
  StreamingQuery start(Dataset<Row> rows, RunningLosses console) throws TimeoutException {
    DataStreamWriter<Row> w = rows.writeStream().queryName(queryName).outputMode(outputMode());
    if (checkpoint != null) {
      w = w.option("checkpointLocation", checkpoint);
    }
    if (availableNow) {
      w = w.trigger(Trigger.AvailableNow());
    } else if (trigger != null) {
      w = w.trigger(Trigger.ProcessingTime(trigger));
    }
    return switch (sink()) {
      case "parquet" -> w.format("parquet").option("path", output).start();
      case "memory" -> w.format("memory").start();
      default -> w.foreachBatch(console).start();
    };
  }

  /**
   * Waits for the query to end; a state of another loss config in the checkpoint is bad input
   * naming the checkpoint (the state's own message says which loss it holds).
   */
  static void awaitTermination(StreamingQuery q, String checkpoint) {
    try {
      q.awaitTermination();
    } catch (StreamingQueryException e) {
      String mismatch = StatePreamble.MismatchException.class.getName() + ": ";
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof StatePreamble.MismatchException || m.contains(mismatch)) {
          // A task's exception may arrive as text only; its line after the class name is the message.
          String line = t instanceof StatePreamble.MismatchException ? m
              : m.substring(m.indexOf(mismatch) + mismatch.length()).lines().findFirst().orElse("");
          throw new JobInputException("--checkpoint " + checkpoint + ": " + line, e);
        }
      }
      throw new IllegalStateException("the streaming query failed: " + InputTable.firstLine(e), e);
    }
  }
}
