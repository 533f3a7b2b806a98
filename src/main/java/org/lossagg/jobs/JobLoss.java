package org.lossagg.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lossagg.config.JsonErrors;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.KerasVersion;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossOptions;
import org.lossagg.reduce.Reduction;

/**
 * One loss a job evaluates: the configured Keras loss, the name its results carry, and the columns
 * it reads (sample weight null for none).
 */
record JobLoss(String name, Loss loss, String yTrue, String yPred, String sampleWeight) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ENTRY_KEYS = Set.of("loss", "y_true", "y_pred", "sample_weight");

  /** The columns every loss reads unless its config-file entry names its own. */
  record Columns(String yTrue, String yPred, String sampleWeight) {}

  /**
   * The losses of {@code --loss} arguments (Keras identifiers or JSON) followed by the entries of a
   * {@code --config} file's JSON list. A list element is a Keras identifier or loss JSON, or an object
   * {@code {"loss": <identifier or JSON>, "y_true": col, "y_pred": col, "sample_weight": col}} whose
   * columns override the defaults. Then the losses of a {@code --keras-model} (null for none), one per
   * model output. Names are the Keras {@code name}s, made unique with a suffix. {@code kerasVersion}
   * ({@code --keras-version}, null for none) applies to every loss that does not name its own.
   */
  static List<JobLoss> parse(List<String> lossArgs, String configFile, String configText, Columns defaults,
      KerasVersion kerasVersion) {
    return parse(lossArgs, configFile, configText, null, defaults, kerasVersion);
  }

  /** {@link #parse(List, String, String, Columns, KerasVersion)} with the losses of a saved model. */
  static List<JobLoss> parse(List<String> lossArgs, String configFile, String configText, KerasModelFile model,
      Columns defaults, KerasVersion kerasVersion) {
    List<JobLoss> out = new ArrayList<>();
    for (String arg : lossArgs) {
      out.add(of("--loss " + arg, arg, defaults, kerasVersion));
    }
    if (configText != null) {
      JsonNode list;
      try {
        list = JSON.readTree(configText);
      } catch (JsonProcessingException e) {
        throw new JobInputException("--config " + configFile + " is not valid JSON: " + JsonErrors.describe(e)
            + "; expected a JSON list of losses");
      }
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw new JobInputException("--config " + configFile + " must hold a non-empty JSON list of losses, e.g. "
            + "[\"binary_crossentropy\", {\"loss\": {\"class_name\": \"MeanSquaredError\", \"config\": {}}, "
            + "\"y_true\": \"target\", \"y_pred\": \"prediction\"}]");
      }
      for (int i = 0; i < list.size(); i++) {
        out.add(entry(configFile + " entry " + (i + 1), list.get(i), defaults, kerasVersion));
      }
    }
    if (model != null) {
      out.addAll(fromModel(model, defaults, kerasVersion));
    }
    if (out.isEmpty()) {
      throw new JobInputException("no loss to evaluate: give --loss (a Keras identifier such as binary_crossentropy, "
          + "or a Keras loss JSON), --config FILE or --keras-model FILE.keras");
    }
    return uniqueNames(out);
  }

  /**
   * One loss per output of {@code model}. A single-output model reads {@code defaults}; with several
   * outputs, {@code --y-true} and {@code --y-pred} name one column per output, as {@code output=column}
   * pairs or as columns in the model's output order (comma-separated); the sample weights apply to every
   * output. Each loss is named {@code <output>_<loss name>}.
   */
  static List<JobLoss> fromModel(KerasModelFile model, Columns defaults, KerasVersion kerasVersion) {
    List<KerasModelFile.OutputLoss> losses = model.losses();
    List<String> outputs = new ArrayList<>();
    losses.forEach(l -> outputs.add(l.output()));
    List<JobLoss> out = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      KerasModelFile.OutputLoss l = losses.get(i);
      String where = "--keras-model " + model.path() + (l.output() == null ? "" : " output '" + l.output() + "'");
      Columns c = l.output() == null ? defaults : new Columns(outputColumn("--y-true", defaults.yTrue(), outputs, i),
          outputColumn("--y-pred", defaults.yPred(), outputs, i), defaults.sampleWeight());
      JobLoss j = of(where, l.lossJson(), c, kerasVersion);
      out.add(l.output() == null ? j : new JobLoss(l.output() + "_" + j.name(), j.loss(), j.yTrue(), j.yPred(), j.sampleWeight()));
    }
    return out;
  }

  /** The column of output {@code index} in a multi-output {@code --y-true}/{@code --y-pred} value. */
  private static String outputColumn(String option, String value, List<String> outputs, int index) {
    String expected = option + " with one column per model output (" + String.join(", ", outputs) + "), as "
        + String.join(",", outputs.stream().map(o -> o + "=COL").toList()) + " or as columns in that order";
    if (value == null) {
      throw new JobInputException("--keras-model: the model has " + outputs.size() + " outputs; give " + expected);
    }
    String[] parts = value.split(",");
    boolean pairs = value.contains("=");
    if (!pairs) {
      if (parts.length != outputs.size()) {
        throw new JobInputException(option + " " + value + " names " + parts.length + " column(s) for a model with "
            + outputs.size() + " outputs; give " + expected);
      }
      return parts[index].strip();
    }
    for (String p : parts) {
      int eq = p.indexOf('=');
      if (eq < 0) {
        throw new JobInputException(option + " " + value + " mixes output=column pairs and plain columns; give " + expected);
      }
      if (p.substring(0, eq).strip().equals(outputs.get(index))) {
        return p.substring(eq + 1).strip();
      }
    }
    throw new JobInputException(option + " " + value + " has no column for output '" + outputs.get(index) + "'; give "
        + expected);
  }

  private static JobLoss entry(String where, JsonNode e, Columns defaults, KerasVersion kerasVersion) {
    if (e.isObject() && e.has("loss")) {
      for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!ENTRY_KEYS.contains(key)) {
          throw new JobInputException(where + ": unknown key \"" + key + "\"; an entry has \"loss\" and optionally "
              + "\"y_true\", \"y_pred\", \"sample_weight\"");
        }
      }
      Columns c = new Columns(text(e, "y_true", defaults.yTrue(), where), text(e, "y_pred", defaults.yPred(), where),
          text(e, "sample_weight", defaults.sampleWeight(), where));
      JsonNode loss = e.get("loss");
      return of(where, loss.isTextual() ? loss.asText() : loss.toString(), c, kerasVersion);
    }
    return of(where, e.isTextual() ? e.asText() : e.toString(), defaults, kerasVersion);
  }

  private static String text(JsonNode e, String key, String fallback, String where) {
    JsonNode v = e.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new JobInputException(where + ": \"" + key + "\" must be a column name, got " + v);
    }
    return v.asText();
  }

  private static JobLoss of(String where, String config, Columns c, KerasVersion kerasVersion) {
    LossOptions options;
    try {
      // A config's own keras_version wins over --keras-version, as over spark.lossagg.kerasVersion.
      options = KerasLossConfig.optionsFromJson(kerasVersion == null ? config
          : KerasLossConfig.withDefaultVersion(config, kerasVersion));
    } catch (IllegalArgumentException e) {
      throw new JobInputException(where + ": not a loss lossagg knows: " + e.getMessage(), e);
    }
    if (options.reduction() == Reduction.NONE) {
      throw new JobInputException(where + ": reduction none keeps one value per sample, but the job reports reduced "
          + "values (and writes per-sample values with --per-row); leave \"reduction\" out or use "
          + "sum_over_batch_size, sum, mean or mean_with_sample_weight");
    }
    if (c.yTrue() == null || c.yPred() == null) {
      throw new JobInputException(where + ": which columns hold y_true and y_pred? Give --y-true and --y-pred"
          + " (or \"y_true\"/\"y_pred\" in the config-file entry)");
    }
    Loss loss = options.create();
    return new JobLoss(loss.name(), loss, c.yTrue(), c.yPred(), c.sampleWeight());
  }

  private static List<JobLoss> uniqueNames(List<JobLoss> losses) {
    Map<String, Integer> seen = new HashMap<>();
    List<JobLoss> out = new ArrayList<>();
    for (JobLoss l : losses) {
      int n = seen.merge(l.name(), 1, Integer::sum);
      out.add(n == 1 ? l : new JobLoss(l.name() + "_" + n, l.loss(), l.yTrue(), l.yPred(), l.sampleWeight()));
    }
    return out;
  }
}
