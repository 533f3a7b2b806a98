package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * Aggregation states survive {@code toBytes} / {@code aggregationFromBytes}: a restored state has the
 * same bytes and result, and merging restored partition states gives bit for bit what merging the
 * originals (and the class form on the whole batch) gives — what a Spark shuffle relies on.
 */
class AggregationBytesTest {

  static List<ReferenceCase> splittableCases() {
    return AggregationConsistencyTest.splittableCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splittableCases")
  void restoredPartitionStatesMergeToTheWholeBatchValue(ReferenceCase c) {
    Loss loss = ReferenceVectorsTest.build(c);
    NdArray sw = c.sampleWeight();
    boolean scalarWeight = sw != null && sw.rank() == 0;
    double whole = loss.call(c.yTrue(), c.yPred(), sw, c.mask()).item();
    Random rnd = new Random(c.id().hashCode());
    for (int trial = 0; trial < 5; trial++) {
      LossAggregation original = loss.newAggregation();
      LossAggregation restored = loss.newAggregation();
      for (int[] ch : RowSplits.random(rnd, c.yPred().dim(0), trial == 0)) {
        LossAggregation a = loss.newAggregation();
        a.add(RowSplits.rows(c.yTrue(), ch), RowSplits.rows(c.yPred(), ch),
            sw == null || scalarWeight ? sw : RowSplits.rows(sw, ch),
            c.mask() == null ? null : RowSplits.rows(c.mask(), ch));
        LossAggregation back = roundTrip(loss, a);
        assertEquals(Double.doubleToLongBits(a.result()), Double.doubleToLongBits(back.result()), c.id());
        original.merge(a);
        restored.merge(back);
        // Partial merges travel too (Spark merges, serialises, and merges again).
        restored = roundTrip(loss, restored);
      }
      assertArrayEquals(original.toBytes(), restored.toBytes(), c.id());
      assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(restored.result()),
          () -> c.id() + ": restored states gave a different value than the whole batch");
    }
  }

  @Test
  void emptyStatesRoundTripForEveryKind() {
    List<Loss> losses = List.of(MeanSquaredError.builder().build(), Hinge.builder().build(),
        Dice.builder().build(), Dice.builder().axis(new int[] {1}).build(), Circle.builder().build());
    for (Loss loss : losses) {
      LossAggregation empty = loss.newAggregation();
      LossAggregation back = roundTrip(loss, empty);
      assertEquals(empty.getClass(), back.getClass());
      // An empty restored state is neutral: merging it changes nothing.
      LossAggregation one = loss.newAggregation();
      addRow(loss, one, new Random(1));
      byte[] before = one.toBytes();
      one.merge(back);
      assertArrayEquals(before, one.toBytes(), loss.toString());
    }
  }

