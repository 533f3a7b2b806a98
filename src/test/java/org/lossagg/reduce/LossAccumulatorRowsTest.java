package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link LossAccumulator#addRow} against a plain transcription of Keras 3's rule for a batch of one
 * row (losses-semantics §6): V = values·W with the mask folded into W, size(V) the element count,
 * valid the unmasked count, and Σ W the weight tensor Keras forms — a row weight without a mask is a
 * scalar (counted once), with a mask it broadcasts against the mask (w·M, counted per unmasked
 * element), per-element weights are w·M. A table of rows is the sum of its rows' sums, reduced once.
 */
class LossAccumulatorRowsTest {

  /** A row: its values, 0/1 validity (null: no mask), and its weight (a row weight or one per element). */
  record Row(double[] values, double[] valid, Double rowWeight, double[] weights) {}

  @Provide
  Arbitrary<List<Row>> unweightedRows() {
    return rows(false);
  }

  @Provide
  Arbitrary<List<Row>> weightedRows() {
    return rows(true);
  }

  private static Arbitrary<List<Row>> rows(boolean weighted) {
    Arbitrary<Double> value = Arbitraries.frequencyOf(
        Tuple.of(20, Terms.normals(-20, 20)),
        Tuple.of(3, Arbitraries.of(0.0, -0.0, 1.0)),
        Tuple.of(1, Terms.finiteTerm()));
    Arbitrary<Double> weight = Arbitraries.frequencyOf(
        Tuple.of(8, Terms.normals(-6, 6)),
        Tuple.of(2, Arbitraries.of(0.0, 1.0, -1.0)));
    Arbitrary<Row> row = Arbitraries.integers().between(0, 5).flatMap(n -> Combinators.combine(
        value.array(double[].class).ofSize(n),
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just((double[]) null)),
            Tuple.of(1, Arbitraries.of(0.0, 1.0).array(double[].class).ofSize(n))),
        weight,
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just((double[]) null)),
            Tuple.of(1, weight.array(double[].class).ofSize(n))))
        .as((v, m, w, we) -> weighted ? new Row(v, m, w, we) : new Row(v, m, null, null)));
    return row.list().ofMaxSize(12);
  }

  @Property(tries = 800)
  void unweightedRowsReduceAsKerasBatchesOfOne(@ForAll("unweightedRows") List<Row> rows) {
    assertKerasRule(rows);
  }

  @Property(tries = 800)
  void weightedRowsCountWeightsAsKerasFormsThem(@ForAll("weightedRows") List<Row> rows) {
    assertKerasRule(rows);
  }

  private static void assertKerasRule(List<Row> rows) {
    LossAccumulator acc = new LossAccumulator();
    List<Double> weightedValues = new ArrayList<>();
    List<Double> weightTensor = new ArrayList<>();
    long size = 0;
    long valid = 0;
    for (Row r : rows) {
      boolean weighted = r.rowWeight() != null;
      if (weighted) {
        acc.addRow(r.values(), r.valid(), r.rowWeight(), r.weights());
      } else {
        acc.addRow(r.values(), r.valid());
      }
      int n = r.values().length;
      size += n;
      double[] m = r.valid() == null ? ones(n) : r.valid();
      double[] w; // the row's weight tensor W, mask folded in
      if (!weighted) {
        w = m;
      } else if (r.weights() == null && r.valid() == null) {
        w = new double[] {r.rowWeight()}; // scalar W: Keras sums it once
      } else {
        w = new double[n];
        for (int i = 0; i < n; i++) {
          w[i] = m[i] * (r.weights() == null ? r.rowWeight() : r.weights()[i]);
        }
      }
      for (int i = 0; i < n; i++) {
        if (m[i] != 0.0) {
          valid++;
          double wi = !weighted ? 1.0 : r.weights() == null ? r.rowWeight() : r.weights()[i];
          weightedValues.add(r.values()[i] * wi);
        }
      }
      for (double x : w) {
        weightTensor.add(x);
      }
    }
    double sum = ExactOracle.expectedSum(weightedValues);
    double wsum = ExactOracle.expectedSum(weightTensor);
    assertEquals(size, acc.elementCount(), "size(V)");
    assertEquals(valid, acc.validCount(), "valid count");
    assertBits(sum, acc.result(Reduction.SUM), "sum");
    double mean = valid == 0 ? 0.0 : sum / valid;
    assertBits(mean, acc.result(Reduction.SUM_OVER_BATCH_SIZE), "sum_over_batch_size");
    assertBits(mean, acc.result(Reduction.MEAN), "mean");
    // Without weights Σ W is Σ M, the valid count: the divisor is Σ W in every case.
    assertBits(wsum == 0.0 ? 0.0 : sum / wsum, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT),
        "mean_with_sample_weight");
  }

  @Test
  void rowWeightCountsOnceWithoutMaskAndPerUnmaskedElementWithOne() {
    LossAccumulator plain = new LossAccumulator();
    plain.addRow(new double[] {1, 2, 3}, null, 2.0, null);
    assertEquals(2.0, plain.weightSum());
    assertEquals(6.0, plain.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT)); // Σ(v·w)/w: the plain sum (§6.1)

    LossAccumulator masked = new LossAccumulator();
    masked.addRow(new double[] {1, 2, 3}, new double[] {1, 0, 1}, 2.0, null);
    assertEquals(4.0, masked.weightSum());
    assertEquals(2.0, masked.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT));
    assertEquals(1, masked.maskedCount());
    assertEquals(4.0, masked.result(Reduction.SUM_OVER_BATCH_SIZE));
  }

  @Test
  void weightedValueIsARowOfOne() {
    LossAccumulator a = new LossAccumulator();
    a.addWeightedValue(1.5, 3.0);
    LossAccumulator b = new LossAccumulator();
    b.addRow(new double[] {1.5}, null, 3.0, null);
    assertEquals(a, b);
    assertTrue(a.weighted());
  }

  @Test
  void refusesWeightsOrMaskOfAnotherLength() {
    LossAccumulator a = new LossAccumulator();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.addRow(new double[] {1, 2}, null, 1.0, new double[] {1}));
    assertEquals("LossAccumulator.addRow: 2 values but 1 weights; give one per value, or null", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.addRow(new double[] {1, 2}, new double[] {1, 1, 1}));
  }

  private static double[] ones(int n) {
    double[] o = new double[n];
    java.util.Arrays.fill(o, 1.0);
    return o;
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
        () -> what + ": expected " + expected + " got " + actual);
  }
}
