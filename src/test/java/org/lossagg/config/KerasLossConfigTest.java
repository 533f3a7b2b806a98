package org.lossagg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.MeanSquaredError;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** The input forms {@link KerasLossConfig} reads, Keras 3 and tf.keras 2.x configs, and what it writes. */
class KerasLossConfigTest {

  @ParameterizedTest
  @ValueSource(strings = {"binary_crossentropy", "BinaryCrossentropy", "bce", "BCE", " binary_crossentropy\n",
      "\"binary_crossentropy\"", "\"BinaryCrossentropy\""})
  void identifierGivesTheLossWithDefaults(String identifier) {
    Loss loss = KerasLossConfig.fromJson(identifier);
    assertSame(BinaryCrossentropy.SPEC, loss.spec());
    assertEquals(KerasLossConfig.getConfig(BinaryCrossentropy.SPEC.create()), KerasLossConfig.getConfig(loss));
  }

  @Test
  void unknownIdentifierListsKnownLosses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("binary_crossentropyy"));
    assertContains(e, "unknown loss 'binary_crossentropyy'", "BinaryCrossentropy", "MeanSquaredError");
  }

  @Test
  void keras3SerializeOutputIsRead() {
    // json.dumps(keras.losses.serialize(keras.losses.BinaryCrossentropy(from_logits=True,
    //     label_smoothing=0.1, axis=1, reduction="sum", name="bce_logits"))), Keras 3.16.0.dev HEAD.
    String json = "{\"module\": \"keras.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\":"
        + " \"bce_logits\", \"reduction\": \"sum\", \"from_logits\": true, \"label_smoothing\": 0.1, \"axis\": 1},"
        + " \"registered_name\": null}";
    Loss loss = KerasLossConfig.fromJson(json);
    assertSame(BinaryCrossentropy.SPEC, loss.spec());
    assertEquals("bce_logits", loss.name());
    assertEquals(Reduction.SUM, loss.reduction());
    assertEquals(true, loss.options().bool("from_logits"));
    assertEquals(0.1, loss.options().number("label_smoothing"));
    assertEquals(1, loss.options().integer("axis"));
    assertEquals(DType.FLOAT32, loss.dtype());
    assertEquals(json, KerasLossConfig.serialize(loss));
  }

  @Test
  void keras3ConfigWithNullReductionAndBuildConfigsIsRead() {
    String json = "{\"module\": \"keras.losses\", \"class_name\": \"MeanSquaredError\", \"config\": {\"name\":"
        + " \"mse_none\", \"reduction\": null}, \"registered_name\": null, \"build_config\": null,"
        + " \"compile_config\": null}";
    Loss loss = KerasLossConfig.fromJson(json);
    assertSame(MeanSquaredError.SPEC, loss.spec());
    assertEquals(Reduction.NONE, loss.reduction());
    assertEquals("{\"name\": \"mse_none\", \"reduction\": null}", KerasLossConfig.toJson(loss));
  }

  @Test
  void classNameConfigFormAsKerasLossesGetTakesIt() {
    // The keras.losses.get docstring example.
    Loss loss = KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}");
    assertEquals(true, loss.options().bool("from_logits"));
    assertEquals("binary_crossentropy", loss.name());
    Loss noConfig = KerasLossConfig.fromJson("{\"class_name\": \"mse\"}");
    assertSame(MeanSquaredError.SPEC, noConfig.spec());
    Loss nullConfig = KerasLossConfig.fromJson("{\"class_name\": \"MeanSquaredError\", \"config\": null}");
    assertEquals(Reduction.SUM_OVER_BATCH_SIZE, nullConfig.reduction());
  }

  @Test
  void serializedFunctionGivesTheDefaultLoss() {
    // json.dumps(keras.losses.serialize(keras.losses.binary_crossentropy)), Keras 3.
    Loss loss = KerasLossConfig.fromJson(
        "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"binary_crossentropy\", \"registered_name\": \"function\"}");
    assertSame(BinaryCrossentropy.SPEC, loss.spec());
    // tf.keras 2.x's public-function form.
    Loss mse = KerasLossConfig.fromJson("{\"module\": \"keras.losses\", \"class_name\": \"function\", \"config\":"
        + " \"mean_squared_error\", \"registered_name\": \"mean_squared_error\"}");
    assertSame(MeanSquaredError.SPEC, mse.spec());
  }

  @Test
  void bareConfigNeedsAClass() {
    String bare = "{\"from_logits\": true, \"label_smoothing\": 0.2}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(bare));
    assertContains(e, "needs 'class_name'", "from_logits", "fromConfig(className, config)");
    Loss loss = KerasLossConfig.fromJson("BinaryCrossentropy", bare);
    assertEquals(true, loss.options().bool("from_logits"));
    assertEquals(0.2, loss.options().number("label_smoothing"));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("label_smoothing", 0.3);
    config.put("reduction", "sum");
    Loss fromMap = KerasLossConfig.fromConfig("bce", config);
    assertEquals(0.3, fromMap.options().number("label_smoothing"));
    assertEquals(Reduction.SUM, fromMap.reduction());
  }

  @Test
  void explicitClassWithAWrappedConfigMustAgree() {
    String wrapped = "{\"class_name\": \"MeanSquaredError\", \"config\": {}}";
    assertSame(MeanSquaredError.SPEC, KerasLossConfig.fromJson("mse", wrapped).spec());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("BinaryCrossentropy", wrapped));
    assertContains(e, "BinaryCrossentropy", "MeanSquaredError");
  }

  @Test
  void keras2LegacyConfigWithAutoReduction() {
    // tf.keras 2.10 serialize(): Loss.get_config puts reduction before name; "auto" is its default.
    String json = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\": \"auto\", \"name\":"
        + " \"binary_crossentropy\", \"from_logits\": false, \"label_smoothing\": 0.0, \"axis\": -1}}";
    Loss loss = KerasLossConfig.fromJson(json);
    assertEquals(Reduction.AUTO, loss.reduction());
    assertEquals("{\"name\": \"binary_crossentropy\", \"reduction\": \"auto\", \"from_logits\": false,"
        + " \"label_smoothing\": 0.0, \"axis\": -1}", KerasLossConfig.toJson(loss));
    // "auto" reduces like sum_over_batch_size.
    NdArray y = NdArray.of(new double[] {0, 1, 1, 0}, 2, 2);
    NdArray p = NdArray.of(new double[] {0.2, 0.7, 0.9, 0.4}, 2, 2);
    Loss sobs = BinaryCrossentropy.builder().build();
    assertEquals(sobs.call(y, p).get(0), loss.call(y, p).get(0));
  }

  @Test
  void keras2V3FormatConfigWithFnKey() {
    // tf.keras 2.13-2.15 (saving v3 on): LossFunctionWrapper.get_config adds "fn".
    String json = "{\"module\": \"keras.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\":"
        + " \"auto\", \"name\": \"binary_crossentropy\", \"from_logits\": true, \"label_smoothing\": 0.0, \"axis\": -1,"
        + " \"fn\": \"binary_crossentropy\"}, \"registered_name\": null}";
    Loss loss = KerasLossConfig.fromJson(json);
    assertEquals(true, loss.options().bool("from_logits"));
    assertEquals(Reduction.AUTO, loss.reduction());
    String mse = "{\"class_name\": \"MeanSquaredError\", \"config\": {\"reduction\": \"none\", \"name\":"
        + " \"mean_squared_error\", \"fn\": \"mean_squared_error\"}}";
    assertEquals(Reduction.NONE, KerasLossConfig.fromJson(mse).reduction());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"fn\": \"mean_squared_error\"}}"));
    assertContains(e, "BinaryCrossentropy", "'fn'", "'mean_squared_error'", "'binary_crossentropy'");
  }

  @Test
  void keras2NumericsAreAppliedExplicitly() {
    LossOptions o = KerasLossConfig.optionsFromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\": \"auto\"}}");
    Loss k2 = o.toBuilder().keras2(true).build().create();
    NdArray y = NdArray.of(new double[] {0, 0, 1, 1}, 4);
    NdArray p = NdArray.of(new double[] {1, 1, 1, 0}, 4);
    // Seed 001: 11.522857 under tf.keras 2.x rules (eps inside the logs), 12.000716 in Keras 3.
    assertEquals(11.522857, k2.call(y, p).get(0), 1e-5);
    assertEquals(12.000716, o.create().call(y, p).get(0), 1e-5);
  }

  @Test
  void dtypeStringsAndPolicies() {
    assertEquals(DType.FLOAT64, dtypeOf("\"float64\""));
    assertEquals(DType.FLOAT32, dtypeOf("\"float32\""));
    assertEquals(DType.FLOAT32, dtypeOf("null"));
    // json.dumps(keras.saving.serialize_keras_object(keras.DTypePolicy("float64"))), Keras 3.
    assertEquals(DType.FLOAT64, dtypeOf(
        "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float64\"}, \"registered_name\": null}"));
    assertEquals(DType.FLOAT32, dtypeOf(
        "{\"module\": \"keras\", \"class_name\": \"FloatDTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"float16\"", "\"bfloat16\"", "\"mixed_float16\"", "\"mixed_bfloat16\"",
      "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"mixed_float16\"}, \"registered_name\": null}"})
  void halfPrecisionDtypesAreRejected(String dtype) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dtypeOf(dtype));
    assertContains(e, "BinaryCrossentropy", "option 'dtype'", "16", "'float32'", "'float64'");
  }

  @Test
  void otherDtypesAreRejected() {
    assertContains(assertThrows(IllegalArgumentException.class, () -> dtypeOf("\"int32\"")),
        "option 'dtype' got 'int32'", "'float32'");
    assertContains(assertThrows(IllegalArgumentException.class, () -> dtypeOf(
        "{\"module\": \"keras.dtype_policies\", \"class_name\": \"QuantizedDTypePolicy\", \"config\": {\"mode\": \"int8\","
            + " \"source_name\": \"float32\"}, \"registered_name\": null}")),
        "option 'dtype'", "QuantizedDTypePolicy", "not supported");
    assertContains(assertThrows(IllegalArgumentException.class, () -> dtypeOf("64")), "option 'dtype' got 64");
  }

  @Test
  void customRegisteredObjectIsRejected() {
    String json = "{\"module\": \"my_package.losses\", \"class_name\": \"MyLoss\", \"config\": {\"name\": \"my_loss\","
        + " \"reduction\": \"sum_over_batch_size\"}, \"registered_name\": \"MyPackage>MyLoss\"}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(json));
    assertContains(e, "'MyPackage>MyLoss'", "custom object", "register_keras_serializable", "BinaryCrossentropy");
    // A custom subclass named like a built-in is still custom.
    String sub = "{\"module\": \"__main__\", \"class_name\": \"BinaryCrossentropy\", \"config\": {},"
        + " \"registered_name\": \"Custom>BinaryCrossentropy\"}";
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(sub)),
        "'Custom>BinaryCrossentropy'", "custom object");
  }

  @Test
  void nonKerasModuleIsRejectedKerasModulesAreNot() {
    String custom = "{\"module\": \"my_project.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": {},"
        + " \"registered_name\": null}";
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(custom)),
        "module 'my_project.losses'", "not a Keras module", "custom");
    for (String module : List.of("keras", "keras.losses", "keras.src.losses.losses", "tf.keras.losses",
        "tensorflow.python.keras.losses", "tf_keras.src.losses")) {
      String json = "{\"module\": \"" + module + "\", \"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"registered_name\": null}";
      assertSame(BinaryCrossentropy.SPEC, KerasLossConfig.fromJson(json).spec(), module);
    }
  }

  @Test
  void registeredNameMustNameTheSameBuiltIn() {
    assertSame(BinaryCrossentropy.SPEC, KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"registered_name\": \"BinaryCrossentropy\"}").spec());
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"registered_name\": \"MeanSquaredError\"}")),
        "'registered_name' got 'MeanSquaredError'", "does not name BinaryCrossentropy");
  }

  @Test
  void unknownClassNameListsKnownLosses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasLossConfig.fromJson("{\"class_name\": \"FancyLoss\", \"config\": {}}"));
    assertContains(e, "unknown loss 'FancyLoss'", "known losses", "BinaryCrossentropy", "MeanSquaredError");
  }

  @Test
  void malformedWrappersAreRejected() {
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"configs\": {}}")),
        "unknown key 'configs'", "did you mean 'config'", "class_name, config");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"build_config\": {\"input_shape\": [2]}}")),
        "BinaryCrossentropy", "'build_config'", "expected null");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": [1]}")),
        "BinaryCrossentropy", "'config' got [1]");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": 3}")), "'class_name' got 3");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson("[\"bce\"]")),
        "JSON array");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"axis\": -1, \"axis\": 0}}")),
        "not valid JSON", "axis");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson("{\"class_name\": ")),
        "not valid JSON");
    assertContains(assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(" ")), "empty");
  }

  @Test
  void numpyArrayOptionValuesAreUnwrapped() {
    // Keras serializes a numpy option value as {"class_name": "__numpy__", "config": {"value": ..., "dtype": ...}}.
    Loss loss = KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\":"
        + " {\"class_name\": \"__numpy__\", \"config\": {\"value\": 0.25, \"dtype\": \"float64\"}}}}");
    assertEquals(0.25, loss.options().number("label_smoothing"));
  }

  @Test
  void nonFiniteFloatsAreReadAsPythonWritesThem() {
    Map<String, Object> c = KerasLossConfig.getConfig(KerasLossConfig.fromJson("{\"class_name\":"
        + " \"BinaryCrossentropy\", \"config\": {\"name\": \"x\", \"label_smoothing\": 1.0}}"));
    assertEquals(1.0, c.get("label_smoothing"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": NaN}}"));
    assertContains(e, "'label_smoothing' got NaN", "a number in [0, 1]");
  }

  @Test
  void writtenConfigsHaveKerasShape() {
    Loss loss = BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(1e-5).axis(-2).name("b").build();
    assertEquals("{\"name\": \"b\", \"reduction\": \"sum_over_batch_size\", \"from_logits\": true,"
        + " \"label_smoothing\": 1e-05, \"axis\": -2}", KerasLossConfig.toJson(loss));
    assertEquals("{\"module\": \"keras.losses\", \"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"b\","
        + " \"reduction\": \"sum_over_batch_size\", \"from_logits\": true, \"label_smoothing\": 1e-05, \"axis\": -2},"
        + " \"registered_name\": null}", KerasLossConfig.serialize(loss));
    assertEquals(List.of("module", "class_name", "config", "registered_name"),
        List.copyOf(KerasLossConfig.serializeToMap(loss).keySet()));
  }

  @Test
  void dtypeIsNotPartOfTheConfigAsInKeras() {
    Loss f64 = BinaryCrossentropy.builder().dtype(DType.FLOAT64).build();
    Loss back = KerasLossConfig.fromJson(KerasLossConfig.serialize(f64));
    assertEquals(DType.FLOAT32, back.dtype());
    assertEquals(KerasLossConfig.getConfig(f64), KerasLossConfig.getConfig(back));
  }

  @Test
  void everyOptionKindIsWrittenAsKerasWritesIt() {
    LossOptions o = KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of(
        "axes", List.of(1, 2, 3), "alpha", List.of(0.25, 0.5), "ignore_class", -1, "scale", 3));
    assertEquals("{\"name\": \"all_kinds\", \"reduction\": \"sum_over_batch_size\", \"flag\": false, \"scale\": 3.0,"
        + " \"axis\": -1, \"ignore_class\": -1, \"axes\": [1, 2, 3], \"alpha\": [0.25, 0.5]}",
        KerasLossConfig.toJson(o.create()));
    LossOptions single = KerasLossConfig.apply(TestLosses.ALL_KINDS, Map.of("axes", 2, "alpha", 0.75));
    assertEquals("{\"name\": \"all_kinds\", \"reduction\": \"sum_over_batch_size\", \"flag\": false, \"scale\": 1.0,"
        + " \"axis\": -1, \"ignore_class\": null, \"axes\": 2, \"alpha\": 0.75}", KerasLossConfig.toJson(single.create()));
    Map<String, Object> c = KerasLossConfig.getConfig(o.create());
    assertEquals(List.of(1, 2, 3), c.get("axes"));
    assertEquals(List.of(0.25, 0.5), c.get("alpha"));
  }

  private static DType dtypeOf(String dtypeJson) {
    return KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": " + dtypeJson + "}}").dtype();
  }

  static void assertContains(Throwable e, String... parts) {
    String m = e.getMessage();
    for (String p : parts) {
      assertTrue(m.contains(p), () -> "message lacks \"" + p + "\": " + m);
    }
  }
}
