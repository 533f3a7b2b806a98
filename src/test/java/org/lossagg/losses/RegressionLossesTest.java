package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** MAE, MAPE, MSLE, CosineSimilarity, Huber and LogCosh: edge values, options, keras2 differences. */
class RegressionLossesTest {
  private static NdArray m(double[]... rows) {
    return NdArray.matrix(rows);
  }

  private static double scalar(Loss loss, NdArray yTrue, NdArray yPred) {
    return loss.call(yTrue, yPred).item();
  }

  @Test
  void javadocExamplesGiveTheirDocumentedValues() {
    NdArray t01 = m(new double[] {0, 1}, new double[] {0, 0});
    assertEquals(0.5f, (float) scalar(MeanAbsoluteError.builder().build(), t01, m(new double[] {1, 1}, new double[] {1, 0})));
    assertEquals(18.75f, (float) scalar(MeanAbsolutePercentageError.builder().build(),
        m(new double[] {1, 2}, new double[] {4, 5}), m(new double[] {1.5, 2}, new double[] {3, 5})));
    assertEquals(0.24022643f, (float) scalar(MeanSquaredLogarithmicError.builder().build(), t01,
        m(new double[] {1, 1}, new double[] {1, 0})));
    assertEquals(-0.49999997f, (float) scalar(CosineSimilarity.builder().build(),
        m(new double[] {0, 1}, new double[] {1, 1}), m(new double[] {1, 0}, new double[] {1, 1})));
    assertEquals(0.155f, (float) scalar(Huber.builder().build(), t01, m(new double[] {0.6, 0.4}, new double[] {0.4, 0.6})));
    assertEquals(0.1084452f, (float) scalar(LogCosh.builder().build(), t01, m(new double[] {1, 1}, new double[] {0, 0})));
  }

  @Test
  void identifiersResolveToTheirLoss() {
    Map<String, LossSpec> ids = Map.ofEntries(
        Map.entry("MeanAbsoluteError", MeanAbsoluteError.SPEC), Map.entry("mean_absolute_error", MeanAbsoluteError.SPEC),
        Map.entry("mae", MeanAbsoluteError.SPEC), Map.entry("MAE", MeanAbsoluteError.SPEC),
        Map.entry("mean_absolute_percentage_error", MeanAbsolutePercentageError.SPEC),
        Map.entry("mape", MeanAbsolutePercentageError.SPEC), Map.entry("MAPE", MeanAbsolutePercentageError.SPEC),
        Map.entry("mean_squared_logarithmic_error", MeanSquaredLogarithmicError.SPEC),
        Map.entry("msle", MeanSquaredLogarithmicError.SPEC), Map.entry("MSLE", MeanSquaredLogarithmicError.SPEC),
        Map.entry("CosineSimilarity", CosineSimilarity.SPEC), Map.entry("cosine_similarity", CosineSimilarity.SPEC),
        Map.entry("Huber", Huber.SPEC), Map.entry("huber", Huber.SPEC), Map.entry("huber_loss", Huber.SPEC),
        Map.entry("LogCosh", LogCosh.SPEC), Map.entry("log_cosh", LogCosh.SPEC), Map.entry("logcosh", LogCosh.SPEC));
    ids.forEach((id, spec) -> assertEquals(spec, LossCatalog.get(id), id));
    assertTrue(LossCatalog.find("Mae").isEmpty(), "identifiers are case-sensitive, as in Keras");
  }

  @Test
  void configsHoldNameReductionAndOptionsWithKerasDefaults() {
    assertEquals(List.of("name", "reduction"), List.copyOf(MeanAbsoluteError.builder().build().getConfig().keySet()));
    Map<String, Object> huber = Huber.builder().build().getConfig();
    assertEquals("huber_loss", huber.get("name"));
    assertEquals(1.0, huber.get("delta"));
    assertEquals("huber", Huber.SPEC.functionName());
    assertEquals(List.of("delta"), Huber.SPEC.functionArgs());
    Map<String, Object> cos = CosineSimilarity.builder().build().getConfig();
    assertEquals("cosine_similarity", cos.get("name"));
    assertEquals(-1, cos.get("axis"));
    assertEquals("sum_over_batch_size", cos.get("reduction"));
    assertEquals("log_cosh", LogCosh.builder().build().name());
  }

  @Test
  void mapeWithZeroTargetDividesByEpsilon() {
    // |0 - 1| / max(0, 1e-7) = 1e7 per element, times 100 after the mean.
    NdArray v = MeanAbsolutePercentageError.builder().build().function(m(new double[] {0, 0}), m(new double[] {1, 1}));
    assertEquals(1e9f, (float) v.get(0));
    NdArray one = MeanAbsolutePercentageError.builder().reduction(Reduction.NONE).build()
        .call(m(new double[] {0, 2}), m(new double[] {1, 2}));
    // mean(1e7, 0) * 100 = 5e8 (oracle probe mape_zero_target).
    assertEquals(5e8f, (float) one.get(0));
  }

