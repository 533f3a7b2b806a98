package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * The Hinge/SquaredHinge 0/1 label decision is table-wide: any split of a batch into row chunks,
 * reduced chunk by chunk and merged in any order, must give bit for bit what {@code call} gives on
 * the whole batch, whether or not some chunk holds a -1 label.
 */
class HingeAggregationTest {
  private static final int COLS = 3;
  private static final Reduction[] REDUCTIONS = {
      Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.MEAN, Reduction.MEAN_WITH_SAMPLE_WEIGHT};

  /** One batch with optional per-row weights and mask. */
  private record Batch(NdArray yTrue, NdArray yPred, NdArray weights, NdArray mask) {
    int rows() {
      return yTrue.dim(0);
    }

    Batch slice(int from, int to) {
      return new Batch(rowsOf(yTrue, from, to), rowsOf(yPred, from, to),
          weights == null ? null : rowsOf(weights, from, to), mask == null ? null : rowsOf(mask, from, to));
    }

    private static NdArray rowsOf(NdArray a, int from, int to) {
      int width = a.size() / a.dim(0);
      int[] shape = a.shape().clone();
      shape[0] = to - from;
      return NdArray.of(Arrays.copyOfRange(a.data(), from * width, to * width), shape);
    }
  }

  @Test
  void randomSplitsMergedInAnyOrderEqualTheWholeBatchCall() {
    Random rnd = new Random(20240607);
    for (int trial = 0; trial < 400; trial++) {
      BinaryLabelHingeLoss loss = randomLoss(rnd);
      int rows = 2 + rnd.nextInt(14);
      int minusOneRow = rnd.nextBoolean() ? rnd.nextInt(rows) : -1;
      Batch batch = randomBatch(rnd, rows, minusOneRow);
      double whole = loss.call(batch.yTrue(), batch.yPred(), batch.weights(), batch.mask()).item();

      List<Batch> chunks = randomSplit(rnd, batch);
      double merged = mergeInRandomOrder(rnd, loss, chunks).result();
      assertEquals(Double.doubleToRawLongBits(whole), Double.doubleToRawLongBits(merged),
          () -> loss + " " + chunks.size() + " chunks: merged " + merged + " vs call " + whole);

      LossAggregation sequential = loss.newAggregation();
      for (Batch c : chunks) {
        sequential.add(c.yTrue(), c.yPred(), c.weights(), c.mask());
      }
      assertEquals(Double.doubleToRawLongBits(whole), Double.doubleToRawLongBits(sequential.result()), loss::toString);
    }
  }

  @Test
  void aChunkWithAMinusOneLabelTurnsTheConversionOffForEveryChunk() {
    for (BinaryLabelHingeLoss loss : List.<BinaryLabelHingeLoss>of(Hinge.builder().build(), SquaredHinge.builder().build())) {
      NdArray yTrue = NdArray.matrix(new double[][] {{0, 1, 1}, {1, 0, 0}, {1, -1, 1}, {0, 0, 1}});
      NdArray yPred = NdArray.matrix(new double[][] {{0.3, -0.8, 1.7}, {0.2, 0.9, -0.4}, {1.1, 0.5, -2.0}, {-0.6, 0.25, 0.75}});
      Batch batch = new Batch(yTrue, yPred, null, null);
      double whole = loss.call(yTrue, yPred).item();

      Batch[] parts = {batch.slice(0, 2), batch.slice(2, 3), batch.slice(3, 4)};
      LossAggregation a = loss.newAggregation();
      a.add(parts[0].yTrue(), parts[0].yPred(), null, null);
      LossAggregation b = loss.newAggregation();
      b.add(parts[1].yTrue(), parts[1].yPred(), null, null);
      LossAggregation c = loss.newAggregation();
      c.add(parts[2].yTrue(), parts[2].yPred(), null, null);
      assertTrue(((HingeAggregation) a).labelsConverted());
      assertFalse(((HingeAggregation) b).labelsConverted());
      c.merge(b);
      c.merge(a);
      assertEquals(Double.doubleToRawLongBits(whole), Double.doubleToRawLongBits(c.result()));

      // Deciding per chunk (a plain sum of per-sample terms) would convert chunks 1 and 3: a different value.
      PerSampleAggregation perChunk = new PerSampleAggregation(loss);
      for (Batch p : parts) {
        PerSampleAggregation one = new PerSampleAggregation(loss);
        one.add(p.yTrue(), p.yPred(), null, null);
        perChunk.merge(one);
      }
      assertNotEquals(whole, perChunk.result(), loss.spec().className());
    }
  }

