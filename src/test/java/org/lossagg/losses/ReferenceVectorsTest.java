package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * Every case of the shared reference vectors (checked against real Keras on four backends) through
 * the class or functional form, keras2 cases in keras2 mode, cases tagged with a {@code keras_version}
 * (Tversky's 3.15.x / development-line twins) in that version, the rest in the default. Pass rule of the spec:
 * |got - expected| <= tolerance + rtol·|expected|, shapes equal.
 */
class ReferenceVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<ReferenceCase> cases() {
    return ReferenceCase.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesKeras(ReferenceCase c) {
    NdArray got = evaluate(c);
    assertArrayEquals(c.expected().shape(), got.shape(),
        () -> c.id() + ": shape " + Arrays.toString(got.shape()) + " expected " + Arrays.toString(c.expected().shape()));
    for (int i = 0; i < got.size(); i++) {
      double e = c.expected().get(i);
      double g = got.get(i);
      double limit = c.tolerance() + c.rtol() * Math.abs(e);
      int idx = i;
      assertTrue(Math.abs(g - e) <= limit,
          () -> c.id() + "[" + idx + "]: got " + g + " expected " + e + " (limit " + limit + ")");
    }
  }

  static NdArray evaluate(ReferenceCase c) {
    Loss loss = build(c);
    if (c.functional()) {
      DType dt = c.predDtype();
      if (c.kwargs().size() > 0) {
        return ReferenceKwargs.function(loss, c, dt);
      }
      return loss.function(c.yTrue(), c.yPred(), dt).values();
    }
    return loss.call(c.yTrue(), c.yPred(), c.sampleWeight(), c.mask());
  }

  static Loss build(ReferenceCase c) {
    LossSpec spec = c.loss().equals("ExampleLoss") ? ExampleLoss.SPEC : LossCatalog.get(c.loss());
    LossOptions.Builder b = spec.newOptions();
    for (Iterator<Map.Entry<String, JsonNode>> it = c.config().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.set(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
    }
    if (c.kerasVersion() != null) {
      b.kerasVersion(c.kerasVersion());
    }
    if (c.keras2()) {
      // tf.keras 2.x computes in y_pred's dtype: a float64 array stays float64.
      b.keras2(true).dtype(c.predDtype());
    }
    return b.build().create();
  }
}
