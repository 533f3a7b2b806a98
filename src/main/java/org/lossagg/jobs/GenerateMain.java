package org.lossagg.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
    CommandLine cl = new CommandLine(command);
    cl.setOut(stdout);
    cl.setErr(stderr);
    cl.setParameterExceptionHandler((ex, a) -> {
      stderr.println("lossagg-generate: " + ex.getMessage() + " (see --help)");
      stderr.flush();
      return CommandLine.ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      stderr.println("lossagg-generate: failed: " + ex);
      stderr.flush();
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cl.execute(args);
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
    Path target = new Path(out);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    target = fs.makeQualified(target);
    if (fs.exists(target) && !isEmptyDirectory(fs, target) && !overwrite) {
      throw new ParameterException(spec.commandLine(),
          "--out " + target + " exists and is not empty; choose another directory or add --overwrite");
    }
    Path parent = target.getParent();
    if (parent == null) {
      throw new ParameterException(spec.commandLine(), "--out must not be a file system root: " + target);
    }
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());

    stdout.printf(Locale.ROOT, "lossagg-generate: %,d rows, seed %d, %d partitions -> %s%n",
        rows, seed, parts, target);
    stdout.flush();
    JobProgress progress = new JobProgress(spark, stdout, "lossagg-generate", 10);
    try {
      PredictionTableGenerator.generate(spark, rows, seed, parts).write().parquet(tmp.toString());
    } catch (RuntimeException e) {
      fs.delete(tmp, true);
      throw e;
    } finally {
      progress.close();
    }

    if (fs.exists(target) && !fs.delete(target, true)) {
      fs.delete(tmp, true);
      throw new IOException("could not remove the previous " + target);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target + " (the table is left in " + tmp + ")");
    }
    double seconds = progress.elapsedSeconds();
    stdout.printf(Locale.ROOT, "lossagg-generate: done: %,d / %,d rows, %.1f s, %,.0f rows/s%n",
        progress.rowsWritten(), rows, seconds, rows / seconds);
    long bytes = fs.getContentSummary(target).getLength();
    stdout.printf(Locale.ROOT, "lossagg-generate: wrote %s: %,d bytes (%.1f MiB, %.1f bytes/row)%n",
        target, bytes, bytes / 1048576.0, (double) bytes / rows);
    stdout.flush();
    return CommandLine.ExitCode.OK;
  }

  static int defaultPartitions(long rows) {
    return (int) Math.max(1L, Math.min(Integer.MAX_VALUE, rows / ROWS_PER_PARTITION));
  }

  private static boolean isEmptyDirectory(FileSystem fs, Path p) throws IOException {
    FileStatus status = fs.getFileStatus(p);
    return status.isDirectory() && fs.listStatus(p).length == 0;
  }
}
