package org.lossagg.losses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * One case of the shared reference vectors ({@code reference-vectors.json}), decoded. {@code kerasVersion}
 * is the case's {@code keras_version} tag (where Keras releases disagree), or null.
 */
public record ReferenceCase(String id, String loss, boolean functional, JsonNode config, NdArray yTrue,
    String yTrueDtype, NdArray yPred, String yPredDtype, NdArray sampleWeight, NdArray mask, JsonNode kwargs,
    NdArray expected, double tolerance, double rtol, boolean keras2, String kerasVersion) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static List<ReferenceCase> load() {
    try (InputStream in = ReferenceCase.class.getResourceAsStream("/reference-vectors.json")) {
      List<ReferenceCase> cases = new ArrayList<>();
      for (JsonNode c : JSON.readTree(in)) {
        cases.add(new ReferenceCase(c.get("id").asText(), c.get("loss").asText(),
            c.get("call").asText().equals("function"), c.get("config"),
            array(c.get("y_true")), c.get("y_true_dtype").asText(),
            array(c.get("y_pred")), c.get("y_pred_dtype").asText(),
            array(c.get("sample_weight")), array(c.get("mask")), c.get("kwargs"),
            array(c.get("expected")), c.get("tolerance").asDouble(), c.get("rtol").asDouble(),
            c.get("semantics").asText().equals("keras2"),
            c.hasNonNull("keras_version") ? c.get("keras_version").asText() : null));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The dtype Keras computes in where it follows y_pred's dtype (functional form, tf.keras 2.x). */
  public DType predDtype() {
    return yPredDtype.startsWith("float64") ? DType.FLOAT64 : DType.FLOAT32;
  }

  /** A nested JSON list (numbers or booleans) as an NdArray; null stays null. */
  public static NdArray array(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    List<Integer> shape = new ArrayList<>();
    JsonNode n = node;
    while (n.isArray()) {
      shape.add(n.size());
      if (n.size() == 0) {
        break;
      }
      n = n.get(0);
    }
    List<Double> flat = new ArrayList<>();
    flatten(node, flat);
    double[] d = new double[flat.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = flat.get(i);
    }
    return NdArray.of(d, shape.stream().mapToInt(Integer::intValue).toArray());
  }

  private static void flatten(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      for (JsonNode c : n) {
        flatten(c, out);
      }
    } else if (n.isBoolean()) {
      out.add(n.asBoolean() ? 1.0 : 0.0);
    } else {
      out.add(n.asDouble());
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
