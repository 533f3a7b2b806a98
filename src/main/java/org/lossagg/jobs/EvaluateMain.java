package org.lossagg.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.lossagg.jobs.EvaluationSummary.SliceResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lossagg-evaluate}: Keras losses of a prediction table, per slice, with every reduction; the
 * summary as JSON, CSV and Parquet, per-row losses, the worst rows per slice, and an HTML report.
 *
 * <p>Runs in the session spark-submit provides or in an embedded {@code local[*]} session: the same
 * code either way. Bad input (a missing path, table or column, a wrong column type, an unknown loss,
 * an empty table, a bad value in a row) ends with exit code 2 and one line saying what, where and
 * what to do; outputs are written to temporary names and moved into place only when all succeeded.
 */
@Command(name = "lossagg-evaluate", sortOptions = false, usageHelpWidth = 100,
    description = {"Evaluates Keras losses over a prediction table, by slice, with Keras' exact numbers.",
        "",
        "Examples:",
        "  lossagg-evaluate --demo",
        "  lossagg-evaluate --input preds.parquet --y-true label --y-pred prob --sample-weight w \\",
        "      --loss binary_crossentropy --group-by model_version,region --output out --worst 10",
        "  lossagg-evaluate --table db.preds --config losses.json --output out --report report.html",
        ""},
    footer = {"", "The launch script jobs/lossagg-evaluate also takes --master M: with SPARK_HOME set it runs",
        "spark-submit --master M on the shaded jar; without it, an embedded local Spark (local[*] or M=local[N]).",
        "Exit codes: 0 done, 2 bad input or arguments (one line on stderr), 1 failure."})
public final class EvaluateMain implements Callable<Integer> {
  static final String DEMO_DIR = "lossagg-demo";
  static final long DEMO_ROWS = 100_000L;
  static final int DEMO_WORST = 5;
  static final List<String> DEMO_GROUP_BY = List.of("model_version", "region");
  static final int CONSOLE_SLICES = 50;

  @Option(names = "--demo", description = "Evaluate a generated sample table (binary, multiclass, sparse and "
      + "regression predictions, weights, slices) with six losses; outputs go to --output (default: ./"
      + DEMO_DIR + "), with the HTML report in it.")
  boolean demo;

