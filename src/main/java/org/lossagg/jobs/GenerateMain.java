package org.lossagg.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lossagg-generate}: writes the {@link PredictionTableGenerator} table as Parquet.
 *
 * <p>Runs in the session spark-submit provides, or in an embedded {@code local[*]} session when no
 * master is configured. The table is written to a temporary sibling directory and renamed into place
 * at the end, so a directory at {@code --out} is always complete.
 */
@Command(name = "lossagg-generate", sortOptions = false,
    description = "Writes a deterministic synthetic prediction table (Parquet) for lossagg demos and benchmarks.")
public final class GenerateMain implements Callable<Integer> {
  static final long ROWS_PER_PARTITION = 5_000_000L;

  @Option(names = "--rows", required = true, paramLabel = "N", description = "Number of rows (> 0).")
  long rows;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (any Hadoop file system path).")
  String out;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed; the same seed gives the same table. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--partitions", paramLabel = "P",
      description = "Output partitions. Default: max(1, rows / " + ROWS_PER_PARTITION + ").")
  Integer partitions;

  @Option(names = "--overwrite", description = "Replace --out if it exists and is not empty.")
  boolean overwrite;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter stdout;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command and returns its exit code: 0 done, 2 bad arguments, 1 failure. */
  public static int run(PrintWriter stdout, PrintWriter stderr, String... args) {
    GenerateMain command = new GenerateMain();
    command.stdout = stdout;
    return JobCommand.execute("lossagg-generate", command, stdout, stderr, args);
  }

  @Override
  public Integer call() throws IOException {
    if (rows <= 0) {
      throw new ParameterException(spec.commandLine(), "--rows must be > 0, got " + rows);
    }
    if (partitions != null && partitions <= 0) {
      throw new ParameterException(spec.commandLine(), "--partitions must be > 0, got " + partitions);
    }
    int parts = partitions != null ? partitions : defaultPartitions(rows);

    try (JobSession session = JobSession.open("lossagg-generate")) {
      return generate(session.spark(), parts);
    }
  }

  private int generate(SparkSession spark, int parts) throws IOException {
    StagedOutput table = StagedOutput.stage(spark, out, overwrite, "--out");
    stdout.printf(Locale.ROOT, "lossagg-generate: %,d rows, seed %d, %d partitions -> %s%n",
        rows, seed, parts, table.path());
    stdout.flush();
    JobProgress progress = new JobProgress(spark, stdout, "lossagg-generate", 10);
    try {
      JobProgress.inputPass(spark, () -> {
        PredictionTableGenerator.generate(spark, rows, seed, parts).write().parquet(table.tempPath());
        return null;
      });
      table.commit();
    } catch (RuntimeException | IOException e) {
      table.abort();
      throw e;
    } finally {
      progress.close();
    }
    double seconds = progress.elapsedSeconds();
    stdout.printf(Locale.ROOT, "lossagg-generate: done: %,d / %,d rows, %.1f s, %,.0f rows/s%n",
        progress.rowsWritten(), rows, seconds, rows / seconds);
    long bytes = table.size();
    stdout.printf(Locale.ROOT, "lossagg-generate: wrote %s: %,d bytes (%.1f MiB, %.1f bytes/row)%n",
        table.path(), bytes, bytes / 1048576.0, (double) bytes / rows);
    stdout.flush();
    return CommandLine.ExitCode.OK;
  }

  static int defaultPartitions(long rows) {
    return (int) Math.max(1L, Math.min(Integer.MAX_VALUE, rows / ROWS_PER_PARTITION));
  }
}
