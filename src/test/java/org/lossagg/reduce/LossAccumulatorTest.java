package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Keras 3 divisors of {@code reduce_values} (spec §6.1, §6.4) and the buffer encoding. */
class LossAccumulatorTest {

  private static LossAccumulator values(double... v) {
    LossAccumulator acc = new LossAccumulator();
    for (double x : v) {
      acc.addValue(x);
    }
    return acc;
  }

  @Test
  void sumOverBatchSizeDividesByValidElementsNotMasked() {
    LossAccumulator acc = values(1.0, 2.0);
    acc.addMasked();
    acc.addMasked();
    acc.addValue(3.0);
    assertEquals(5, acc.elementCount());
    assertEquals(2, acc.maskedCount());
    assertEquals(3, acc.validCount());
    assertEquals(6.0, acc.result(Reduction.SUM));
    assertEquals(2.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
    assertEquals(2.0, acc.result(Reduction.MEAN));
    assertEquals(2.0, acc.result(Reduction.AUTO));
  }

  @Test
  void zeroWeightsStayInTheBatchSizeDivisor() {
    // Keras removes only masked entries from the divisor, not zero-weighted ones (spec §6.3).
    LossAccumulator acc = values(4.0, 0.0, 0.0, 0.0);
    acc.addWeight(1.0);
    acc.addWeight(0.0);
    acc.addWeight(0.0);
    acc.addWeight(0.0);
    assertEquals(1.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
    assertEquals(4.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
  }

  @Test
  void meanWithSampleWeightDividesByTheWeightSum() {
    // values [1, 3, 5] with weights [0.5, 1, 2.5]: Σv·w = 0.5 + 3 + 12.5 = 16, Σw = 4.
    LossAccumulator acc = values(0.5, 3.0, 12.5);
    acc.addWeight(0.5);
    acc.addWeight(1.0);
    acc.addWeight(2.5);
    assertTrue(acc.weighted());
    assertEquals(4.0, acc.weightSum());
    assertEquals(4.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertEquals(16.0 / 3, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
  }

  @Test
  void meanWithSampleWeightOfAScalarWeightIsThePlainSum() {
    // Keras quirk (spec §6.1): Σ(v·w)/w with a scalar w; values [1, 4] weighted by 2.
    LossAccumulator acc = values(2.0, 8.0);
    acc.addWeight(2.0);
    assertEquals(5.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
  }

  @Test
  void meanWithSampleWeightWithoutWeightsDividesByTheElementCount() {
    LossAccumulator acc = values(1.0, 2.0, 3.0, 6.0);
    assertFalse(acc.weighted());
    assertEquals(3.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
  }

  @Test
  void meanWithSampleWeightUnderAMaskDividesByTheFoldedWeights() {
    // A mask alone becomes 0/1 weights (SampleWeighting), so the divisor is the valid count.
    LossAccumulator acc = values(2.0, 4.0);
    acc.addMasked();
    acc.addWeight(1.0);
    acc.addWeight(1.0);
    acc.addWeight(0.0);
    assertEquals(3.0, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertEquals(3.0, acc.result(Reduction.SUM_OVER_BATCH_SIZE));
  }

  @Test
  void zeroDivisorGivesZero() {
    LossAccumulator empty = new LossAccumulator();
    for (Reduction r : new Reduction[] {Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.AUTO, Reduction.MEAN,
        Reduction.MEAN_WITH_SAMPLE_WEIGHT}) {
      assertEquals(0.0, empty.result(r), r.kerasName());
    }
    LossAccumulator allMasked = new LossAccumulator();
    allMasked.addMasked();
    allMasked.addMasked();
    assertEquals(0.0, allMasked.result(Reduction.SUM_OVER_BATCH_SIZE));
    assertEquals(0.0, allMasked.result(Reduction.MEAN));

    LossAccumulator zeroWeights = values(5.0);
    zeroWeights.addWeight(0.0);
    assertEquals(0.0, zeroWeights.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    // The weight sum is exact, so weights that cancel exactly give a zero divisor too.
    LossAccumulator cancelling = values(5.0);
    cancelling.addWeight(0.1);
    cancelling.addWeight(1e20);
    cancelling.addWeight(-1e20);
    cancelling.addWeight(-0.1);
    assertEquals(0.0, cancelling.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    // divide_no_nan: 0 even when the numerator is NaN.
    LossAccumulator nanOverZero = values(Double.NaN);
    nanOverZero.markWeighted();
    assertEquals(0.0, nanOverZero.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertTrue(Double.isNaN(nanOverZero.result(Reduction.SUM_OVER_BATCH_SIZE)));
  }

  @Test
  void noneHasNoReducedResult() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> values(1.0).result(Reduction.NONE));
    assertTrue(e.getMessage().contains("'none'"), e.getMessage());
  }

  @Test
  void mergeCarriesTheWeightedFlagAndCounts() {
    LossAccumulator a = values(1.0);
    LossAccumulator b = new LossAccumulator();
    b.markWeighted();
    b.addMasked();
    a.merge(b);
    assertTrue(a.weighted());
    assertEquals(2, a.elementCount());
    assertEquals(1, a.maskedCount());
    assertEquals(0.0, a.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
  }

  @Test
  void bytesRoundTripAndRejectMalformedInput() {
    LossAccumulator acc = values(0.1, 0.2, -1e300);
    acc.addMasked();
    acc.addWeight(0.75);
    LossAccumulator back = LossAccumulator.fromBytes(acc.toBytes());
    assertEquals(acc, back);
    assertEquals(acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT), back.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertEquals(new LossAccumulator(), LossAccumulator.fromBytes(new LossAccumulator().toBytes()));
    assertNotEquals(acc, new LossAccumulator());

    byte[] good = acc.toBytes();
    assertThrows(IllegalArgumentException.class, () -> LossAccumulator.fromBytes(Arrays.copyOf(good, good.length - 1)));
    assertThrows(IllegalArgumentException.class, () -> LossAccumulator.fromBytes(Arrays.copyOf(good, good.length + 1)));
    byte[] badVersion = good.clone();
    badVersion[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> LossAccumulator.fromBytes(badVersion));
    byte[] badCounts = good.clone();
    badCounts[17] = 9; // masked count 9 > element count 4
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossAccumulator.fromBytes(badCounts));
    assertTrue(e.getMessage().contains("masked=9"), e.getMessage());
  }
}
