package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.numerics.NdArray;

/** keras_version: which versions mean which numerics, the losses each has, and the errors. */
class KerasVersionTest {
  private static final NdArray TVERSKY_TRUE = NdArray.matrix(new double[][] {{1, 2}, {1, 2}});
  private static final NdArray TVERSKY_PRED = NdArray.matrix(new double[][] {{4, 1}, {6, 1}});

  @ParameterizedTest
  @CsvSource({
      "2, 2, TF_KERAS_2", "2.9, 2.9, TF_KERAS_2", "2.15.1, 2.15, TF_KERAS_2", "2.20, 2.20, TF_KERAS_2",
      "2.x, 2, TF_KERAS_2", "3, 3.15, KERAS_3_RELEASED", "3.0, 3.0, KERAS_3_RELEASED", "3.15, 3.15, KERAS_3_RELEASED",
      "3.15.1, 3.15, KERAS_3_RELEASED", "v3.12.0, 3.12, KERAS_3_RELEASED",
      "3.16, 3.16, KERAS_3_DEVELOPMENT", "3.16.0.dev2026082103, 3.16, KERAS_3_DEVELOPMENT"})
  void versionsMapToTheirLine(String text, String canonical, KerasVersion.Line line) {
    KerasVersion v = KerasVersion.parse(text);
    assertEquals(canonical, v.toString());
    assertEquals(line, v.line());
    assertEquals(v, KerasVersion.parse(v.toString()));
  }