  @Test
  void hingeKeepsTheTableWideLabelDecisionThroughBytes() {
    Hinge hinge = Hinge.builder().build();
    NdArray yTrue = NdArray.matrix(new double[][] {{0, 1}, {1, -1}, {1, 0}});
    NdArray yPred = NdArray.matrix(new double[][] {{0.3, -0.8}, {0.2, 0.9}, {1.1, 0.5}});
    double whole = hinge.call(yTrue, yPred).item();
    LossAggregation merged = hinge.newAggregation();
    for (int r = 2; r >= 0; r--) {
      LossAggregation part = hinge.newAggregation();
      part.add(RowSplits.rows(yTrue, new int[] {r, r + 1}),
          RowSplits.rows(yPred, new int[] {r, r + 1}), null, null);
      LossAggregation back = roundTrip(hinge, part);
      assertEquals(r != 1, ((HingeAggregation) back).labelsConverted());
      merged.merge(back);
    }
    assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(merged.result()));
  }

  @Test
  void overlapAndCircleKeepTheirWeighting() {
    Random rnd = new Random(7);
    Loss dice = Dice.builder().reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT).build();
    Loss circle = Circle.builder().gamma(4).build();
    for (Loss loss : List.of(dice, circle)) {
      for (int weighting = 0; weighting < 3; weighting++) {
        int rows = 9;
        NdArray yTrue = loss == circle ? labels(rnd, rows) : binary(rnd, rows, 3);
        NdArray yPred = loss == circle ? unitRows(rnd, rows, 3) : uniform(rnd, rows, 3);
        NdArray w = weighting == 0 ? null : weighting == 1 ? NdArray.scalar(0.75) : uniform(rnd, rows, 1);
        double whole = loss.call(yTrue, yPred, w).item();
        LossAggregation merged = loss.newAggregation();
        for (int[] ch : RowSplits.random(rnd, rows, false)) {
          LossAggregation part = loss.newAggregation();
          part.add(RowSplits.rows(yTrue, ch), RowSplits.rows(yPred, ch),
              w == null || w.rank() == 0 ? w : RowSplits.rows(w, ch), null);
          merged.merge(roundTrip(loss, part));
        }
        int wt = weighting;
        assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(merged.result()),
            () -> loss + " weighting " + wt + ": " + merged.result() + " vs " + whole);
      }
    }
  }

  @Test
  void mismatchedOrDamagedBytesAreRejectedWithTheLossName() {
    Loss mse = MeanSquaredError.builder().build();
    LossAggregation a = mse.newAggregation();
    addRow(mse, a, new Random(3));
    byte[] bytes = a.toBytes();

    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> Hinge.builder().build().aggregationFromBytes(bytes));
    assertTrue(kind.getMessage().startsWith("Hinge aggregation: state bytes start with version 1, kind 'P'; expected"),
        kind.getMessage());
    IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
        () -> mse.aggregationFromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
    assertTrue(truncated.getMessage().startsWith("MeanSquaredError aggregation: "), truncated.getMessage());
    IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
        () -> mse.aggregationFromBytes(Arrays.copyOf(bytes, bytes.length + 2)));
    assertEquals("MeanSquaredError aggregation: 2 trailing bytes after the state", trailing.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> mse.aggregationFromBytes(null));
    assertTrue(none.getMessage().contains("cannot restore a state from null"), none.getMessage());
    assertInstanceOf(PerSampleAggregation.class, mse.aggregationFromBytes(bytes));
  }

  private static LossAggregation roundTrip(Loss loss, LossAggregation a) {
    byte[] bytes = a.toBytes();
    LossAggregation back = loss.aggregationFromBytes(bytes);
    assertArrayEquals(bytes, back.toBytes(), loss::toString);
    return back;
  }

  private static void addRow(Loss loss, LossAggregation a, Random rnd) {
    if (loss instanceof Circle) {
      a.add(labels(rnd, 2), unitRows(rnd, 2, 3), null, null);
    } else {
      a.add(binary(rnd, 2, 3), uniform(rnd, 2, 3), null, null);
    }
  }

  private static NdArray uniform(Random rnd, int rows, int cols) {
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = 0.05 + 0.9 * rnd.nextDouble();
    }
    return cols == 1 ? NdArray.of(d, rows) : NdArray.of(d, rows, cols);
  }

  private static NdArray binary(Random rnd, int rows, int cols) {
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextBoolean() ? 1 : 0;
    }
    return NdArray.of(d, rows, cols);
  }

  private static NdArray labels(Random rnd, int rows) {
    double[] d = new double[rows];
    for (int i = 0; i < rows; i++) {
      d[i] = rnd.nextInt(3);
    }
    return NdArray.of(d, rows);
  }

  private static NdArray unitRows(Random rnd, int rows, int dim) {
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      double[] v = new double[dim];
      double norm = 0;
      for (int c = 0; c < dim; c++) {
        v[c] = rnd.nextGaussian();
        norm += v[c] * v[c];
      }
      for (int c = 0; c < dim; c++) {
        v[c] /= Math.sqrt(norm);
      }
      out.add(v);
    }
    return NdArray.matrix(out.toArray(new double[0][]));
  }
}
