package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.lossagg.config.LossStateIdentity;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.StatePreamble;

/** The preamble of the aggregation buffers: what a buffer of another loss, kind or version gives. */
class StatePreambleTest {
  private static final String BCE = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}";
  private static final String BCE_SMOOTHED = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.2}}";

  private static KerasLossAggregate kerasLoss(String config, boolean keras2) {
    return KerasLossAggregate.create(config, keras2, new BoundReference(0, DataTypes.DoubleType, true),
        new BoundReference(1, DataTypes.DoubleType, true), null);
  }

  private static byte[] bufferOf(KerasLossAggregate f) {
    KerasLossAggregate.State s = f.createAggregationBuffer();
    s = f.update(s, LegacyStateCases.row(new Object[] {1.0, 0.75}));
    return f.serialize(s);
  }

  @Test
  void aStateOfAnotherLossConfigIsRefusedNamingBoth() {
    byte[] smoothed = bufferOf(kerasLoss(BCE_SMOOTHED, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kerasLoss(BCE, false).deserialize(smoothed));
    String theirs = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false, \"label_smoothing\": 0.2,"
        + " \"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"3.15\"}";
    String ours = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false, \"label_smoothing\": 0.0,"
        + " \"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"3.15\"}";
    assertEquals("keras_loss computes " + ours + ", but the aggregation state it was given holds state for " + theirs
        + ". Restarting a streaming query: the checkpoint holds state for " + theirs + "; start a new checkpoint or use "
        + theirs, e.getMessage());
  }

  @Test
  void dtypeAndKerasVersionAreTheState() {
    byte[] f64 = bufferOf(kerasLoss("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}, \"keras_version\": \"3.15\"}", false));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(f64)).getMessage()
        .contains("holds state for {\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": false, "
            + "\"label_smoothing\": 0.0, \"axis\": -1, \"dtype\": \"float64\"}, \"keras_version\": \"3.15\"}"));
    byte[] k2 = bufferOf(kerasLoss(BCE, true));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(k2)).getMessage()
        .endsWith("start a new checkpoint or use {\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": "
            + "false, \"label_smoothing\": 0.0, \"axis\": -1, \"dtype\": \"float32\"}, \"keras_version\": \"2\"}"));
    byte[] dev = bufferOf(kerasLoss("{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"keras_version\": \"3.16\"}", false));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(dev)).getMessage()
        .endsWith("\"dtype\": \"float32\"}, \"keras_version\": \"3.16\"}"));
  }

  /** Name and reduction do not change the sums: a renamed loss or another reduction resumes the state. */
  @Test
  void nameReductionAndSpellingDoNotChangeTheState() {
    byte[] plain = bufferOf(kerasLoss("binary_crossentropy", false));
    KerasLossAggregate renamed = kerasLoss(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"name\": \"bce\", \"reduction\": \"sum\", \"axis\": -1}}", false);
    assertEquals(2L, renamed.merge(renamed.deserialize(plain), renamed.deserialize(plain)).rows());
    assertEquals(((Float) renamed.eval(renamed.deserialize(plain))) * 2,
        (Float) renamed.eval(renamed.merge(renamed.deserialize(plain), renamed.deserialize(plain))));
  }

  @Test
  void kerasLossAndLossReduceStatesAreNotEachOther() {
    byte[] keras = bufferOf(kerasLoss(BCE, false));
    LossReduceAggregate reduce = LossReduceAggregate.create(new BoundReference(0, DataTypes.DoubleType, true), null, "sum");
    String m = assertThrows(IllegalArgumentException.class, () -> reduce.deserialize(keras)).getMessage();
    assertTrue(m.startsWith("loss_reduce computes per-row loss values (loss_reduce, loss_summary) (a loss_reduce / "
        + "loss_summary state), but the aggregation state it was given holds state for {\"class_name\": "
        + "\"BinaryCrossentropy\""), m);
    byte[] values = reduce.serialize(reduce.createAggregationBuffer());
    LossSummaryAggregate summary = LossSummaryAggregate.create(new BoundReference(0, DataTypes.DoubleType, true), null);
    assertEquals(0, summary.deserialize(values).lossRows);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(values))
        .getMessage().contains("holds state for per-row loss values (loss_reduce, loss_summary) (a loss_reduce"));
  }

  @Test
  void unknownVersionsAndForeignBytesAreRefused() {
    byte[] b = bufferOf(kerasLoss(BCE, false));
    b[2] = 2;
    assertEquals("keras_loss: aggregation state of format version 2; this lossagg reads version 1 (and the unversioned "
        + "states of earlier lossagg). It was written by another lossagg version: run that version, or start a new "
        + "streaming checkpoint", assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(b))
        .getMessage());
    byte[] foreign = {0x7F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    assertEquals("keras_loss: 16 bytes that are not a lossagg aggregation state (they start with 7F 01 02 03; a lossagg "
        + "state starts with 4C 41, or 00 if written before states had a version)",
        assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(foreign)).getMessage());
    byte[] good = bufferOf(kerasLoss(BCE, false));
    byte[] cut = Arrays.copyOf(good, 20);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> kerasLoss(BCE, false).deserialize(cut)).getMessage()
        .startsWith("keras_loss: truncated aggregation state (20 bytes; its preamble announces "));
  }

  @Test
  void theFingerprintIsTheSha256OfTheIdentity() {
    String id = LossStateIdentity.of(KerasLossAggregate.options(BCE, false).create());
    StatePreamble p = StatePreamble.of(StatePreamble.KERAS_LOSS, id);
    byte[] b = bufferOf(kerasLoss(BCE, false));
    assertEquals(p.fingerprint(), java.nio.ByteBuffer.wrap(b).getLong(4));
    assertEquals(id.length(), java.nio.ByteBuffer.wrap(b).getShort(12));
    assertNotEquals(p.fingerprint(),
        StatePreamble.of(StatePreamble.KERAS_LOSS, LossStateIdentity.of(KerasLossAggregate.options(BCE_SMOOTHED, false)
            .create())).fingerprint());
  }

  /**
   * The identity is the loss' exact Keras config plus dtype and Keras version. A setting added to
   * LossOptions outside the Keras config must be added to LossStateIdentity if it changes the
   * numbers; this list makes that a decision.
   */
  @Test
  void everyLossOptionsSettingIsCoveredByTheIdentity() {
    Set<String> fields = Arrays.stream(LossOptions.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName).collect(Collectors.toSet());
    assertEquals(Set.copyOf(List.of("spec", "values", "reduction", "name", "dtype", "kerasVersion")), fields,
        "LossOptions has a new setting: if it changes a loss' numbers, put it in LossStateIdentity.of (and a case in "
            + "this test), then add it to this list");
  }
}