  @Test
  void theDefaultIsTheNewestRelease() {
    assertEquals("3.15", KerasVersion.DEFAULT.toString());
    assertEquals(KerasVersion.DEFAULT, BinaryCrossentropy.builder().build().kerasVersion());
    assertEquals(KerasVersion.TF_KERAS_2, BinaryCrossentropy.builder().keras2(true).build().kerasVersion());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2", "4", "3.17", "2.21", "latest", "", "3..15"})
  void unknownVersionsAreRefusedListingTheKnownOnes(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasVersion.parse(text));
    assertTrue(e.getMessage().startsWith("keras_version '" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("'2' or '2.0' to '2.20' (tf.keras 2.x numerics), '3.0' to '3.15' (released Keras 3;"
        + " '3.15' is the default) and '3.16' (the development line, Keras' HEAD)"), e.getMessage());
  }

  @Test
  void lossesAVersionLacksAreRefusedNamingTheVersionsThatHaveThem() {
    IllegalArgumentException tversky = assertThrows(IllegalArgumentException.class,
        () -> Tversky.builder().kerasVersion("2.9").build());
    assertEquals("Tversky: keras_version '2.9' (tf.keras 2.x) has no Tversky (tf.keras 2.x has no Tversky); versions"
        + " that have it: Keras 3.3 and later (e.g. '3.15', the default, or '3.16')", tversky.getMessage());
    IllegalArgumentException circle = assertThrows(IllegalArgumentException.class,
        () -> Circle.builder().kerasVersion("3.6").build());
    assertTrue(circle.getMessage().contains("has no Circle (Circle was added in 3.7)"), circle.getMessage());
    IllegalArgumentException cfce = assertThrows(IllegalArgumentException.class,
        () -> CategoricalFocalCrossentropy.builder().kerasVersion("2.12").build());
    assertTrue(cfce.getMessage().contains("versions that have it: tf.keras 2.13 and later, Keras 3.0 and later"), cfce.getMessage());
    CategoricalFocalCrossentropy.builder().kerasVersion("2.13").build();
    Circle.builder().kerasVersion("3.7").build();
    CategoricalGeneralizedCrossEntropy.builder().kerasVersion("3.10").build();
    assertThrows(IllegalArgumentException.class, () -> CategoricalGeneralizedCrossEntropy.builder().kerasVersion("3.9").build());
  }

  /** Keras' own test case Tversky(alpha=0.2, beta=0.8): -0.2963 in 3.15.x (the default), -0.9444 at HEAD. */
  @Test
  void tverskyFollowsTheReleaseByDefaultAndHeadWith316() {
    double released = Tversky.builder().alpha(0.2).beta(0.8).build().call(TVERSKY_TRUE, TVERSKY_PRED).item();
    double head = Tversky.builder().alpha(0.2).beta(0.8).kerasVersion("3.16").build().call(TVERSKY_TRUE, TVERSKY_PRED).item();
    double swapped = Tversky.builder().alpha(0.8).beta(0.2).kerasVersion("3.16").build().call(TVERSKY_TRUE, TVERSKY_PRED).item();
    assertEquals(-0.29629636, released, 1e-7);
    assertEquals(-0.9444444, head, 1e-6);
    assertEquals(swapped, released); // 3.15.x is HEAD with alpha and beta exchanged, bit for bit
    assertEquals(released, Tversky.builder().alpha(0.2).beta(0.8).kerasVersion("3.3").build()
        .call(TVERSKY_TRUE, TVERSKY_PRED).item());
  }

  @Test
  void theConfigKeySelectsTheVersionAndTheExactFormKeepsIt() {
    Loss bce = KerasLossConfig.fromJson("{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"keras_version\": \"2.9\"}");
    assertEquals("2.9", bce.kerasVersion().toString());
    NdArray t = NdArray.vector(0, 0, 1, 1);
    NdArray p = NdArray.vector(1, 1, 1, 0);
    assertEquals(11.522857f, (float) bce.call(t, p).item()); // seed 001 under tf.keras 2.x
    assertEquals(12.000716f, (float) KerasLossConfig.fromJson("binary_crossentropy").call(t, p).item());

    Loss huber = Huber.builder().delta(0.75).build(); // 3.15.x writes no delta: the exact form keeps it
    assertEquals("{\"name\": \"huber_loss\", \"reduction\": \"sum_over_batch_size\"}", KerasLossConfig.toJson(huber));
    String exact = KerasLossConfig.serializeExactly(huber);
    assertEquals("{\"module\": \"keras.losses\", \"class_name\": \"Huber\", \"config\": {\"name\": \"huber_loss\", "
        + "\"reduction\": \"sum_over_batch_size\", \"delta\": 0.75, \"dtype\": \"float32\"}, \"registered_name\": null, "
        + "\"keras_version\": \"3.15\"}", exact);
    Loss back = KerasLossConfig.fromJson(exact);
    assertEquals(0.75, back.options().number("delta"));
    assertTrue(back.mergesWith(huber));
    assertEquals("{\"name\": \"huber_loss\", \"reduction\": \"sum_over_batch_size\", \"delta\": 0.75}",
        KerasLossConfig.toJson(Huber.builder().delta(0.75).kerasVersion("3.16").build()));
  }

  @Test
  void versionValuesInConfigsAreChecked() {
    IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"Huber\", \"config\": {\"keras_version\": \"2.9\"}}"));
    assertTrue(inside.getMessage().contains("does not go inside 'config'; put it beside class_name"), inside.getMessage());
    IllegalArgumentException number = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"Huber\", \"config\": {}, \"keras_version\": 3.1}"));
    assertTrue(number.getMessage().contains("a number cannot tell 3.1 from 3.10"), number.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"Huber\", \"config\": {}, \"keras_version\": \"4.0\"}"));
    assertTrue(unknown.getMessage().startsWith("Huber: keras_version '4.0' is a Keras lossagg does not know"), unknown.getMessage());
    IllegalArgumentException lacking = assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.fromJson(
        "{\"class_name\": \"Dice\", \"config\": {}, \"keras_version\": \"2\"}"));
    assertTrue(lacking.getMessage().startsWith("Dice: keras_version '2' (tf.keras 2.x) has no Dice"), lacking.getMessage());
  }

  @Test
  void withDefaultVersionLeavesAConfigsOwnVersionAlone() {
    String own = "{\"class_name\": \"BinaryCrossentropy\", \"keras_version\": \"3.16\"}";
    assertEquals(own, KerasLossConfig.withDefaultVersion(own, KerasVersion.TF_KERAS_2));
    assertEquals("{\"class_name\": \"bce\", \"keras_version\": \"2\"}",
        KerasLossConfig.withDefaultVersion("bce", KerasVersion.TF_KERAS_2));
    assertEquals("{\"class_name\": \"Huber\", \"config\": {\"delta\": 2.0}, \"keras_version\": \"3.16\"}",
        KerasLossConfig.withDefaultVersion("{\"class_name\": \"Huber\", \"config\": {\"delta\": 2.0}}", KerasVersion.DEVELOPMENT));
    assertThrows(IllegalArgumentException.class, () -> KerasLossConfig.withDefaultVersion("dice", KerasVersion.TF_KERAS_2));
  }

  /** A state knows its loss and Keras version: states of different versions never merge. */
  @Test
  void statesOfDifferentKerasVersionsNeverMerge() {
    NdArray t = NdArray.matrix(new double[][] {{0, 1}});
    NdArray p = NdArray.matrix(new double[][] {{0.2, 0.7}});
    LossAggregation k315 = BinaryCrossentropy.builder().build().newAggregation();
    LossAggregation k316 = BinaryCrossentropy.builder().kerasVersion("3.16").build().newAggregation();
    LossAggregation k2 = BinaryCrossentropy.builder().kerasVersion("2.9").build().newAggregation();
    for (LossAggregation a : new LossAggregation[] {k315, k316, k2}) {
      a.add(t, p, null, null);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k315.merge(k2));
    assertTrue(e.getMessage().contains("keras_version 3.15), got one of") && e.getMessage().endsWith("keras_version 2.9)"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> k315.merge(k316));
    LossAggregation same = BinaryCrossentropy.builder().kerasVersion("3.15.1").build().newAggregation();
    same.add(t, p, null, null);
    k315.merge(same);
    assertEquals(BinaryCrossentropy.builder().build().call(NdArray.matrix(new double[][] {{0, 1}, {0, 1}}),
        NdArray.matrix(new double[][] {{0.2, 0.7}, {0.2, 0.7}})).item(), k315.result());

    LossAggregation tv315 = Tversky.builder().alpha(0.2).beta(0.8).build().newAggregation();
    LossAggregation tv316 = Tversky.builder().alpha(0.2).beta(0.8).kerasVersion("3.16").build().newAggregation();
    IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class, () -> tv315.merge(tv316));
    assertTrue(overlap.getMessage().startsWith("Tversky: can only merge an aggregation of"), overlap.getMessage());
    assertFalse(Hinge.builder().build().mergesWith(Hinge.builder().kerasVersion("2").build()));
  }
}