  @Test
  void allBinaryChunksAreConvertedTogether() {
    Hinge hinge = Hinge.builder().build();
    NdArray yTrue = NdArray.matrix(new double[][] {{0, 1}, {1, 1}, {0, 0}});
    NdArray yPred = NdArray.matrix(new double[][] {{0.5, 0.5}, {-1, 2}, {0.25, -3}});
    LossAggregation agg = hinge.newAggregation();
    for (int r = 0; r < 3; r++) {
      agg.add(NdArray.of(Arrays.copyOfRange(yTrue.data(), 2 * r, 2 * r + 2), 1, 2),
          NdArray.of(Arrays.copyOfRange(yPred.data(), 2 * r, 2 * r + 2), 1, 2), null, null);
    }
    // y = [[-1,1],[1,1],[-1,-1]]: margins [[1.5,0.5],[2,0],[1.25,0]] -> per row [1, 1, 0.625] -> 0.875.
    assertEquals(0.875, agg.result());
    assertEquals(hinge.call(yTrue, yPred).item(), agg.result());
  }

  @Test
  void mergingAnotherLossIsRejected() {
    LossAggregation hinge = Hinge.builder().build().newAggregation();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> hinge.merge(SquaredHinge.builder().build().newAggregation()));
    assertTrue(e.getMessage().startsWith("Hinge: can only merge an aggregation of Hinge"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> hinge.merge(Hinge.builder().reduction(Reduction.SUM).build().newAggregation()));
    assertThrows(IllegalArgumentException.class,
        () -> hinge.merge(Hinge.builder().dtype(DType.FLOAT64).build().newAggregation()));
  }

  private static BinaryLabelHingeLoss randomLoss(Random rnd) {
    Loss.Builder<?, ? extends BinaryLabelHingeLoss> b = rnd.nextBoolean() ? Hinge.builder() : SquaredHinge.builder();
    b.reduction(REDUCTIONS[rnd.nextInt(REDUCTIONS.length)]);
    b.dtype(rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64);
    b.keras2(rnd.nextInt(4) == 0);
    return b.build();
  }

  /** 0/1 labels, with one -1 in row {@code minusOneRow} (none when negative). */
  private static Batch randomBatch(Random rnd, int rows, int minusOneRow) {
    double[] t = new double[rows * COLS];
    double[] p = new double[rows * COLS];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextInt(2);
      p[i] = rnd.nextGaussian() * 1.5;
    }
    if (minusOneRow >= 0) {
      t[minusOneRow * COLS + rnd.nextInt(COLS)] = -1;
    }
    NdArray w = null;
    if (rnd.nextBoolean()) {
      double[] wd = new double[rows];
      for (int i = 0; i < rows; i++) {
        wd[i] = rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble() * 3;
      }
      w = NdArray.of(wd, rows);
    }
    NdArray m = null;
    if (rnd.nextInt(3) == 0) {
      double[] md = new double[rows];
      for (int i = 0; i < rows; i++) {
        md[i] = rnd.nextInt(4) == 0 ? 0 : 1;
      }
      m = NdArray.of(md, rows);
    }
    return new Batch(NdArray.of(t, rows, COLS), NdArray.of(p, rows, COLS), w, m);
  }

  /** Contiguous row chunks of random sizes (at least one row each). */
  private static List<Batch> randomSplit(Random rnd, Batch batch) {
    List<Batch> chunks = new ArrayList<>();
    int from = 0;
    while (from < batch.rows()) {
      int to = from + 1 + rnd.nextInt(batch.rows() - from);
      chunks.add(batch.slice(from, to));
      from = to;
    }
    return chunks;
  }

  /** One aggregation per chunk, merged pairwise in a random order until one is left. */
  private static LossAggregation mergeInRandomOrder(Random rnd, Loss loss, List<Batch> chunks) {
    List<LossAggregation> states = new ArrayList<>();
    for (Batch c : chunks) {
      LossAggregation a = loss.newAggregation();
      a.add(c.yTrue(), c.yPred(), c.weights(), c.mask());
      states.add(a);
    }
    while (states.size() > 1) {
      LossAggregation into = states.remove(rnd.nextInt(states.size()));
      LossAggregation from = states.remove(rnd.nextInt(states.size()));
      into.merge(from);
      states.add(into);
    }
    return states.get(0);
  }
}
