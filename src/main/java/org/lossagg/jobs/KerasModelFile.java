package org.lossagg.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.lossagg.config.KerasLossConfig;

/**
 * The compiled loss of a saved Keras 3 model ({@code model.save("m.keras")}), read with the JDK's zip
 * support: the archive's {@code config.json} holds {@code compile_config} → {@code loss} (a
 * serialized Keras loss, a loss function's name, or a dict / list of those for a multi-output model)
 * and its {@code metadata.json} the {@code keras_version} that saved it. Each loss becomes a loss
 * JSON carrying that {@code keras_version}, so the model's Keras decides the numbers.
 *
 * <p>Only the two JSON entries are read; the weights are not. Custom losses (a {@code registered_name}
 * such as {@code "acme>ScaledMse"}) are refused by {@link KerasLossConfig}, naming them.
 */
record KerasModelFile(String path, String kerasVersion, List<OutputLoss> losses) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One output's loss: {@code output} is the output's name, or null for a single-output model;
   * {@code lossJson} the Keras loss JSON with the model's {@code keras_version} beside its class.
   */
  record OutputLoss(String output, String lossJson) {}

  /** Reads {@code path}; anything that is not a compiled Keras 3 model is a {@link JobInputException}. */
  static KerasModelFile read(String path) {
    JsonNode config;
    JsonNode metadata;
    try (ZipFile zip = new ZipFile(path)) {
      config = entry(zip, path, "config.json");
      metadata = entry(zip, path, "metadata.json");
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new JobInputException("--keras-model " + path + ": no such file");
    } catch (IOException e) {
      throw new JobInputException("--keras-model " + path + " is not a .keras file (a zip archive written by Keras 3's "
          + "model.save): " + e.getMessage() + ". tf.keras 2.x .h5 files and SavedModel directories are not supported");
    }
    JsonNode version = metadata.get("keras_version");
    if (version == null || !version.isTextual()) {
      throw new JobInputException("--keras-model " + path + ": metadata.json has no keras_version string (got "
          + version + "); expected a file saved by Keras 3");
    }
    JsonNode compile = config.get("compile_config");
    JsonNode loss = compile == null ? null : compile.get("loss");
    if (loss == null || loss.isNull()) {
      throw new JobInputException("--keras-model " + path + ": the model has no compiled loss (config.json has no "
          + "compile_config.loss; it was saved without model.compile(loss=...)); give the loss with --loss instead");
    }
    return new KerasModelFile(path, version.asText(), losses(path, loss, config, version.asText()));
  }

  private static List<OutputLoss> losses(String path, JsonNode loss, JsonNode config, String version) {
    List<OutputLoss> out = new ArrayList<>();
    if (loss.isTextual() || loss.has("class_name")) {
      out.add(new OutputLoss(null, KerasLossConfig.withVersionKey(loss, version)));
    } else if (loss.isObject()) {
      // {"output name": loss, ...}: Keras matches the keys to the model's output names.
      for (Iterator<Map.Entry<String, JsonNode>> it = loss.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          out.add(new OutputLoss(e.getKey(), KerasLossConfig.withVersionKey(e.getValue(), version)));
        }
      }
    } else if (loss.isArray()) {
      List<String> names = listOutputNames(path, config, loss.size());
      for (int i = 0; i < loss.size(); i++) {
        if (!loss.get(i).isNull()) {
          out.add(new OutputLoss(names.get(i), KerasLossConfig.withVersionKey(loss.get(i), version)));
        }
      }
    } else {
      throw new JobInputException("--keras-model " + path + ": compile_config.loss is " + loss + "; supported: a Keras "
          + "loss (serialized, or a function name), or a dict / list of them with one loss per model output");
    }
    if (out.isEmpty()) {
      throw new JobInputException("--keras-model " + path + ": compile_config.loss names no loss for any output: " + loss);
    }
    return out;
  }

  /** The names of a functional model's list of outputs ({@code config.output_layers}), in order. */
  private static List<String> listOutputNames(String path, JsonNode config, int losses) {
    JsonNode layers = config.path("config").path("output_layers");
    List<String> names = new ArrayList<>();
    if (layers.isArray()) {
      for (JsonNode l : layers) {
        if (l.isArray() && l.size() > 0 && l.get(0).isTextual()) {
          names.add(l.get(0).asText());
        }
      }
    }
    if (names.size() != losses) {
      throw new JobInputException("--keras-model " + path + ": compile_config.loss is a list of " + losses + " losses, but "
          + "the model's output names could not be matched to it (config.output_layers: " + layers + "); supported: a "
          + "list of losses for a functional model with a list of outputs, or a dict of losses by output name");
    }
    return names;
  }

  private static JsonNode entry(ZipFile zip, String path, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new JobInputException("--keras-model " + path + " has no " + name + "; expected a .keras file written by "
          + "Keras 3's model.save (it holds config.json, metadata.json and model.weights.h5)");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException ex) {
      throw new JobInputException("--keras-model " + path + ": " + name + " is not valid JSON: " + ex.getOriginalMessage());
    }
  }
}
