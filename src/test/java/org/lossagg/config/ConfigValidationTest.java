package org.lossagg.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lossagg.config.KerasLossConfigTest.assertContains;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.losses.OptionType;

/**
 * Config validation (spec §3 and the config issue): every rejection names the loss, the parameter,
 * the offending value and what is allowed. Range rules are tested through the catalogue, so the
 * ranges each loss declares in its SPEC are checked as soon as the loss is in the catalogue; the
 * focal (gamma >= 0) and GCE (0 < q < 1) rules are also checked on test-only specs.
 */
class ConfigValidationTest {

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.5, -1e-09, 1.000001})
  void labelSmoothingOutsideZeroOne(double ls) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"label_smoothing\": " + ls + "}"));
    assertContains(e, "BinaryCrossentropy", "'label_smoothing'", String.valueOf(ls), "a number in [0, 1]");
  }

  @Test
  void labelSmoothingBoundsAreAllowed() {
    assertDoesNotThrow(() -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"label_smoothing\": 0}"));
    assertDoesNotThrow(() -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"label_smoothing\": 1.0}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"avg\"", "\"SUM_OVER_BATCH\"", "3", "true", "[\"sum\"]"})
  void unknownReduction(String reduction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\": " + reduction + "}}"));
    String shown = reduction.startsWith("\"") ? "'" + reduction.substring(1, reduction.length() - 1) + "'"
        : reduction.replace("\"", "");
    assertContains(e, "BinaryCrossentropy", "'reduction'", "got " + shown, "'sum_over_batch_size'", "'sum'", "'mean'",
        "'mean_with_sample_weight'", "'none' or null", "'auto'");
  }

  @Test
  void unknownKeyNamesKeyLossAndAllowedKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logit\": true}}"));
    assertContains(e, "BinaryCrossentropy", "unknown config key 'from_logit'", "did you mean 'from_logits'",
        "allowed keys: name, reduction, dtype, from_logits, label_smoothing, axis");
    IllegalArgumentException mse = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("MeanSquaredError", "{\"axis\": -1}"));
    assertContains(mse, "MeanSquaredError", "unknown config key 'axis'", "allowed keys: name, reduction, dtype");
  }

  @Test
  void lossaggOnlySwitchIsNotAConfigKey() {
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"keras2\": true}")),
        "unknown config key 'keras2'", "allowed keys");
  }

  @Test
  void wrongTypes() {
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"from_logits\": \"true\"}")),
        "BinaryCrossentropy", "'from_logits'", "got 'true'", "true or false");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"from_logits\": 1}")),
        "'from_logits'", "got 1", "true or false");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"label_smoothing\": \"0.1\"}")),
        "'label_smoothing'", "got '0.1'", "a number in [0, 1]");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"axis\": 1.5}")),
        "'axis'", "got 1.5", "integer");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"axis\": true}")),
        "'axis'", "got true", "integer");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", "{\"name\": 7}")),
        "'name'", "got 7", "string");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1.0, -1e-06})
  void negativeGammaOnAFocalRule(double gamma) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.apply(TestLosses.FOCAL_LIKE, Map.of("gamma", gamma)));
    assertContains(e, "FocalLike", "'gamma'", String.valueOf(gamma), "a number >= 0");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.5, 1.5})
  void qOutsideOpenUnitIntervalOnAGceRule(double q) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.apply(TestLosses.GCE_LIKE, Map.of("q", q)));
    assertContains(e, "GceLike", "'q'", String.valueOf(q), "a number in (0, 1)");
  }

  static Stream<LossSpec> focalSpecs() {
    return LossCatalog.all().stream().filter(s -> s.className().contains("Focal") && s.hasOption("gamma"));
  }

  static Stream<LossSpec> specsWithQ() {
    return LossCatalog.all().stream().filter(s -> s.hasOption("q"));
  }

  /** Issue rule: the focal losses reject a negative gamma. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("focalSpecs")
  void catalogueFocalLossesRejectNegativeGamma(LossSpec spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson(spec.className(), "{\"gamma\": -0.5}"));
    assertContains(e, spec.className(), "'gamma'", "-0.5");
  }

  /** Spec §3: CategoricalGeneralizedCrossEntropy raises unless 0 < q < 1. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specsWithQ")
  void catalogueGceRejectsQOutsideOpenUnitInterval(LossSpec spec) {
    for (double q : new double[] {0.0, 1.0, -0.1, 2.0}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KerasLossConfig.fromJson(spec.className(), "{\"q\": " + q + "}"));
      assertContains(e, spec.className(), "'q'", String.valueOf(q));
    }
  }

  /** Every finite bound a catalogue option declares rejects a value just outside it and accepts an inclusive bound. */
  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("rangedOptions")
  void everyFiniteBoundRejectsJustOutside(LossSpec spec, String option) {
    OptionSpec o = spec.option(option);
    List<Double> outside = new ArrayList<>();
    if (o.min() != Double.NEGATIVE_INFINITY) {
      outside.add(o.minInclusive() ? o.min() - 1e-3 : o.min());
      if (o.minInclusive()) {
        assertDoesNotThrow(() -> KerasLossConfig.apply(spec, Map.of(option, boundValue(o, o.min()))));
      }
    }
    if (o.max() != Double.POSITIVE_INFINITY) {
      outside.add(o.maxInclusive() ? o.max() + 1e-3 : o.max());
      if (o.maxInclusive()) {
        assertDoesNotThrow(() -> KerasLossConfig.apply(spec, Map.of(option, boundValue(o, o.max()))));
      }
    }
    for (double v : outside) {
      Map<String, Object> config = new HashMap<>();
      config.put(option, boundValue(o, v));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KerasLossConfig.fromJson(spec.className(), PythonJson.dumps(config)));
      assertContains(e, spec.className(), "'" + option + "'", String.valueOf(v), o.allowed());
    }
  }

  /** Every option of every catalogue loss rejects a value of the wrong type, saying what it allows. */
  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("allOptions")
  void everyOptionRejectsAWrongType(LossSpec spec, String option) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson(spec.className(), "{\"" + option + "\": \"oops\"}"));
    assertContains(e, spec.className(), "'" + option + "'", "'oops'", spec.option(option).allowed());
  }

  @Test
  void testOnlySpecsCoverEveryOptionKindsWrongType() {
    for (OptionSpec o : TestLosses.ALL_KINDS.options()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of(o.name(), "oops")));
      assertContains(e, "AllKinds", "'" + o.name() + "'", "'oops'", o.allowed());
    }
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of("alpha", List.of(0.5, 1.5)))),
        "'alpha'", "1.5", "in [0, 1]");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of("axes", List.of(1, 2.5)))),
        "'axes'", "2.5", "list of integer axes");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of("scale", 0))),
        "'scale'", "got 0", "a number > 0");
  }

  static Stream<LossSpec> catalogSpecs() {
    return LossCatalog.all().stream();
  }

  static Stream<Arguments> allOptions() {
    List<Arguments> a = new ArrayList<>();
    for (LossSpec s : LossCatalog.all()) {
      for (OptionSpec o : s.options()) {
        a.add(Arguments.of(s, o.name()));
      }
    }
    return a.stream();
  }

  static Stream<Arguments> rangedOptions() {
    List<Arguments> a = new ArrayList<>();
    for (LossSpec s : LossCatalog.all()) {
      for (OptionSpec o : s.options()) {
        boolean floaty = o.type() == OptionType.FLOAT || o.type() == OptionType.FLOAT_OR_LIST;
        if (floaty && (o.min() != Double.NEGATIVE_INFINITY || o.max() != Double.POSITIVE_INFINITY)) {
          a.add(Arguments.of(s, o.name()));
        }
      }
    }
    return a.stream();
  }

  private static Object boundValue(OptionSpec o, double v) {
    return o.type() == OptionType.FLOAT_OR_LIST ? List.of(v) : v;
  }
}
