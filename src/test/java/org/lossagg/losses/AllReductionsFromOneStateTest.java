package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * {@link LossAggregation#result(Reduction)}: one state answers for every reduction exactly as the
 * loss configured with that reduction does (Keras' class form on the whole batch), bit for bit.
 */
class AllReductionsFromOneStateTest {
  private static final List<Reduction> REDUCED = List.of(Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE,
      Reduction.MEAN, Reduction.MEAN_WITH_SAMPLE_WEIGHT);

  static List<ReferenceCase> cases() {
    return AggregationConsistencyTest.splittableCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyReductionFromOneStateEqualsTheLossConfiguredWithIt(ReferenceCase c) {
    Loss loss = ReferenceVectorsTest.build(c);
    NdArray sw = c.sampleWeight();
    LossAggregation state = loss.newAggregation();
    state.add(c.yTrue(), c.yPred(), sw, c.mask());
    for (Reduction r : REDUCED) {
      Loss withR = loss.options().toBuilder().reduction(r).build().create();
      double want = withR.call(c.yTrue(), c.yPred(), sw, c.mask()).item();
      double got = state.result(r);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
          () -> c.id() + " " + r.kerasName() + ": state gave " + got + ", the loss configured with it " + want);
    }
  }
}