  @Option(names = "--rows", paramLabel = "N", description = "With --demo: rows to generate. Default: " + DEMO_ROWS
      + ".")
  Long rows;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "With --demo: the generator seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--input", paramLabel = "PATH", description = "The prediction table: a file or directory.")
  String inputPath;

  @Option(names = "--format", paramLabel = "FMT", defaultValue = "parquet",
      description = "Format of --input: parquet, orc, csv (header row; arrays as JSON text like [0.1, 0.9]) or "
          + "json. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--table", paramLabel = "NAME", description = "The prediction table as a catalog table.")
  String table;

  @Mixin LossArguments lossArguments = new LossArguments();

  @Option(names = "--group-by", paramLabel = "COLS", split = ",",
      description = "Slice columns, comma-separated: one result per combination of their values.")
  List<String> groupBy = new ArrayList<>();

  @Option(names = "--output", paramLabel = "DIR", description = "Write summary.json, summary.csv and "
      + "summary.parquet (and worst.* with --worst) to this directory.")
  String output;

  @Option(names = "--per-row", paramLabel = "DIR",
      description = "Write every input row with its per-row losses (loss_<name> columns) as Parquet.")
  String perRow;

  @Option(names = "--worst", paramLabel = "N",
      description = "Write the N highest-loss rows of every slice and loss to --output (worst.parquet, worst.csv).")
  Integer worst;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report.")
  String report;

  @Option(names = "--overwrite", description = "Replace existing outputs.")
  boolean overwrite;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter stdout;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command and returns its exit code: 0 done, 2 bad input or arguments, 1 failure. */
  public static int run(PrintWriter stdout, PrintWriter stderr, String... args) {
    EvaluateMain command = new EvaluateMain();
    command.stdout = stdout;
    return JobCommand.execute("lossagg-evaluate", command, stdout, stderr, args);
  }

  @Override
  public Integer call() throws IOException {
    checkArguments();
    List<JobLoss> jobLosses = lossArguments.parse(EvaluateMain.class, demo ? "demo-losses.json" : null);
    List<String> slices = demo && groupBy.isEmpty() ? DEMO_GROUP_BY : groupBy;
    String outDir = output != null ? output : demo ? DEMO_DIR : null;
    Integer worstN = worst != null ? worst : demo ? Integer.valueOf(DEMO_WORST) : null;

    try (JobSession session = JobSession.open("lossagg-evaluate")) {
      SparkSession spark = session.spark();
      InputTable input = input(spark);
      LossEvaluation evaluation = new LossEvaluation(input, slices, jobLosses);
      // The demo folder is the demo's own: a rerun replaces it.
      List<StagedOutput> staged = new ArrayList<>();
      StagedOutput out = outDir == null ? null : stage(spark, outDir, overwrite || demo && output == null,
          "--output", staged);
      StagedOutput rowsOut = perRow == null ? null : stage(spark, perRow, overwrite, "--per-row", staged);
      StagedOutput reportOut = report == null ? null : stage(spark, report, overwrite, "--report", staged);
      try {
        stdout.printf(Locale.ROOT, "lossagg-evaluate: %s; %d loss%s (%s)%s%n", input.description(), jobLosses.size(),
            jobLosses.size() == 1 ? "" : "es", String.join(", ", jobLosses.stream().map(JobLoss::name).toList()),
            slices.isEmpty() ? "" : "; slices by " + String.join(", ", slices));
        stdout.flush();
        EvaluationSummary summary;
        try (JobProgress progress = new JobProgress(spark, stdout, "lossagg-evaluate", 5)) {
          // One pass over the input for the summary, histograms and worst rows; --per-row is a second.
          LossEvaluation.Outcome outcome = evaluation.evaluate(out != null && worstN != null ? worstN : 0);
          List<SliceResult> results = outcome.results();
          if (rowsOut != null) {
            JobProgress.inputPass(spark, () -> {
              evaluation.perRow().write().parquet(rowsOut.tempPath());
              return null;
            });
          }
          writeWorst(outcome.worst(), out);
          long total = results.stream().filter(r -> r.loss().equals(jobLosses.get(0).name()))
              .mapToLong(SliceResult::rows).sum();
          summary = new EvaluationSummary(demo ? "lossagg demo" : "lossagg evaluation", input.description(), slices,
              evaluation.entries(), results, total, progress.elapsedSeconds(), evaluation.notes());
          if (out != null) {
            out.writeText("summary.json", SummaryTable.json(summary));
            out.writeText("summary.csv", SummaryTable.csv(summary));
            SummaryTable.dataFrame(spark, summary).coalesce(1).write().parquet(out.tempPath() + "/summary.parquet");
          }
        }
        String html = HtmlReport.render(summary);
        if (reportOut != null) {
          reportOut.writeText(html);
        } else if (demo && out != null) {
          out.writeText("report.html", html);
        }
        for (StagedOutput s : staged) {
          s.commit();
        }
        printResult(summary, out, rowsOut, reportOut, worstN);
        return CommandLine.ExitCode.OK;
      } catch (RuntimeException | IOException e) {
        staged.forEach(StagedOutput::abort);
        throw e;
      }
    }
  }

  private void checkArguments() {
    int sources = (demo ? 1 : 0) + (inputPath != null ? 1 : 0) + (table != null ? 1 : 0);
    if (sources != 1) {
      throw new ParameterException(spec.commandLine(), sources == 0
          ? "no input: give --input PATH [--format FMT], --table NAME, or --demo"
          : "give only one of --input, --table and --demo");
    }
    if (rows != null && !demo) {
      throw new ParameterException(spec.commandLine(), "--rows applies to --demo only (it sets the generated rows)");
    }
    if (rows != null && rows <= 0) {
      throw new ParameterException(spec.commandLine(), "--rows must be > 0, got " + rows);
    }
    if (worst != null && worst <= 0) {
      throw new ParameterException(spec.commandLine(), "--worst must be > 0, got " + worst);
    }
    if (worst != null && output == null && !demo) {
      throw new ParameterException(spec.commandLine(), "--worst writes into --output DIR; give --output too");
    }
    if (!demo && output == null && perRow == null && report == null) {
      throw new ParameterException(spec.commandLine(), "nothing to write: give --output DIR, --per-row DIR or "
          + "--report FILE.html (the summary table is printed either way)");
    }
    for (String g : groupBy) {
      if (g.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--group-by has an empty column name: " + groupBy);
      }
    }
  }

  private InputTable input(SparkSession spark) {
    if (demo) {
      long n = rows != null ? rows : DEMO_ROWS;
      int partitions = (int) Math.max(2, Math.min(1000, n / 1_000_000));
      return InputTable.of(PredictionTableGenerator.generate(spark, n, seed, partitions),
          String.format(Locale.ROOT, "generated sample: %,d rows, seed %d", n, seed));
    }
    if (table != null) {
      return InputTable.table(spark, table);
    }
    InputTable.Format f;
    try {
      f = InputTable.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format must be parquet, orc, csv or json, got '"
          + format + "'");
    }
    return InputTable.read(spark, inputPath, f);
  }

  private static StagedOutput stage(SparkSession spark, String path, boolean overwrite, String option,
      List<StagedOutput> staged) {
    StagedOutput s = StagedOutput.stage(spark, path, overwrite, option, staged);
    staged.add(s);
    return s;
  }

  /** worst.parquet as is; worst.csv with array columns as JSON text (CSV has no arrays). */
  private static void writeWorst(Dataset<Row> worst, StagedOutput out) throws IOException {
    if (worst == null) {
      return;
    }
    Dataset<Row> rows = worst.localCheckpoint();
    rows.coalesce(1).write().parquet(out.tempPath() + "/worst.parquet");
    List<Column> flat = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      Column c = rows.col(f.name());
      flat.add(f.dataType() instanceof ArrayType ? functions.to_json(c).as(f.name()) : c);
    }
    rows.select(flat.toArray(Column[]::new)).coalesce(1).write().option("header", "true")
        .csv(out.tempPath() + "/worst.csv.parts");
    out.flattenSinglePart("worst.csv.parts", "worst.csv");
  }

  private void printResult(EvaluationSummary s, StagedOutput out, StagedOutput rowsOut, StagedOutput reportOut,
      Integer worstN) {
    stdout.println();
    stdout.print(ConsoleTable.render(s, CONSOLE_SLICES));
    stdout.println("(each loss under its configured reduction, in its dtype; every reduction is in the summary files)");
    for (String note : s.notes()) {
      stdout.println("note: " + note);
    }
    stdout.println();
    if (out != null) {
      stdout.println("lossagg-evaluate: wrote " + out.path() + ": summary.json, summary.csv, summary.parquet"
          + (worstN != null ? ", worst.parquet, worst.csv (" + worstN + " rows per slice and loss)" : "")
          + (demo && reportOut == null ? ", report.html" : ""));
    }
    if (rowsOut != null) {
      stdout.println("lossagg-evaluate: wrote per-row losses to " + rowsOut.path());
    }
    if (reportOut != null) {
      stdout.println("lossagg-evaluate: wrote the report " + reportOut.path());
    }
    stdout.printf(Locale.ROOT, "lossagg-evaluate: done: %,d rows in %.1f s (%,.0f rows/s)%n", s.totalRows(),
        s.elapsedSeconds(), s.totalRows() / Math.max(s.elapsedSeconds(), 1e-9));
    stdout.flush();
  }
}
