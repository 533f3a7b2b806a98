package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** Circle: per-sample values do not depend on row order, so a group aggregates to one exact value. */
class CircleTest {
  @ParameterizedTest
  @EnumSource(value = Reduction.class, names = {"SUM_OVER_BATCH_SIZE", "SUM", "MEAN", "MEAN_WITH_SAMPLE_WEIGHT"})
  void anySplitAndArrivalOrderGivesIdenticalBits(Reduction reduction) {
    Random rnd = new Random(reduction.ordinal());
    for (boolean weighted : new boolean[] {false, true}) {
      // A small gamma gives log-sum-exp terms of similar size, where a float32 running sum would
      // depend on the order of the reference rows.
      Loss circle = Circle.builder().reduction(reduction).gamma(weighted ? 80 : 2).build();
      Group g = Group.random(rnd, weighted ? 11 : 40, weighted ? 5 : 3, 4, weighted);
      double reference = Double.NaN;
      for (int trial = 0; trial < 25; trial++) {
        Group shuffled = g.permuted(rnd);
        List<LossAggregation> states = new ArrayList<>();
        for (int[] ch : RowSplits.random(rnd, shuffled.size(), trial == 0)) {
          LossAggregation a = circle.newAggregation();
          a.add(RowSplits.rows(shuffled.labels, ch), RowSplits.rows(shuffled.embeddings, ch),
              shuffled.weights == null ? null : RowSplits.rows(shuffled.weights, ch), null);
          states.add(a);
        }
        Collections.shuffle(states, rnd);
        LossAggregation merged = circle.newAggregation();
        for (LossAggregation s : states) {
          merged.merge(s);
        }
        double got = merged.result();
        if (trial == 0) {
          reference = got;
        }
        double ref = reference;
        assertEquals(Double.doubleToLongBits(ref), Double.doubleToLongBits(got),
            () -> reduction + " weighted=" + weighted + ": " + got + " vs " + ref);
        // The class form on the arrival order agrees bit for bit, too.
        double call = circle.call(shuffled.labels, shuffled.embeddings, shuffled.weights).item();
        assertEquals(Double.doubleToLongBits(ref), Double.doubleToLongBits(call));
      }
      Group canonical = g.sortedByLabel();
      double onCanonical = circle.call(canonical.labels, canonical.embeddings, canonical.weights).item();
      assertEquals(onCanonical, reference, 1e-6 * Math.max(1, Math.abs(onCanonical)));
    }
  }

  @Test
  void perSampleValuesFollowTheirRowsUnderPermutation() {
    Loss none = Circle.builder().reduction(Reduction.NONE).gamma(2).build();
    Random rnd = new Random(4);
    Group g = Group.random(rnd, 40, 3, 6, false);
    NdArray base = none.call(g.labels, g.embeddings);
    for (int trial = 0; trial < 10; trial++) {
      int[] perm = permutation(rnd, g.size());
      Group p = g.take(perm);
      NdArray v = none.call(p.labels, p.embeddings);
      for (int i = 0; i < perm.length; i++) {
        assertEquals(Double.doubleToLongBits(base.get(perm[i])), Double.doubleToLongBits(v.get(i)));
      }
    }
  }

  @Test
  void singletonClassesHaveZeroLossAndAreMaskedOutOfTheMean() {
    Loss none = Circle.builder().reduction(Reduction.NONE).build();
    NdArray labels = NdArray.vector(1, 1, 2);
    NdArray emb = NdArray.matrix(new double[][] {{1, 0}, {0.6, 0.8}, {0, 1}});
    NdArray v = none.call(labels, emb);
    assertEquals(0.0, v.get(2));
    double mean = Circle.builder().build().call(labels, emb).item();
    assertEquals((float) ((v.get(0) + v.get(1)) / 2), (float) mean);
    PerSample ps = Circle.builder().build().function(labels, emb, DType.FLOAT32);
    assertArrayEquals(new double[] {1, 1, 0}, ps.mask().data());
  }

  @Test
  void explicitReferenceSetEqualToTheBatchIsTheClassForm() {
    Circle circle = Circle.builder().reduction(Reduction.NONE).build();
    Random rnd = new Random(8);
    Group g = Group.random(rnd, 7, 3, 4, false);
    NdArray viaRefs = circle.function(g.labels, g.embeddings, g.labels, g.embeddings, DType.FLOAT32).values();
    NdArray viaNull = circle.function(g.labels, g.embeddings, null, null, DType.FLOAT32).values();
    assertArrayEquals(circle.call(g.labels, g.embeddings).data(), viaRefs.data());
    assertArrayEquals(viaRefs.data(), viaNull.data());
  }

