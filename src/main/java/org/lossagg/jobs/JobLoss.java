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
import org.lossagg.config.KerasLossConfig;
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
   * columns override the defaults. Names are the Keras {@code name}s, made unique with a suffix.
   */
  static List<JobLoss> parse(List<String> lossArgs, String configFile, String configText, Columns defaults,
      boolean keras2) {
    List<JobLoss> out = new ArrayList<>();
    for (String arg : lossArgs) {
      out.add(of("--loss " + arg, arg, defaults, keras2));
    }
    if (configText != null) {
      JsonNode list;
      try {
        list = JSON.readTree(configText);
      } catch (JsonProcessingException e) {
        throw new JobInputException("--config " + configFile + " is not valid JSON: "
            + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + "); expected a JSON list of losses");
      }
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw new JobInputException("--config " + configFile + " must hold a non-empty JSON list of losses, e.g. "
            + "[\"binary_crossentropy\", {\"loss\": {\"class_name\": \"MeanSquaredError\", \"config\": {}}, "
            + "\"y_true\": \"target\", \"y_pred\": \"prediction\"}]");
      }
      for (int i = 0; i < list.size(); i++) {
        out.add(entry(configFile + " entry " + (i + 1), list.get(i), defaults, keras2));
      }
    }
    if (out.isEmpty()) {
      throw new JobInputException("no loss to evaluate: give --loss (a Keras identifier such as binary_crossentropy, "
          + "or a Keras loss JSON) or --config FILE");
    }
    return uniqueNames(out);
  }

  private static JobLoss entry(String where, JsonNode e, Columns defaults, boolean keras2) {
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
      return of(where, loss.isTextual() ? loss.asText() : loss.toString(), c, keras2);
    }
    return of(where, e.isTextual() ? e.asText() : e.toString(), defaults, keras2);
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

  private static JobLoss of(String where, String config, Columns c, boolean keras2) {
    LossOptions options;
    try {
      options = KerasLossConfig.optionsFromJson(config);
      if (keras2) {
        options = options.toBuilder().keras2(true).build();
      }
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