  @Test
  void mapeUsesTheAbsoluteTargetAsDivisor() {
    NdArray v = MeanAbsolutePercentageError.builder().build().function(NdArray.vector(-4), NdArray.vector(-3));
    assertEquals(25f, (float) v.item());
  }

  @Test
  void msleFloorsNegativeValuesAtEpsilonNotZero() {
    Loss msle = MeanSquaredLogarithmicError.builder().build();
    assertEquals(0.0, msle.function(NdArray.vector(-3), NdArray.vector(-7)).item());
    float floored = (float) msle.function(NdArray.vector(1), NdArray.vector(-7)).item();
    float atEps = (float) msle.function(NdArray.vector(1), NdArray.vector(1e-7)).item();
    assertEquals(atEps, floored);
  }

  @Test
  void msleFloorIsFloat32EpsilonInKeras3AndTheDtypeEpsilonInKeras2() {
    // Keras 3 builds this epsilon as a float32 tensor even for float64 inputs; tf.keras 2.x converts 1e-7 to the dtype.
    NdArray t = NdArray.vector(0.5);
    NdArray p = NdArray.vector(-5);
    double k3 = MeanSquaredLogarithmicError.builder().build().function(t, p, DType.FLOAT64).values().item();
    double k2 = MeanSquaredLogarithmicError.builder().keras2(true).build().function(t, p, DType.FLOAT64).values().item();
    double d3 = Math.log((double) (float) 1e-7 + 1.0) - Math.log(1.5);
    double d2 = Math.log(1e-7 + 1.0) - Math.log(1.5);
    assertEquals(d3 * d3, k3);
    assertEquals(d2 * d2, k2);
    assertNotEquals(k3, k2);
  }

