package org.lossagg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.KerasVersion;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.reduce.Reduction;

/**
 * Every loss of the catalogue, with every option at a non-default value, survives Keras' JSON forms:
 * serialize, get_config with an explicit class, and the parsed-map forms. Driven by
 * {@link LossCatalog#all()}, so losses added later are covered without touching this test.
 */
class CatalogRoundTripTest {

  static Stream<Arguments> specsAndReductions() {
    List<Arguments> args = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      for (Reduction r : Reduction.values()) {
        args.add(Arguments.of(spec, r));
      }
    }
    return args.stream();
  }

  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("specsAndReductions")
  void serializeThenFromJsonKeepsTheConfig(LossSpec spec, Reduction reduction) {
    Loss loss = CatalogValues.nonDefaultOptions(spec, reduction).create();
    String json = KerasLossConfig.serialize(loss);
    Loss back = KerasLossConfig.fromJson(json);
    assertSame(spec, back.spec());
    assertEquals(KerasLossConfig.getConfig(loss), KerasLossConfig.getConfig(back), json);
    assertEquals(reduction, back.reduction());
    assertEquals(json, KerasLossConfig.serialize(back));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void nonDefaultOptionsReallyDifferFromDefaults(LossSpec spec) {
    // The development line writes every option (3.15.x, the default, leaves three out: KerasGoldenTest).
    Map<String, Object> defaults = KerasLossConfig.getConfig(spec.newOptions().kerasVersion(KerasVersion.DEVELOPMENT).build().create());
    Map<String, Object> custom = KerasLossConfig.getConfig(CatalogValues.nonDefaultOptions(spec, Reduction.SUM).toBuilder()
        .kerasVersion(KerasVersion.DEVELOPMENT).build().create());
    for (OptionSpec o : spec.options()) {
      assertNotEquals(defaults.get(o.name()), custom.get(o.name()), spec + "." + o.name());
    }
    assertNotEquals(defaults.get("name"), custom.get("name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void getConfigJsonWithExplicitClassRoundTrips(LossSpec spec) {
    Loss loss = CatalogValues.nonDefaultOptions(spec, Reduction.MEAN).create();
    String config = KerasLossConfig.toJson(loss);
    for (String id : identifiers(spec)) {
      Loss back = KerasLossConfig.fromJson(id, config);
      assertSame(spec, back.spec(), id);
      assertEquals(config, KerasLossConfig.toJson(back), id);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void parsedMapFormsRoundTrip(LossSpec spec) {
    Loss loss = CatalogValues.nonDefaultOptions(spec, Reduction.NONE).create();
    Loss viaSerialized = KerasLossConfig.fromConfig(KerasLossConfig.serializeToMap(loss));
    Loss viaBare = KerasLossConfig.fromConfig(spec.className(), KerasLossConfig.getConfig(loss));
    assertEquals(KerasLossConfig.getConfig(loss), KerasLossConfig.getConfig(viaSerialized));
    assertEquals(KerasLossConfig.getConfig(loss), KerasLossConfig.getConfig(viaBare));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void configKeysAreNameReductionThenKerasOrder(LossSpec spec) {
    List<String> expected = new ArrayList<>(List.of("name", "reduction"));
    expected.addAll(spec.configOrder());
    assertEquals(expected, List.copyOf(KerasLossConfig.getConfig(
        spec.newOptions().kerasVersion(KerasVersion.DEVELOPMENT).build().create()).keySet()));
    expected.removeIf(key -> !spec.writesInConfig(key, KerasVersion.DEFAULT));
    assertEquals(expected, List.copyOf(KerasLossConfig.getConfig(spec.create()).keySet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void everyIdentifierGivesTheDefaultLoss(LossSpec spec) {
    String defaults = KerasLossConfig.serialize(spec.create());
    for (String id : identifiers(spec)) {
      assertEquals(defaults, KerasLossConfig.serialize(KerasLossConfig.fromJson(id)), id);
      assertEquals(defaults, KerasLossConfig.serialize(KerasLossConfig.fromJson("\"" + id + "\"")), id);
      assertEquals(defaults, KerasLossConfig.serialize(KerasLossConfig.fromJson(
          "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"" + id + "\", \"registered_name\": \"function\"}")), id);
    }
  }

  private static List<String> identifiers(LossSpec spec) {
    List<String> ids = new ArrayList<>(List.of(spec.className(), spec.functionName(), spec.defaultName()));
    ids.addAll(spec.aliases());
    return ids;
  }
}
