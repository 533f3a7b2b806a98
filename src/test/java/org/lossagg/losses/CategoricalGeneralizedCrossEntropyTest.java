package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

class CategoricalGeneralizedCrossEntropyTest {
  private static final NdArray PROBS = NdArray.matrix(new double[][] {{0.7, 0.3}, {0.2, 0.8}});

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
  void qMustLieStrictlyBetweenZeroAndOne(double q) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CategoricalGeneralizedCrossEntropy.builder().q(q).build());
    String m = e.getMessage();
    assertTrue(m.contains("CategoricalGeneralizedCrossEntropy") && m.contains("'q'") && m.contains(String.valueOf(q))
        && m.contains("(0, 1)"), m);
  }

  @Test
  void qNearTheBoundsIsAccepted() {
    assertEquals(1e-9, CategoricalGeneralizedCrossEntropy.builder().q(1e-9).build().options().number("q"));
    assertEquals(0.999, CategoricalGeneralizedCrossEntropy.builder().q(0.999).build().options().number("q"));
    assertEquals(0.5, CategoricalGeneralizedCrossEntropy.builder().build().options().number("q"));
  }

  @Test
  void lossIsOneMinusPToTheQOverQ() {
    Loss gce = CategoricalGeneralizedCrossEntropy.builder().q(0.8).reduction(Reduction.NONE).build();
    NdArray v = gce.call(NdArray.vector(0, 1), PROBS);
    float q = 0.8f;
    assertEquals((float) ((1 - (float) Math.pow(0.7f, q)) / q), (float) v.get(0));
    assertEquals((float) ((1 - (float) Math.pow(0.8f, q)) / q), (float) v.get(1));
  }

  /** Keras gives 1/q (2.0) for a label outside [0, C) and truncates 2.5 to class 2; lossagg refuses them. */
  @ParameterizedTest
  @ValueSource(doubles = {2, -1, 1e12, 0.5, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
  void labelsThatAreNotClassIdsAreRefusedNamingTheLabel(double label) {
    Loss gce = CategoricalGeneralizedCrossEntropy.builder().reduction(Reduction.NONE).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> gce.call(NdArray.vector(0, label), PROBS));
    String m = e.getMessage();
    assertTrue(m.startsWith("CategoricalGeneralizedCrossEntropy: y_true label ") && m.contains(" at index [1] is ")
        && m.contains("[0, 2)"), m);
  }

  @Test
  void labelColumnBroadcastsToABatchByBatchMatrixAsInKeras() {
    // Probe gce_labels_rank2_column: (B,1) labels -> one_hot (B,1,C) * (B,C) -> (B,B).
    Loss gce = CategoricalGeneralizedCrossEntropy.builder().reduction(Reduction.NONE).build();
    NdArray v = gce.call(NdArray.matrix(new double[][] {{0}, {1}}), PROBS);
    assertArrayEquals(new int[] {2, 2}, v.shape());
    NdArray flat = gce.call(NdArray.vector(0, 1), PROBS);
    assertEquals(flat.get(0), v.get(0));
    assertEquals(flat.get(1), v.get(3));
    assertEquals(0.32667994f, (float) v.get(0));
    assertEquals(1.1055728f, (float) v.get(1));
  }

  @Test
  void specAndRowOutput() {
    assertEquals(RowOutput.DROPS_CLASS_AXIS, CategoricalGeneralizedCrossEntropy.SPEC.rowOutput());
    assertEquals("categorical_generalized_cross_entropy", CategoricalGeneralizedCrossEntropy.builder().build().name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CategoricalGeneralizedCrossEntropy.builder().build().call(NdArray.vector(0, 1, 0), PROBS));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
  }
}
