package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.DType;

/**
 * Every loss' state refuses, with an IllegalArgumentException naming both, to merge a state of
 * another kind (Dice's table-wide sums into a per-sample state, say, where a blind cast used to fail
 * with a ClassCastException) or of the same kind for another loss, options or dtype.
 */
class MergeCheckTest {
  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @ParameterizedTest
  @MethodSource("specs")
  void refusesAStateOfAnotherKind(LossSpec spec) {
    LossAggregation mine = spec.create().newAggregation();
    Loss other = (spec == MeanSquaredError.SPEC ? Dice.SPEC : MeanSquaredError.SPEC).create();
    LossAggregation theirs = other.newAggregation();
    if (theirs.getClass() == mine.getClass()) {
      other = Dice.SPEC.create(); // mine is a per-sample state: Dice (axis=None) keeps table-wide sums
      theirs = other.newAggregation();
    }
    assertNotEquals(mine.getClass(), theirs.getClass());
    LossAggregation foreign = theirs;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mine.merge(foreign));
    assertTrue(e.getMessage().startsWith(spec.className() + ": can only merge an aggregation of " + spec.className()),
        e.getMessage());
    assertTrue(e.getMessage().contains(other.spec().className()), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("specs")
  void refusesAStateOfAnotherDtype(LossSpec spec) {
    LossAggregation mine = spec.create().newAggregation();
    LossAggregation float64 = spec.newOptions().dtype(DType.FLOAT64).build().create().newAggregation();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mine.merge(float64));
    assertTrue(e.getMessage().contains("(dtype float32, keras_version ") && e.getMessage().contains("(dtype float64"),
        e.getMessage());
  }
}
