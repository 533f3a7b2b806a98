package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * The distributed promise on every reference case that has a batch axis: splitting the batch into
 * row chunks (any sizes, single rows included), aggregating each chunk and merging the states in any
 * order gives the same double, bit for bit, as Keras' class form on the whole batch.
 */
class AggregationConsistencyTest {

  static List<ReferenceCase> splittableCases() {
    return ReferenceCase.load().stream()
        .filter(c -> !c.functional() && c.expected().rank() == 0 && c.yPred().rank() >= 2)
        .filter(c -> c.yTrue().rank() >= 1 && c.yTrue().dim(0) == c.yPred().dim(0) && c.yPred().dim(0) > 1)
        .filter(c -> c.sampleWeight() == null || c.sampleWeight().rank() == 0 || c.sampleWeight().dim(0) == c.yPred().dim(0))
        .filter(c -> c.mask() == null || c.mask().dim(0) == c.yPred().dim(0))
        .filter(AggregationConsistencyTest::meaningIsPerRow)
        .collect(Collectors.toList());
  }

  /**
   * Leaves out the two Keras semantics that belong to one call's whole shape, not to its rows:
   * mean_with_sample_weight divides by a scalar weight once per call, and Keras 3 broadcasts (B,)
   * weights against (B,T) values along T (so the weights' meaning depends on B).
   */
  private static boolean meaningIsPerRow(ReferenceCase c) {
    Loss loss = ReferenceVectorsTest.build(c);
    NdArray sw = c.sampleWeight();
    if (sw != null && sw.rank() == 0) {
      return loss.reduction() != Reduction.MEAN_WITH_SAMPLE_WEIGHT;
    }
    return sw == null || !(sw.rank() == 1 && perSampleRank(c) >= 2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splittableCases")
  void anySplitAndMergeOrderGivesTheWholeBatchValue(ReferenceCase c) {
    Loss loss = ReferenceVectorsTest.build(c);
    NdArray sw = c.sampleWeight();
    boolean scalarWeight = sw != null && sw.rank() == 0;
    double whole = loss.call(c.yTrue(), c.yPred(), sw, c.mask()).item();
    int b = c.yPred().dim(0);
    Random rnd = new Random(c.id().hashCode());
    for (int trial = 0; trial < 20; trial++) {
      List<int[]> chunks = RowSplits.random(rnd, b, trial == 0);
      List<LossAggregation> states = new ArrayList<>();
      for (int[] ch : chunks) {
        LossAggregation a = loss.newAggregation();
        a.add(RowSplits.rows(c.yTrue(), ch), RowSplits.rows(c.yPred(), ch), sw == null || scalarWeight ? sw : RowSplits.rows(sw, ch),
            c.mask() == null ? null : RowSplits.rows(c.mask(), ch));
        states.add(a);
      }
      Collections.shuffle(states, rnd);
      LossAggregation merged = loss.newAggregation();
      for (LossAggregation s : states) {
        merged.merge(s);
      }
      double got = merged.result();
      assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(got),
          () -> c.id() + ": split " + chunks.stream().map(Arrays::toString).collect(Collectors.joining()) + " gave " + got
              + ", whole batch " + whole);
    }
  }

  private static int perSampleRank(ReferenceCase c) {
    LossOptions o = ReferenceVectorsTest.build(c).options().toBuilder().reduction(Reduction.NONE).build();
    return o.create().call(c.yTrue(), c.yPred()).rank();
  }

  /** Random contiguous chunks [from, to) covering 0..b; the first trial uses single rows. */

  /** Rows [from, to) along axis 0. */
}
