package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** Hinge, SquaredHinge and CategoricalHinge: the per-call label conversion and the plain formulas. */
class HingeLossesTest {
  private static final NdArray PRED = NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}});

  private static NdArray rows(double[]... r) {
    return NdArray.matrix(r);
  }

  private static float[] floats(NdArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i);
    }
    return f;
  }

  @Test
  void javadocExamplesGiveTheirDocumentedValues() {
    NdArray t = rows(new double[] {0, 1}, new double[] {0, 0});
    assertEquals(1.3f, (float) Hinge.builder().build().call(t, PRED).item());
    assertEquals(1.86f, (float) SquaredHinge.builder().build().call(t, PRED).item());
    assertEquals(1.4000001f, (float) CategoricalHinge.builder().build().call(t, PRED).item());
  }

  @Test
  void zeroOneLabelsBecomeMinusOneOne() {
    // y = [[-1, 1], [-1, -1]]: margins [[1.6, 0.6], [1.4, 1.6]].
    NdArray v = Hinge.builder().build().function(rows(new double[] {0, 1}, new double[] {0, 0}), PRED);
    assertArrayEquals(new float[] {1.1f, 1.5f}, floats(v));
  }

  @Test
  void minusOneOneLabelsPassThrough() {
    NdArray v = Hinge.builder().build().function(rows(new double[] {-1, 1}, new double[] {-1, -1}), PRED);
    assertArrayEquals(new float[] {1.1f, 1.5f}, floats(v));
  }

  @Test
  void aMixOfZeroOneAndMinusOneIsNotConvertedSoZerosStayZero() {
    // One -1 anywhere in the call disables the conversion for every row: the first row's 0 label
    // then gives max(1 - 0, 0) = 1, not 1.6.
    NdArray v = Hinge.builder().build().function(rows(new double[] {0, 1}, new double[] {-1, 0}), PRED);
    assertArrayEquals(new float[] {(1f + 0.6f) / 2, (1.4f + 1f) / 2}, floats(v));
    NdArray alone = Hinge.builder().build().function(rows(new double[] {0, 1}), rows(new double[] {0.6, 0.4}));
    assertArrayEquals(new float[] {1.1f}, floats(alone), "the same row on its own is converted");
  }

  @Test
  void theDecisionLooksAtLabelsInTheComputeDtype() {
    // 1 + 1e-9 is 1.0 in float32, so a float32 loss converts; in float64 it is not binary.
    NdArray t = rows(new double[] {0, 1 + 1e-9});
    NdArray p = rows(new double[] {0.5, 0.5});
    assertArrayEquals(new float[] {1.0f}, floats(Hinge.builder().build().call(t, p, null, null)));
    double f64 = Hinge.builder().dtype(DType.FLOAT64).build().call(t, p).item();
    assertEquals((1.0 + (1 - (1 + 1e-9) * 0.5)) / 2, f64, 1e-15);
  }

  @Test
  void squaredHingeSquaresTheMargin() {
    NdArray v = SquaredHinge.builder().reduction(Reduction.NONE).build()
        .call(rows(new double[] {-1, 1}, new double[] {1, 1}), rows(new double[] {0.5, -1}, new double[] {2, 0.5}));
    // margins [[1.5, 2], [0, 0.5]] -> squares [[2.25, 4], [0, 0.25]].
    assertArrayEquals(new float[] {3.125f, 0.125f}, floats(v));
  }

  @Test
  void squaredHingeConvertsZeroOneLabelsLikeHinge() {
    NdArray v = SquaredHinge.builder().build().function(rows(new double[] {0, 1}, new double[] {0, 0}), PRED);
    assertArrayEquals(new float[] {(1.6f * 1.6f + 0.6f * 0.6f) / 2, (1.4f * 1.4f + 1.6f * 1.6f) / 2}, floats(v), 1e-6f);
  }

  @Test
  void categoricalHingeUsesLabelsAsGiven() {
    // pos = sum(y * p), neg = max((1 - y) * p); zero labels are not turned into -1.
    NdArray v = CategoricalHinge.builder().build().function(rows(new double[] {0, 1, 0}, new double[] {1, 0, 0}),
        rows(new double[] {0.2, 0.5, 0.3}, new double[] {0.1, 0.7, 0.2}));
    assertArrayEquals(new float[] {0.8f, 1.6f}, floats(v), 1e-6f);
    NdArray clipped = CategoricalHinge.builder().build().function(rows(new double[] {0, 1}), rows(new double[] {-3, 5}));
    assertEquals(0.0, clipped.item());
  }

  @Test
  void identifiersAndConfigs() {
    for (LossSpec s : List.of(Hinge.SPEC, SquaredHinge.SPEC, CategoricalHinge.SPEC)) {
      assertEquals(s, LossCatalog.get(s.className()));
      assertEquals(s, LossCatalog.get(s.functionName()));
      assertEquals(s.functionName(), s.create().name());
      assertEquals(List.of("name", "reduction"), List.copyOf(s.create().getConfig().keySet()));
    }
    assertEquals("squared_hinge", SquaredHinge.SPEC.functionName());
  }

  @Test
  void shapeMismatchIsRejectedNamingTheLoss() {
    IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
        () -> Hinge.builder().build().call(rows(new double[] {1, 0, 1}), rows(new double[] {1, 0})));
    assertEquals("Hinge: y_true and y_pred must have the same shape, got [1, 3] and [1, 2]", h.getMessage());
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> CategoricalHinge.builder().build().call(rows(new double[] {1, 0, 1}), rows(new double[] {1, 0})));
    assertEquals("CategoricalHinge: y_true and y_pred must have the same shape, got [1, 3] and [1, 2]", c.getMessage());
  }
}
