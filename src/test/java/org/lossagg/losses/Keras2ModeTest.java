package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** keras2 numerics exist only for losses tf.keras 2.x has; asking for them elsewhere is an error. */
class Keras2ModeTest {
  static List<LossSpec> keras3Only() {
    return LossCatalog.all().stream().filter(s -> !s.inKeras2()).collect(Collectors.toList());
  }

  /**
   * tf.keras 2.x is frozen, so the losses it has are a fixed list, and any loss added to the
   * catalogue later is Keras 3 only.
   */
  @Test
  void exactlyTheLossesTfKeras2HasAcceptKeras2() {
    assertEquals(List.of("BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
        "CategoricalFocalCrossentropy", "SparseCategoricalCrossentropy", "Poisson", "KLDivergence", "MeanSquaredError",
        "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "CosineSimilarity", "Huber",
        "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge"),
        LossCatalog.all().stream().filter(LossSpec::inKeras2).map(LossSpec::className).collect(Collectors.toList()));
    for (LossSpec s : LossCatalog.all()) {
      if (s.inKeras2()) {
        assertDoesNotThrow(() -> s.newOptions().keras2(true).build().create(), s.className());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keras3Only")
  void keras2IsRefusedWithTheReason(LossSpec spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec.newOptions().keras2(true).build());
    assertTrue(e.getMessage().startsWith(spec.className() + ": keras_version '2' (tf.keras 2.x) has no " + spec.className())
        && e.getMessage().contains("versions that have it: Keras 3."), e.getMessage());
  }
}