  @Test
  void oneScalarWeightForTheWholeGroupIsKerasScalarWeight() {
    Loss mwsw = Circle.builder().reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT).build();
    Random rnd = new Random(3);
    Group g = Group.random(rnd, 6, 2, 3, false);
    NdArray w = NdArray.scalar(2.5);
    LossAggregation a = mwsw.newAggregation();
    LossAggregation b = mwsw.newAggregation();
    a.add(RowSplits.rows(g.labels, new int[] {0, 2}), RowSplits.rows(g.embeddings, new int[] {0, 2}), w, null);
    b.add(RowSplits.rows(g.labels, new int[] {2, 6}), RowSplits.rows(g.embeddings, new int[] {2, 6}), w, null);
    a.merge(b);
    assertEquals(mwsw.call(g.labels, g.embeddings, w).item(), a.result());
  }

  @Test
  void rejectsBadShapesAndMergesOfOtherLosses() {
    Loss circle = Circle.builder().build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> circle.call(NdArray.vector(1, 2, 3), NdArray.matrix(new double[][] {{1, 0}, {0, 1}})));
    assertTrue(e.getMessage().contains("Circle") && e.getMessage().contains("y_true"), e.getMessage());
    LossAggregation a = circle.newAggregation();
    a.add(NdArray.vector(1), NdArray.matrix(new double[][] {{1, 0}}), null, null);
    e = assertThrows(IllegalArgumentException.class,
        () -> a.add(NdArray.vector(1), NdArray.matrix(new double[][] {{1, 0, 0}}), null, null));
    assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
    LossAggregation other = Circle.builder().gamma(64).build().newAggregation();
    assertThrows(IllegalArgumentException.class, () -> a.merge(other));
  }

  @Test
  void specListsKerasOptionsInOrder() {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : Circle.SPEC.options()) {
      names.add(o.name());
    }
    assertEquals(List.of("gamma", "margin", "remove_diagonal"), names);
    assertEquals(List.of("remove_diagonal", "gamma", "margin"), Circle.SPEC.functionArgs());
    Loss c = Circle.builder().build();
    assertEquals(80.0, c.options().number("gamma"));
    assertEquals(0.4, c.options().number("margin"));
    assertTrue(c.options().bool("remove_diagonal"));
    assertEquals(RowOutput.GROUP_PAIRWISE, Circle.SPEC.rowOutput());
  }

  private static int[] permutation(Random rnd, int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    Collections.shuffle(l, rnd);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Labels (B,), unit-norm float32 embeddings (B, D), optional per-row weights. */
  private record Group(NdArray labels, NdArray embeddings, NdArray weights) {
    static Group random(Random rnd, int b, int classes, int dim, boolean weighted) {
      double[] l = new double[b];
      double[] e = new double[b * dim];
      double[] w = new double[b];
      for (int i = 0; i < b; i++) {
        l[i] = rnd.nextInt(classes);
        double norm = 0;
        for (int k = 0; k < dim; k++) {
          e[i * dim + k] = rnd.nextGaussian();
          norm += e[i * dim + k] * e[i * dim + k];
        }
        for (int k = 0; k < dim; k++) {
          e[i * dim + k] = (float) (e[i * dim + k] / Math.sqrt(norm));
        }
        w[i] = (float) (0.5 + rnd.nextDouble());
      }
      // Two identical rows: the canonical order must not depend on which arrives first.
      System.arraycopy(e, 0, e, dim, dim);
      l[1] = l[0];
      w[1] = w[0];
      return new Group(NdArray.vector(l), NdArray.of(e, b, dim), weighted ? NdArray.vector(w) : null);
    }

    int size() {
      return labels.size();
    }

    Group permuted(Random rnd) {
      return take(permutation(rnd, size()));
    }

    Group take(int[] perm) {
      int dim = embeddings.dim(1);
      double[] l = new double[perm.length];
      double[] e = new double[perm.length * dim];
      double[] w = new double[perm.length];
      for (int i = 0; i < perm.length; i++) {
        l[i] = labels.get(perm[i]);
        System.arraycopy(embeddings.data(), perm[i] * dim, e, i * dim, dim);
        w[i] = weights == null ? 0 : weights.get(perm[i]);
      }
      return new Group(NdArray.vector(l), NdArray.of(e, perm.length, dim), weights == null ? null : NdArray.vector(w));
    }

    Group sortedByLabel() {
      Integer[] idx = new Integer[size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> Double.compare(labels.get(a), labels.get(b)));
      return take(Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
    }
  }

  /** Circle is quadratic in the group: past the bound a chunk, a merge or restored bytes fail before rows are kept. */
  @Test
  void groupsPastTheRowBoundFailBeforeTheirRowsAreKept() {
    assertEquals(10_000, Circle.builder().build().maxGroupRows());
    Circle circle = Circle.builder().build().withMaxGroupRows(3);
    NdArray twoLabels = NdArray.vector(0, 1);
    NdArray twoRows = NdArray.matrix(new double[][] {{1, 0}, {0, 1}});
    CircleAggregation a = (CircleAggregation) circle.newAggregation();
    a.add(twoLabels, twoRows, null, null);
    IllegalArgumentException add = assertThrows(IllegalArgumentException.class,
        () -> a.add(twoLabels, twoRows, null, null));
    assertTrue(add.getMessage().startsWith("Circle: a group of more than 3 rows (4 so far)")
        && add.getMessage().contains("GROUP BY a batch id") && add.getMessage().contains("spark.lossagg.circle.maxRowsPerGroup"),
        add.getMessage());
    assertEquals(2, a.size(), "the refused chunk was not kept");
    LossAggregation b = circle.newAggregation();
    b.add(twoLabels, twoRows, null, null);
    assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertEquals(2, a.size());
    CircleAggregation four = (CircleAggregation) Circle.builder().build().newAggregation();
    four.add(NdArray.vector(0, 1, 0, 1), NdArray.matrix(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}}), null, null);
    assertThrows(IllegalArgumentException.class, () -> circle.aggregationFromBytes(four.toBytes()));
    assertThrows(IllegalArgumentException.class, () -> circle.withMaxGroupRows(0));
  }
}
