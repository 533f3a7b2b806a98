package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/** Keras 3 and tf.keras 2.x sample-weight rank rules (spec §6.2, §6.3, §7.1). */
class SampleWeightingTest {
  private static final Numerics K3 = Numerics.of(DType.FLOAT32, false);
  private static final Numerics K2 = Numerics.of(DType.FLOAT32, true);
  // Per-sample values of shape (B=2, T=2).
  private static final NdArray VALUES = NdArray.matrix(new double[][] {{1, 2}, {3, 4}});

  @Test
  void keras3BroadcastsRankOneWeightsAlongTheLastAxis() {
    NdArray v = SampleWeighting.apply(VALUES, NdArray.vector(10, 0), null, null, K3).values();
    // Weight i multiplies timestep i, not sample i (probe sample_weight_rank1_trailing_broadcast).
    assertArrayEquals(new double[] {10, 0, 30, 0}, v.data());
  }

  @Test
  void keras2ExpandsRankOneWeightsToWeighWholeSamples() {
    NdArray v = SampleWeighting.apply(VALUES, NdArray.vector(10, 0), null, null, K2).values();
    assertArrayEquals(new double[] {10, 20, 0, 0}, v.data());
  }

  @Test
  void keras3RankOneWeightsOfAnotherLengthAreAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleWeighting.apply(VALUES, NdArray.vector(1, 2, 3), null, null, K3));
    assertTrue(e.getMessage().contains("sample_weight of shape [3] cannot weight per-sample losses of shape [2, 2]"), e.getMessage());
  }

  @Test
  void columnWeightsAgainstRankOneValuesKeepShapeBOne() {
    NdArray values = NdArray.vector(1, 4);
    NdArray w = NdArray.of(new double[] {2, 3}, 2, 1);
    NdArray v = SampleWeighting.apply(values, w, null, null, K3).values();
    assertArrayEquals(new int[] {2, 1}, v.shape());
    assertArrayEquals(new double[] {2, 12}, v.data());
  }

  @Test
  void weightsAreRoundedToTheLossDtype() {
    NdArray v = SampleWeighting.apply(NdArray.vector(1.0), NdArray.vector(2.3), null, null, K3).values();
    assertEquals((double) 2.3f, v.get(0));
  }

  @Test
  void maskedElementsLeaveTheMeanDivisorButNotTheElementCount() {
    LossAccumulator acc = new LossAccumulator();
    NdArray mask = NdArray.matrix(new double[][] {{1, 0}, {1, 1}});
    SampleWeighting.apply(VALUES, null, mask, null, K3).addTo(acc);
    assertEquals(4, acc.elementCount());
    assertEquals(1, acc.maskedCount());
    assertEquals((1 + 3 + 4) / 3.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
    // With a mask and no weights, mean_with_sample_weight divides by the valid count too.
    assertEquals((1 + 3 + 4) / 3.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
  }

  @Test
  void meanWithSampleWeightDividesByTheUnbroadcastWeightSum() {
    LossAccumulator acc = new LossAccumulator();
    NdArray w = NdArray.of(new double[] {1, 3}, 2, 1);
    SampleWeighting.apply(VALUES, w, null, null, K3).addTo(acc);
    // (1+2)*1 + (3+4)*3 = 24 over Σw = 4 (not 8): T times a weighted mean, as Keras 3 does.
    assertEquals(6.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertEquals(6.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
  }

  @Test
  void keras2InputMaskStillCountsMaskedTimestepsInTheDivisor() {
    LossAccumulator acc = new LossAccumulator();
    NdArray mask = NdArray.matrix(new double[][] {{1, 0}, {1, 1}});
    SampleWeighting.apply(VALUES, null, mask, null, K2).addTo(acc);
    assertEquals(0, acc.maskedCount());
    assertEquals((1 + 3 + 4) / 4.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
  }
}