  @Test
  void cosineOfAZeroVectorIsNegativeZero() {
    NdArray v = CosineSimilarity.builder().build().function(m(new double[] {0, 0}), m(new double[] {1, 2}));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v.get(0)));
  }

  @Test
  void cosineAxisOptionSelectsTheFeatureAxis() {
    NdArray t = m(new double[] {1, 0}, new double[] {0, 1});
    NdArray p = m(new double[] {1, 1}, new double[] {0, 1});
    CosineSimilarity cols = CosineSimilarity.builder().axis(0).build();
    // Column 0: (1,0)·(1,0) = 1; column 1: (0,1)·(1,1)/sqrt(2).
    NdArray v = cols.function(t, p);
    assertArrayEquals(new int[] {2}, v.shape());
    assertEquals(-1.0f, (float) v.get(0));
    assertEquals(-0.70710677f, (float) v.get(1));
    assertEquals(0, cols.getConfig().get("axis"));
  }

  @Test
  void cosineKeras2FloorsTheSquaredNormAt1e12() {
    // Squared norm 9e-14: above Keras 3's eps^2 = 1e-14 (normalised to 1), below tf.keras 2.x's 1e-12
    // (scaled by 1e6 instead, giving 0.3).
    NdArray t = m(new double[] {3e-7, 0});
    NdArray p = m(new double[] {1, 0});
    assertEquals(-1.0f, (float) CosineSimilarity.builder().build().function(t, p).item(), 1e-6f);
    assertEquals(-0.3f, (float) CosineSimilarity.builder().keras2(true).build().function(t, p).item(), 1e-6f);
  }

  @Test
  void cosineRejectsABadAxisNamingLossAndRank() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CosineSimilarity.builder().axis(2).build().call(m(new double[] {1, 2}), m(new double[] {1, 2})));
    assertTrue(e.getMessage().startsWith("CosineSimilarity: axis 2 is out of range for inputs of rank 2"), e.getMessage());
    assertTrue(e.getMessage().contains("-2..1"), e.getMessage());
    IllegalArgumentException bool = assertThrows(IllegalArgumentException.class,
        () -> CosineSimilarity.builder().set("axis", true));
    assertEquals("CosineSimilarity: option 'axis' got true; expected an integer axis", bool.getMessage());
  }

  @Test
  void regressionLossesRejectDifferentShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MeanAbsoluteError.builder().build().call(m(new double[] {1, 2}), m(new double[] {1, 2, 3})));
    assertEquals("MeanAbsoluteError: y_true and y_pred must have the same shape, got [1, 2] and [1, 3]", e.getMessage());
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> CosineSimilarity.builder().build().call(m(new double[] {1, 2}), m(new double[] {1, 2, 3})));
    assertEquals("CosineSimilarity: y_true and y_pred must have the same shape, got [1, 2] and [1, 3]", c.getMessage());
  }

  @Test
  void functionalFormsAlignRanksThemselves() {
    // y_true (2,) against y_pred (2,1): y_true is expanded to (2,1), giving one value per row.
    NdArray t = NdArray.vector(1, 2);
    NdArray p = NdArray.of(new double[] {2, 4}, 2, 1);
    for (LossSpec s : List.of(MeanAbsoluteError.SPEC, MeanAbsolutePercentageError.SPEC, MeanSquaredLogarithmicError.SPEC,
        CosineSimilarity.SPEC, Huber.SPEC, LogCosh.SPEC)) {
      assertArrayEquals(new int[] {2}, s.create().function(t, p).shape(), s.className());
    }
    assertArrayEquals(new float[] {1, 2}, toFloats(MeanAbsoluteError.SPEC.create().function(t, p)));
  }

  @Test
  void huberBoundaryUsesTheQuadraticBranch() {
    // At |e| == delta both branches agree for ordinary values, so the branch shows only where they
    // differ: with delta = e = +inf the quadratic branch gives 0.5 * inf^2 = inf, the linear one
    // inf * inf - 0.5 * inf^2 = NaN.
    Huber unbounded = Huber.builder().delta(Double.POSITIVE_INFINITY).build();
    assertEquals(Double.POSITIVE_INFINITY, unbounded.function(NdArray.vector(0), NdArray.vector(Double.POSITIVE_INFINITY)).item());
    Huber huber = Huber.builder().delta(2.0).build();
    assertEquals(2.0, huber.function(NdArray.vector(0), NdArray.vector(2)).item());
    assertEquals(3.0, huber.function(NdArray.vector(0), NdArray.vector(2.5)).item());
    assertEquals(0.5 * 1.9 * 1.9, huber.function(NdArray.vector(0), NdArray.vector(1.9), DType.FLOAT64).values().item(), 1e-15);
  }

  @Test
  void huberErrorIsPredictionMinusTruthAndSymmetric() {
    Huber huber = Huber.builder().build();
    assertEquals(1.5, huber.function(NdArray.vector(0), NdArray.vector(2)).item());
    assertEquals(1.5, huber.function(NdArray.vector(2), NdArray.vector(0)).item());
  }

  @Test
  void huberDeltaMustBeAPositiveNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Huber.builder().set("delta", "one"));
    assertEquals("Huber: option 'delta' got 'one'; expected a number > 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Huber.builder().delta(Double.NaN));
    // Keras does not check the sign: a negative delta always takes the linear branch (-1.0 here); lossagg refuses it.
    assertEquals("Huber: option 'delta' got -1.0; expected a number > 0",
        assertThrows(IllegalArgumentException.class, () -> Huber.builder().delta(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Huber.builder().delta(0));
  }

  @Test
  void huberKeras2AlwaysComputesInFloat32() {
    NdArray t = NdArray.vector(0.1, 0.2);
    NdArray p = NdArray.vector(0.35, 0.9);
    double k3 = Huber.builder().dtype(DType.FLOAT64).build().call(t, p).item();
    double k2 = Huber.builder().dtype(DType.FLOAT64).keras2(true).build().call(t, p).item();
    double f32 = Huber.builder().build().call(t, p).item();
    assertEquals(f32, k2);
    assertEquals((float) k2, k2, "tf.keras 2.x huber returns floatx");
    assertNotEquals(k3, k2);
    assertEquals(DType.FLOAT32, Huber.builder().dtype(DType.FLOAT64).keras2(true).build().numerics().dtype());
    // The functional form too: float64 inputs are cast to floatx in tf.keras 2.x, kept in Keras 3.
    Huber k2f = Huber.builder().keras2(true).build();
    assertEquals(f32, k2f.function(t, p, DType.FLOAT64).values().item());
    assertEquals(k3, Huber.builder().build().function(t, p, DType.FLOAT64).values().item());
  }

  @Test
  void logCoshIsStableForLargeErrors() {
    LogCosh lc = LogCosh.builder().build();
    assertEquals(49.3069, lc.function(NdArray.vector(0), NdArray.vector(50)).item(), 1e-4);
    assertEquals(49.306854f, (float) lc.function(NdArray.vector(0), NdArray.vector(50)).item());
    assertEquals(49.306854f, (float) lc.function(NdArray.vector(50), NdArray.vector(0)).item());
    assertEquals(0.0, lc.function(NdArray.vector(3), NdArray.vector(3)).item());
    double big = lc.function(NdArray.vector(0), NdArray.vector(1e6)).item();
    assertTrue(Double.isFinite(big), "log(cosh(1e6)) must not overflow: " + big);
  }

  @Test
  void logCoshSubtractsFloat32LogTwoEvenInFloat64() {
    // Keras takes ops.log(2.0) in float32 and then converts it: log cosh(0) = 0 exactly only because
    // softplus(0) rounded to float32 equals float32(log 2); in float64 the two differ.
    double v = LogCosh.builder().build().function(NdArray.vector(0), NdArray.vector(0), DType.FLOAT64).values().item();
    assertEquals(Math.log(2.0) - (double) (float) Math.log(2.0), v);
  }

  private static float[] toFloats(NdArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i);
    }
    return f;
  }
}
