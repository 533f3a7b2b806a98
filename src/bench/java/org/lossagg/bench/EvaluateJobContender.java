package org.lossagg.bench;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lossagg.jobs.EvaluateMain;

/**
 * The job users run: {@code lossagg-evaluate} with the demo's six losses (its bundled config) by
 * {@code model_version,region}, {@code --worst 5 --report}, over the generated Parquet table of the
 * workload's size, in this JVM's Spark session. Only timed: its outputs are files, not one number.
 */
final class EvaluateJobContender implements Contender {
  private final Path dataDir;

  EvaluateJobContender(Path dataDir) {
    this.dataDir = dataDir;
  }

  @Override
  public Peer peer() {
    return Peer.JOB;
  }

  @Override
  public String describe() {
    return "lossagg-evaluate --input <generated Parquet> --config demo-losses.json --group-by model_version,region "
        + "--worst 5 --report <data>/evaluate-report-N.html --output <data>/evaluate-out-N --overwrite";
  }

  @Override
  public Outcome run(Dataset<Row> source, long rows) {
    try {
      Path config = dataDir.resolve("demo-losses.json");
      if (!Files.exists(config)) {
        try (InputStream in = EvaluateMain.class.getResourceAsStream("demo-losses.json")) {
          Files.write(config, in.readAllBytes());
        }
      }
      // The report goes beside the output folder: inside it, the job's staged move of the folder fails.
      Path out = dataDir.resolve("evaluate-out-" + rows);
      StringWriter err = new StringWriter();
      int code = EvaluateMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
          "--input", Sources.generatorParquetPath(dataDir, rows).toString(), "--config", config.toString(),
          "--group-by", "model_version,region", "--worst", "5",
          "--report", dataDir.resolve("evaluate-report-" + rows + ".html").toString(),
          "--output", out.toString(), "--overwrite");
      if (code != 0) {
        throw new IllegalStateException("lossagg-evaluate exited " + code + ": " + err);
      }
      return new Outcome(Double.NaN, rows);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public double tolerance(long rows) {
    return Double.NaN;
  }
}
