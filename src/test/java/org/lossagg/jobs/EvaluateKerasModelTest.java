package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.losses.Tversky;
import org.lossagg.numerics.NdArray;
import org.lossagg.spark.SparkTestSession;

/**
 * {@code lossagg-evaluate --keras-model FILE.keras} on models saved by real Keras 3.15.1
 * ({@code src/test/resources/keras-models/generate_models.py}): the loss each model was compiled with,
 * evaluated on the fixture table, equals the value Keras gives on it ({@code expected.json}).
 */
class EvaluateKerasModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    SparkTestSession.get(); // the job runs in the test JVM's one local session
  }

  @TempDir Path tmp;

  private static Path resource(String name) {
    try {
      return Path.of(EvaluateKerasModelTest.class.getResource("/keras-models/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode keras(String model) throws IOException {
    return JSON.readTree(resource("expected.json").toFile()).get(model);
  }

  private record Result(int code, String out, String err) {}

  private Result evaluate(String model, String... columns) {
    List<String> args = new ArrayList<>(List.of("--input", resource("table.jsonl").toString(), "--format", "json",
        "--output", tmp.resolve("out").toString(), "--keras-model", resource(model).toString()));
    args.addAll(List.of(columns));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EvaluateMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** loss name -> the value under the loss' own reduction, from summary.json. */
  private Map<String, Double> values() throws IOException {
    Map<String, Double> m = new HashMap<>();
    for (JsonNode rec : JSON.readTree(tmp.resolve("out").resolve("summary.json").toFile())) {
      m.put(rec.get("loss").asText(), rec.get("value").asDouble());
    }
    return m;
  }

  private static void assertKeras(double keras, double got, String what) {
    assertEquals(keras, got, 1e-6 * Math.abs(keras) + 1e-7, what);
  }

  @Test
  void singleOutputLossWithOptionsEqualsKeras() throws IOException {
    Result r = evaluate("bce_logits.keras", "--y-true", "y", "--y-pred", "logit");
    assertEquals(0, r.code(), r.err());
    assertEquals(Map.of("binary_crossentropy", values().get("binary_crossentropy")), values());
    assertKeras(keras("bce_logits").get("").asDouble(), values().get("binary_crossentropy"), "BCE(from_logits, ls=0.1)");
  }

  /** The model says Keras 3.15.1, so Tversky(alpha=0.2, beta=0.8) has 3.15.x's FP/FN roles. */
  @Test
  void tverskyUsesTheModelsKerasVersion() throws IOException {
    Result r = evaluate("tversky.keras", "--y-true", "y", "--y-pred", "p");
    assertEquals(0, r.code(), r.err());
    double got = values().get("tversky");
    assertKeras(keras("tversky").get("").asDouble(), got, "Tversky");
    NdArray y = NdArray.matrix(new double[][] {{0, 1}, {1, 1}, {0, 0}, {1, 0}, {0, 1}, {1, 1}});
    NdArray p = NdArray.matrix(new double[][] {{0.1, 0.8}, {0.7, 0.4}, {0.2, 0.3}, {0.95, 0.05}, {0.5, 0.6}, {0.99, 0.9}});
    double head = Tversky.builder().alpha(0.2).beta(0.8).axis(1).kerasVersion("3.16").build().call(y, p).item();
    assertNotEquals((float) head, (float) got, "the development line gives another number on this table");
  }

  @Test
  void aLossFunctionNameIsWrappedWithTheDefaultReduction() throws IOException {
    Result r = evaluate("huber_string.keras", "--y-true", "target", "--y-pred", "pred");
    assertEquals(0, r.code(), r.err());
    assertKeras(keras("huber_string").get("").asDouble(), values().get("huber_loss"), "huber");
  }

  @Test
  void dictOfLossesGivesOneLossPerOutputWithItsOwnColumns() throws IOException {
    Result r = evaluate("two_outputs_dict.keras", "--y-true", "label=y,kind=onehot", "--y-pred", "kind=probs,label=p");
    assertEquals(0, r.code(), r.err());
    Map<String, Double> v = values();
    assertEquals(2, v.size(), v.toString());
    assertKeras(keras("two_outputs_dict").get("label").asDouble(), v.get("label_binary_crossentropy"), "label");
    assertKeras(keras("two_outputs_dict").get("kind").asDouble(), v.get("kind_categorical_crossentropy"), "kind");
  }

  @Test
  void listOfLossesFollowsTheOutputOrder() throws IOException {
    Result r = evaluate("two_outputs_list.keras", "--y-true", "target,onehot", "--y-pred", "pred,probs");
    assertEquals(0, r.code(), r.err());
    Map<String, Double> v = values();
    assertKeras(keras("two_outputs_list").get("value").asDouble(), v.get("value_mean_absolute_error"), "value");
    assertKeras(keras("two_outputs_list").get("kind").asDouble(), v.get("kind_categorical_focal_crossentropy"), "kind");
  }

  @Test
  void badModelsAndColumnsAreOneLineErrors() {
    Result custom = evaluate("custom_loss.keras", "--y-true", "target", "--y-pred", "pred");
    assertEquals(2, custom.code());
    assertTrue(custom.err().contains("registered_name 'acme>ScaledMse'") && custom.err().contains("custom object"),
        custom.err());
    Result columns = evaluate("two_outputs_dict.keras", "--y-true", "y", "--y-pred", "p");
    assertEquals(2, columns.code());
    assertTrue(columns.err().contains("--y-true y names 1 column(s) for a model with 2 outputs; give --y-true with one "
        + "column per model output (label, kind), as label=COL,kind=COL or as columns in that order"), columns.err());
    Result notZip = evaluate("table.jsonl", "--y-true", "y", "--y-pred", "p");
    assertEquals(2, notZip.code());
    assertTrue(notZip.err().contains("is not a .keras file"), notZip.err());
  }

  @Test
  void kerasVersionOptionAndItsAlias() throws IOException {
    Path table = resource("table.jsonl");
    String[] base = {"--input", table.toString(), "--format", "json", "--output", tmp.resolve("out").toString(),
        "--y-true", "y", "--y-pred", "p", "--loss", "binary_crossentropy", "--overwrite"};
    Map<String, Double> byOption = new HashMap<>();
    for (String[] opt : List.of(new String[0], new String[] {"--keras-version", "2.9"}, new String[] {"--keras2"},
        new String[] {"--keras-version", "3.16"})) {
      List<String> args = new ArrayList<>(List.of(base));
      args.addAll(List.of(opt));
      StringWriter err = new StringWriter();
      assertEquals(0, EvaluateMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
          args.toArray(String[]::new)), err.toString());
      byOption.put(String.join(" ", opt), values().get("binary_crossentropy"));
    }
    assertEquals(byOption.get("--keras-version 2.9"), byOption.get("--keras2"));
    assertEquals(byOption.get(""), byOption.get("--keras-version 3.16")); // BCE agrees across Keras 3
    assertNotEquals(byOption.get(""), byOption.get("--keras2"), "tf.keras 2.x puts eps inside the logs");

    StringWriter err = new StringWriter();
    List<String> bad = new ArrayList<>(List.of(base));
    bad.addAll(List.of("--keras-version", "5"));
    assertEquals(2, EvaluateMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), bad.toArray(String[]::new)));
    assertTrue(err.toString().contains("--keras-version: keras_version '5' is a Keras lossagg does not know"), err.toString());
    StringWriter both = new StringWriter();
    bad = new ArrayList<>(List.of(base));
    bad.addAll(List.of("--keras-version", "3.15", "--keras2"));
    assertEquals(2, EvaluateMain.run(new PrintWriter(new StringWriter()), new PrintWriter(both, true), bad.toArray(String[]::new)));
    assertTrue(both.toString().contains("--keras2 (tf.keras 2.x) contradicts --keras-version 3.15"), both.toString());
  }
}
