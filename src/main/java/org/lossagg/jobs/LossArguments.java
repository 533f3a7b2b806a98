package org.lossagg.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The loss and column options the jobs share ({@code lossagg-evaluate}, {@code lossagg-stream}),
 * as a picocli mixin: {@code --y-true}, {@code --y-pred}, {@code --sample-weight}, {@code --loss},
 * {@code --config}, {@code --keras-model}, {@code --keras-version}, {@code --keras2}.
 */
final class LossArguments {
  @Option(names = "--y-true", paramLabel = "COL", description = "Column of labels (y_true).")
  String yTrue;

  @Option(names = "--y-pred", paramLabel = "COL", description = "Column of predictions (y_pred).")
  String yPred;

  @Option(names = "--sample-weight", paramLabel = "COL", description = "Column of sample weights (optional).")
  String sampleWeight;

  @Option(names = "--loss", paramLabel = "LOSS", description = "A loss to evaluate: a Keras identifier "
      + "(binary_crossentropy, mse, CategoricalCrossentropy) or Keras loss JSON. Repeatable.")
  List<String> losses = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "A JSON list of losses: identifiers, Keras JSON, "
      + "or {\"loss\": ..., \"y_true\": col, \"y_pred\": col, \"sample_weight\": col} with columns per loss.")
  String configFile;

  @Option(names = "--keras-model", paramLabel = "FILE.keras", description = "Evaluate the loss a saved Keras 3 model "
      + "was compiled with (compile_config.loss, with its options and reduction), in the model's Keras version "
      + "(metadata.json). Several outputs: one loss each, with --y-true/--y-pred as output=COL pairs.")
  String kerasModel;

  @Option(names = "--keras-version", paramLabel = "V", description = "Which Keras to reproduce for losses that do not "
      + "name their own keras_version: 2, 2.9, ... (tf.keras 2.x), 3.15 (the newest release, the default) or 3.16 "
      + "(the development line).")
  String kerasVersion;

  @Option(names = "--keras2", description = "tf.keras 2.x numerics: the same as --keras-version 2.")
  boolean keras2;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /**
   * The configured losses ({@link JobLoss#parse}); with {@code demoResource} (a loss list beside the
   * job class) and neither --loss nor --config given, that list.
   */
  List<JobLoss> parse(Class<?> job, String demoResource) throws IOException {
    boolean useDemo = demoResource != null && configFile == null && losses.isEmpty();
    String configText = useDemo ? resource(job, demoResource) : configFile == null ? null : readText(configFile);
    return JobLoss.parse(losses, useDemo ? demoResource : configFile, configText,
        kerasModel == null ? null : KerasModelFile.read(kerasModel), new JobLoss.Columns(yTrue, yPred, sampleWeight),
        JobOptions.kerasVersion(command, kerasVersion, keras2));
  }

  private static String resource(Class<?> job, String name) throws IOException {
    try (InputStream in = job.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the demo's loss list " + name + " is missing from the lossagg jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String readText(String file) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(new Configuration());
      if (!fs.exists(p)) {
        throw new JobInputException("--config " + file + " does not exist; give a JSON file with a list of losses");
      }
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new JobInputException("--config " + file + " cannot be read: " + e.getMessage(), e);
    }
  }
}
