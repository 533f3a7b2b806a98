package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.Reduction;

/**
 * Keras' probabilistic losses (its docs' category: the cross-entropies, Poisson and KLDivergence;
 * CTC has {@link CtcTest}) beyond the shared reference vectors:
 * option validation, tf.keras 2.x differences, ignore_class divisors, dtype-dependent clip bounds,
 * builders and catalogue entries. Expected values were computed independently (NumPy float32 or
 * closed forms) unless a comment names the reference case.
 */
class ProbabilisticLossesTest {
  private static final double F32_EPS = (float) 1e-7;

  private static NdArray m(double[]... rows) {
    return NdArray.matrix(rows);
  }

  private static IllegalArgumentException rejects(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run);
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' should mention '" + p + "'");
    }
  }

  @Nested
  class CatalogueAndBuilders {
    @Test
    void everyLossIsFoundByItsKerasIdentifiers() {
      assertSame(BinaryFocalCrossentropy.SPEC, LossCatalog.get("BinaryFocalCrossentropy"));
      assertSame(BinaryFocalCrossentropy.SPEC, LossCatalog.get("binary_focal_crossentropy"));
      assertSame(CategoricalCrossentropy.SPEC, LossCatalog.get("categorical_crossentropy"));
      assertSame(CategoricalFocalCrossentropy.SPEC, LossCatalog.get("categorical_focal_crossentropy"));
      assertSame(SparseCategoricalCrossentropy.SPEC, LossCatalog.get("sparse_categorical_crossentropy"));
      assertSame(Poisson.SPEC, LossCatalog.get("Poisson"));
      assertSame(Poisson.SPEC, LossCatalog.get("poisson"));
      for (String id : List.of("KLDivergence", "kl_divergence", "kld", "KLD", "kullback_leibler_divergence")) {
        assertSame(KLDivergence.SPEC, LossCatalog.get(id), id);
      }
    }

    @Test
    void defaultNamesAreKerasConfigNames() {
      assertEquals("binary_focal_crossentropy", BinaryFocalCrossentropy.builder().build().name());
      assertEquals("categorical_crossentropy", CategoricalCrossentropy.builder().build().name());
      assertEquals("categorical_focal_crossentropy", CategoricalFocalCrossentropy.builder().build().name());
      assertEquals("sparse_categorical_crossentropy", SparseCategoricalCrossentropy.builder().build().name());
      assertEquals("poisson", Poisson.builder().build().name());
      assertEquals("kl_divergence", KLDivergence.builder().build().name());
    }

    @Test
    void binaryFocalConfigHoldsKerasDefaultsInKerasGetConfigOrder() {
      Map<String, Object> c = BinaryFocalCrossentropy.builder().build().getConfig();
      // Keras' get_config lists the BCE options before the focal ones (unlike the constructor).
      assertEquals(List.of("name", "reduction", "from_logits", "label_smoothing", "axis", "apply_class_balancing",
          "alpha", "gamma"), List.copyOf(c.keySet()));
      assertEquals(false, c.get("apply_class_balancing"));
      assertEquals(0.25, c.get("alpha"));
      assertEquals(2.0, c.get("gamma"));
      assertEquals(false, c.get("from_logits"));
      assertEquals(0.0, c.get("label_smoothing"));
      assertEquals(-1, c.get("axis"));
      assertEquals("sum_over_batch_size", c.get("reduction"));
    }

    @Test
    void builderSettersReachTheConfig() {
      Loss l = BinaryFocalCrossentropy.builder().applyClassBalancing(true).alpha(0.3).gamma(1.5).fromLogits(true)
          .labelSmoothing(0.1).axis(0).reduction(Reduction.SUM).name("bf").build();
      Map<String, Object> c = l.getConfig();
      assertEquals(true, c.get("apply_class_balancing"));
      assertEquals(0.3, c.get("alpha"));
      assertEquals(1.5, c.get("gamma"));
      assertEquals(true, c.get("from_logits"));
      assertEquals(0.1, c.get("label_smoothing"));
      assertEquals(0, c.get("axis"));
      assertEquals("sum", c.get("reduction"));
      assertEquals("bf", c.get("name"));

      Map<String, Object> cf = CategoricalFocalCrossentropy.builder().alpha(0.1, 0.5, 0.9).gamma(0.0).build().getConfig();
      assertArrayEquals(new double[] {0.1, 0.5, 0.9}, (double[]) cf.get("alpha"));
      assertEquals(0.0, cf.get("gamma"));
      assertEquals(0.25, CategoricalFocalCrossentropy.builder().build().getConfig().get("alpha"));
    }

    @Test
    void sparseOptionsFollowKerasOrderAndDropTheClassAxis() {
      LossSpec s = SparseCategoricalCrossentropy.SPEC;
      assertEquals(List.of("from_logits", "ignore_class", "axis"), s.functionArgs());
      assertEquals(RowOutput.DROPS_CLASS_AXIS, s.rowOutput());
      Map<String, Object> c = SparseCategoricalCrossentropy.builder().build().getConfig();
      assertNull(c.get("ignore_class"));
      assertEquals(-1, c.get("axis"));
      assertEquals(-1, SparseCategoricalCrossentropy.builder().ignoreClass(-1).build().getConfig().get("ignore_class"));
    }

    @Test
    void poissonAndKldHaveNoOptions() {
      assertEquals(List.of("name", "reduction"), List.copyOf(Poisson.builder().build().getConfig().keySet()));
      assertEquals(List.of("name", "reduction"), List.copyOf(KLDivergence.builder().build().getConfig().keySet()));
    }
  }

  @Nested
  class OptionValidation {
    @Test
    void axisGivenAsBooleanIsRejectedNamingTheOption() {
      IllegalArgumentException e = rejects(() -> CategoricalCrossentropy.SPEC.newOptions().set("axis", true));
      assertMentions(e, "CategoricalCrossentropy", "'axis'", "true", "integer");
      rejects(() -> CategoricalFocalCrossentropy.SPEC.newOptions().set("axis", false));
      rejects(() -> SparseCategoricalCrossentropy.SPEC.newOptions().set("ignore_class", true));
    }

    @Test
    void focalParametersOutsideTheirRangesAreRejected() {
      assertMentions(rejects(() -> BinaryFocalCrossentropy.builder().alpha(1.5)), "BinaryFocalCrossentropy", "'alpha'", "1.5", "[0, 1]");
      assertMentions(rejects(() -> BinaryFocalCrossentropy.builder().gamma(-1)), "'gamma'", "-1", ">= 0");
      assertMentions(rejects(() -> CategoricalFocalCrossentropy.builder().alpha(0.2, -0.1)), "'alpha'", "-0.1");
      assertMentions(rejects(() -> CategoricalFocalCrossentropy.builder().labelSmoothing(1.5)), "'label_smoothing'", "1.5");
      assertMentions(rejects(() -> CategoricalFocalCrossentropy.builder().alpha(new double[0]).build()), "'alpha'", "empty");
      assertMentions(rejects(() -> SparseCategoricalCrossentropy.builder().set("alpha", 1.0)), "unknown option 'alpha'");
    }

    @Test
    void ignoreClassAcceptsIntegralJsonNumbersOnly() {
      assertEquals(255, SparseCategoricalCrossentropy.SPEC.newOptions().set("ignore_class", 255L).build().get("ignore_class"));
      assertMentions(rejects(() -> SparseCategoricalCrossentropy.SPEC.newOptions().set("ignore_class", 1.5)),
          "'ignore_class'", "1.5");
    }
  }

  @Nested
  class InputValidation {
    @Test
    void categoricalShapeMismatchNamesBothShapes() {
      IllegalArgumentException e = rejects(() -> CategoricalCrossentropy.builder().build()
          .call(m(new double[] {1, 0, 0}), m(new double[] {0.5, 0.5})));
      assertMentions(e, "CategoricalCrossentropy", "[1, 3]", "[1, 2]");
    }

    @Test
    void categoricalAxisOutOfRangeNamesAxisAndAllowedRange() {
      IllegalArgumentException e = rejects(() -> CategoricalCrossentropy.builder().axis(2).build()
          .call(m(new double[] {1, 0}), m(new double[] {0.5, 0.5})));
      assertMentions(e, "CategoricalCrossentropy", "'axis'", "2", "-2..1");
      rejects(() -> CategoricalFocalCrossentropy.builder().axis(-3).build()
          .call(m(new double[] {1, 0}), m(new double[] {0.5, 0.5})));
    }

    @Test
    void categoricalRejectsScalars() {
      assertMentions(rejects(() -> CategoricalCrossentropy.builder().build()
          .function(NdArray.scalar(1), NdArray.scalar(1))), "CategoricalCrossentropy", "scalar");
    }

    @Test
    void focalCategoricalRejectsColumnLabelsInsteadOfBroadcasting() {
      // Keras 3 would broadcast (2,1) labels over (2,3) predictions without a word.
      IllegalArgumentException e = rejects(() -> CategoricalFocalCrossentropy.builder().build()
          .function(m(new double[] {1}, new double[] {0}), m(new double[] {0.2, 0.3, 0.5}, new double[] {0.1, 0.1, 0.8})));
      assertMentions(e, "CategoricalFocalCrossentropy", "[2, 1]", "[2, 3]");
    }

    @Test
    void perClassAlphaMustMatchTheLastAxis() {
      IllegalArgumentException e = rejects(() -> CategoricalFocalCrossentropy.builder().alpha(0.1, 0.9).build()
          .call(m(new double[] {0, 1, 0}), m(new double[] {0.2, 0.5, 0.3})));
      assertMentions(e, "'alpha'", "2 per-class values", "has 3");
    }

    @Test
    void sparseLabelOutsideTheClassRangeNamesLabelAndClassCount() {
      IllegalArgumentException e = rejects(() -> SparseCategoricalCrossentropy.builder().build()
          .call(NdArray.vector(0, 5), m(new double[] {0.2, 0.5, 0.3}, new double[] {0.2, 0.5, 0.3})));
      assertMentions(e, "SparseCategoricalCrossentropy", "label 5", "[1]", "[0, 3)");
      assertMentions(rejects(() -> SparseCategoricalCrossentropy.builder().build()
          .call(NdArray.vector(-1), m(new double[] {0.5, 0.5}))), "label -1", "[0, 2)");
    }

    @Test
    void sparseNonIntegerLabelIsRejected() {
      IllegalArgumentException e = rejects(() -> SparseCategoricalCrossentropy.builder().build()
          .call(NdArray.vector(1.5), m(new double[] {0.2, 0.5, 0.3})));
      assertMentions(e, "label 1.5", "not an integer");
      rejects(() -> SparseCategoricalCrossentropy.builder().build()
          .call(NdArray.vector(Double.NaN), m(new double[] {0.2, 0.5, 0.3})));
    }

    @Test
    void sparseLabelShapeMustBePredictionShapeWithoutClassAxis() {
      IllegalArgumentException e = rejects(() -> SparseCategoricalCrossentropy.builder().build()
          .call(m(new double[] {0, 1}, new double[] {1, 0}), m(new double[] {0.2, 0.8}, new double[] {0.6, 0.4})));
      assertMentions(e, "SparseCategoricalCrossentropy", "[2]", "[2, 2]");
    }

    @Test
    void sparseAcceptsOnlyTheLastAxisLikeTensorFlow() {
      IllegalArgumentException e = rejects(() -> SparseCategoricalCrossentropy.builder().axis(0).build()
          .call(NdArray.vector(0, 1), m(new double[] {0.2, 0.8}, new double[] {0.6, 0.4})));
      assertMentions(e, "'axis'", "0", "last axis");
      NdArray t = NdArray.vector(0, 1);
      NdArray p = m(new double[] {0.2, 0.8}, new double[] {0.6, 0.4});
      assertEquals(SparseCategoricalCrossentropy.builder().build().call(t, p).item(),
          SparseCategoricalCrossentropy.builder().axis(1).build().call(t, p).item());
    }

    @Test
    void kldAndPoissonRejectDifferentShapes() {
      assertMentions(rejects(() -> KLDivergence.builder().build().call(m(new double[] {1, 0}), m(new double[] {1, 0, 0}))),
          "KLDivergence", "[1, 2]", "[1, 3]");
      rejects(() -> Poisson.builder().build().call(m(new double[] {1, 0}), m(new double[] {1, 0, 0})));
    }
  }

  @Nested
  class Keras2Differences {
    @Test
    void binaryFocalProbabilityPathHasEpsilonInsideTheLogs() {
      NdArray t = m(new double[] {1});
      NdArray p = m(new double[] {0});
      Loss k3 = BinaryFocalCrossentropy.builder().gamma(0).reduction(Reduction.NONE).build();
      Loss k2 = BinaryFocalCrossentropy.builder().gamma(0).reduction(Reduction.NONE).keras2(true).build();
      assertEquals(16.118095, k3.call(t, p).item(), 1e-6);  // -log(eps)
      assertEquals(15.424949, k2.call(t, p).item(), 1e-6);  // -log(eps + eps)
      // A perfect prediction costs exactly 0 in tf.keras 2.x and -log(1 - eps) in Keras 3.
      assertEquals(0.0, k2.call(t, m(new double[] {1})).item());
      assertEquals(1.1920929e-7, k3.call(t, m(new double[] {1})).item(), 1e-13);
    }

    @Test
    void binarySmoothingSubtractsTheTensorLabelSmoothingInKeras2() {
      // NumPy float32: keras2 f32(1) - f32(0.058) + 0.5 f32(0.058); Keras 3 f32(1 - 0.058) + f32(0.029).
      assertEquals(0.9710000157356262, BinaryCrossentropy.smoothBinary(1, 0.058, Numerics.of(DType.FLOAT32, true)));
      assertEquals(0.9709999561309814, BinaryCrossentropy.smoothBinary(1, 0.058, Numerics.of(DType.FLOAT32, false)));
    }

    @Test
    void binaryFocalLogitsPathIsTheSameInBothAndStable() {
      NdArray t = m(new double[] {1});
      NdArray x = m(new double[] {-30});
      Loss k3 = BinaryFocalCrossentropy.builder().gamma(0).fromLogits(true).reduction(Reduction.NONE).build();
      Loss k2 = BinaryFocalCrossentropy.builder().gamma(0).fromLogits(true).reduction(Reduction.NONE).keras2(true).build();
      assertEquals(30.0, k3.call(t, x).item());
      assertEquals(30.0, k2.call(t, x).item());
    }

    @Test
    void categoricalSmoothingDividesByTheLastAxisInKeras2() {
      // Reference case CategoricalCrossentropy-017: axis=1 smooths with C = y_pred.shape[1] = 3 in the
      // development line; Keras 3.15.x (the default) and tf.keras 2.x use C = y_true.shape[-1] = 2.
      NdArray t = NdArray.of(new double[] {1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0}, 2, 3, 2);
      NdArray p = NdArray.of(new double[] {0.8, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.8, 0.1, 0.1, 0.1}, 2, 3, 2);
      double k3 = CategoricalCrossentropy.builder().labelSmoothing(0.1).axis(1).kerasVersion("3.16").build().call(t, p).item();
      double k315 = CategoricalCrossentropy.builder().labelSmoothing(0.1).axis(1).build().call(t, p).item();
      double k2 = CategoricalCrossentropy.builder().labelSmoothing(0.1).axis(1).keras2(true).build().call(t, p).item();
      assertEquals(0.36177298, k3, 1e-7);
      assertEquals(0.44224486, k2, 1e-7);  // C = y_true.shape[-1] = 2
      assertEquals(0.44224486, k315, 1e-7);  // Keras 3.15.1 prints 0.44224489 (one float32 ulp away)
    }

    @Test
    void sparseAcceptsAnyAxisInKeras2() {
      // Class axis 0 of a (3, 2) y_pred: two positions with three classes each.
      NdArray p = m(new double[] {0.2, 0.6}, new double[] {0.5, 0.3}, new double[] {0.3, 0.1});
      NdArray pT = m(new double[] {0.2, 0.5, 0.3}, new double[] {0.6, 0.3, 0.1});
      NdArray labels = NdArray.vector(1, 0);
      Loss k2 = SparseCategoricalCrossentropy.builder().axis(0).keras2(true).reduction(Reduction.NONE).build();
      Loss last = SparseCategoricalCrossentropy.builder().keras2(true).reduction(Reduction.NONE).build();
      assertEquals(last.call(labels, pT), k2.call(labels, p));
    }
  }

  @Nested
  class IgnoreClass {
    private final NdArray labels = m(new double[] {-1, 2});
    private final NdArray logits = NdArray.of(new double[] {0.854, 0.698, 0.598, 0.088, 0.86, 0.018}, 1, 2, 3);

    @Test
    void ignoredPositionsAreZeroAndLeaveTheDivisor() {
      Loss mean = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).build();
      Loss sum = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).reduction(Reduction.SUM).build();
      Loss none = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).reduction(Reduction.NONE).build();
      assertEquals(1.480129, mean.call(labels, logits).item(), 1e-6);  // /1, not /2
      assertEquals(1.480129, sum.call(labels, logits).item(), 1e-6);
      NdArray v = none.call(labels, logits);
      assertArrayEquals(new int[] {1, 2}, v.shape());
      assertEquals(0.0, v.get(0));
      assertEquals(1.480129, v.get(1), 1e-6);
    }

    @Test
    void withoutIgnoreClassBothPositionsCount() {
      Loss mean = SparseCategoricalCrossentropy.builder().fromLogits(true).build();
      double both = mean.call(m(new double[] {0, 2}), logits).item();
      Loss none = SparseCategoricalCrossentropy.builder().fromLogits(true).reduction(Reduction.NONE).build();
      NdArray v = none.call(m(new double[] {0, 2}), logits);
      assertEquals((float) ((v.get(0) + v.get(1)) / 2), both, 1e-7);
    }

    @Test
    void functionalFormReturnsTheOutputMask() {
      PerSample ps = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).build()
          .function(labels, logits, DType.FLOAT32);
      assertArrayEquals(new double[] {0, 1}, ps.mask().toArray());
      assertEquals(0.0, ps.values().get(0));
    }

    @Test
    void ignoredLabelsNeedNotBeValidClasses() {
      Loss l = SparseCategoricalCrossentropy.builder().ignoreClass(255).reduction(Reduction.NONE).build();
      NdArray v = l.call(NdArray.vector(255, 0), m(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}));
      assertEquals(0.0, v.get(0));
      assertEquals(0.6931472, v.get(1), 1e-7);
    }

    @Test
    void allIgnoredGivesZeroNotNaN() {
      Loss mean = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).build();
      assertEquals(0.0, mean.call(m(new double[] {-1, -1}), logits).item());
    }

    @Test
    void chunkedAggregationDividesByValidPositionsOfTheWholeTable() {
      Loss l = SparseCategoricalCrossentropy.builder().fromLogits(true).ignoreClass(-1).build();
      NdArray rowsA = NdArray.of(new double[] {0.854, 0.698, 0.598, 1, 2, 3}, 2, 3);
      NdArray rowsB = NdArray.of(new double[] {0.088, 0.86, 0.018}, 1, 3);
      LossAggregation a = l.newAggregation();
      a.add(NdArray.vector(-1, 0), rowsA, null, null);
      LossAggregation b = l.newAggregation();
      b.add(NdArray.vector(2), rowsB, null, null);
      a.merge(b);
      NdArray all = NdArray.of(new double[] {0.854, 0.698, 0.598, 1, 2, 3, 0.088, 0.86, 0.018}, 3, 3);
      assertEquals(l.call(NdArray.vector(-1, 0, 2), all).item(), a.result());
    }
  }

  @Nested
  class ClipBoundsByDtype {
    private final NdArray certain = m(new double[] {1, 0});

    @Test
    void categoricalFloat32ClipsAtTheFloat32Bounds() {
      Loss cce = CategoricalCrossentropy.builder().build();
      assertEquals((float) -Math.log((float) (1 - F32_EPS)), cce.function(certain, certain, DType.FLOAT32).values().item(), 0.0);
      // TF prints 1.1920929e-7 (2^-23); -log(hi) lies just above the float32 midpoint, so the
      // correctly rounded log used here lands one float32 ulp (1.4e-14) higher.
      assertEquals(1.1920929e-7, cce.function(certain, certain, DType.FLOAT32).values().item(), 1.5e-14);
      assertEquals(16.118095, cce.function(m(new double[] {0, 1}), certain, DType.FLOAT32).values().item(), 1e-6);
    }

    @Test
    void categoricalFloat64ClipsAtOneMinusExactEpsilon() {
      Loss cce = CategoricalCrossentropy.builder().dtype(DType.FLOAT64).build();
      assertEquals(1.0000000494736474e-07, cce.function(certain, certain, DType.FLOAT64).values().item(), 1e-20);
      assertEquals(16.11809565095832, cce.function(m(new double[] {0, 1}), certain, DType.FLOAT64).values().item(), 1e-13);
      assertEquals(16.11809565095832, cce.call(m(new double[] {0, 1}), certain).item(), 1e-13);
    }

    @Test
    void sparseProbabilitiesAreClippedBeforeTheLogSoftmax() {
      // Oracle probe SparseCategoricalCrossentropy-024: TF clips, logs, then renormalises.
      Loss scce = SparseCategoricalCrossentropy.builder().build();
      assertEquals(15.424947738647461, scce.call(NdArray.vector(0), m(new double[] {5e-8, 0.5})).item(), 1e-6);
      Loss scce64 = SparseCategoricalCrossentropy.builder().dtype(DType.FLOAT64).build();
      assertEquals(-Math.log(1e-7 / (1e-7 + 0.5)), scce64.call(NdArray.vector(0), m(new double[] {5e-8, 0.5})).item(), 1e-12);
    }

    @Test
    void kldClipsZeroLabelsToEpsilonAndSums() {
      NdArray t = m(new double[] {1, 0});
      NdArray p = m(new double[] {0.5, 0.5});
      double expected64 = Math.log(2) + 1e-7 * Math.log(1e-7 / 0.5);
      assertEquals(expected64, KLDivergence.builder().dtype(DType.FLOAT64).build().call(t, p).item(), 1e-15);
      assertEquals(0.6931456327438354, KLDivergence.builder().build().call(t, p).item(), 1e-7);
      // Values above 1 are clipped to 1, so the loss is finite and equals the in-range result.
      assertEquals(KLDivergence.builder().build().call(t, p).item(),
          KLDivergence.builder().build().call(m(new double[] {3, 0}), p).item());
    }
  }

  @Nested
  class Formulas {
    @Test
    void binaryFocalWithGammaZeroAndNoBalancingIsBinaryCrossentropy() {
      NdArray t = m(new double[] {1, 0, 1}, new double[] {0, 0, 1});
      NdArray p = m(new double[] {0.9, 0.3, 0.2}, new double[] {0.1, 0.6, 0.7});
      assertEquals(BinaryCrossentropy.builder().build().call(t, p).item(),
          BinaryFocalCrossentropy.builder().gamma(0).build().call(t, p).item());
      assertEquals(BinaryCrossentropy.builder().labelSmoothing(0.2).build().call(t, p).item(),
          BinaryFocalCrossentropy.builder().gamma(0).labelSmoothing(0.2).build().call(t, p).item());
    }

    @Test
    void binaryFocalBalancingWeightsClassOneByAlpha() {
      // Reference probe BinaryFocalCrossentropy-022: (1-0.7)^1.5 (-log 0.7) 0.3 and 0.4^1.5 (-log 0.6) 0.7, averaged.
      Loss l = BinaryFocalCrossentropy.builder().applyClassBalancing(true).alpha(0.3).gamma(1.5)
          .reduction(Reduction.NONE).build();
      double expected = (Math.pow(0.3, 1.5) * -Math.log(0.7) * 0.3 + Math.pow(0.4, 1.5) * -Math.log(0.6) * 0.7) / 2;
      assertEquals(expected, l.call(m(new double[] {1, 0}), m(new double[] {0.7, 0.4})).item(), 1e-7);
    }

    @Test
    void categoricalLogitsUseMaxSubtractedLogSoftmax() {
      // log-softmax of [10, 0, 0] at index 0 is -log(1 + 2e^-10) = -9.0797e-5; x - (max + log sum) gives 9.06e-5.
      double v = CategoricalCrossentropy.builder().fromLogits(true).build()
          .call(m(new double[] {1, 0, 0}), m(new double[] {10, 0, 0})).item();
      assertEquals(Math.log1p(2 * Math.exp(-10)), v, 5e-8);
    }

    @Test
    void categoricalProbabilitiesAreRenormalisedFirst() {
      assertEquals(Math.log(2), CategoricalCrossentropy.builder().build()
          .call(m(new double[] {1, 0}), m(new double[] {2, 2})).item(), 1e-7);
    }

    @Test
    void focalCategoricalWithGammaZeroIsAlphaTimesCrossentropy() {
      NdArray t = m(new double[] {0, 1, 0}, new double[] {0, 0, 1});
      NdArray p = m(new double[] {0.05, 0.95, 0}, new double[] {0.1, 0.8, 0.1});
      double cce = CategoricalCrossentropy.builder().build().call(t, p).item();
      double cfce = CategoricalFocalCrossentropy.builder().gamma(0).alpha(1.0).build().call(t, p).item();
      assertEquals(cce, cfce);
    }

    @Test
    void perClassAlphaWeightsTheLastAxis() {
      NdArray t = m(new double[] {0, 1, 0});
      NdArray p = m(new double[] {0.2, 0.5, 0.3});
      double one = CategoricalFocalCrossentropy.builder().alpha(1.0).build().call(t, p).item();
      double perClass = CategoricalFocalCrossentropy.builder().alpha(9, 0.5, 9).build().call(t, p).item();
      assertEquals((float) (one * 0.5), perClass, 0.0);
    }

    @Test
    void sparseMatchesCategoricalOnOneHotLabels() {
      NdArray p = m(new double[] {0.05, 0.95, 0}, new double[] {0.1, 0.8, 0.1});
      NdArray logits = m(new double[] {8, 1, 1}, new double[] {0, 9, 1});
      NdArray oneHot = m(new double[] {0, 1, 0}, new double[] {0, 0, 1});
      NdArray ids = NdArray.vector(1, 2);
      Loss cce = CategoricalCrossentropy.builder().fromLogits(true).build();
      Loss scce = SparseCategoricalCrossentropy.builder().fromLogits(true).build();
      assertEquals(cce.call(oneHot, logits).item(), scce.call(ids, logits).item(), 1e-6);
      assertEquals(1.1769392, SparseCategoricalCrossentropy.builder().build().call(ids, p).item(), 1e-6);
    }

    @Test
    void sparseSqueezesASizeOneLabelAxis() {
      NdArray p = m(new double[] {0.05, 0.95, 0}, new double[] {0.1, 0.8, 0.1});
      Loss none = SparseCategoricalCrossentropy.builder().reduction(Reduction.NONE).build();
      assertEquals(none.call(NdArray.vector(1, 2), p), none.call(m(new double[] {1}, new double[] {2}), p));
    }

    @Test
    void poissonNegativePredictionIsNaNAndZeroLabelsCostThePrediction() {
      Loss l = Poisson.builder().reduction(Reduction.NONE).build();
      assertTrue(Double.isNaN(l.call(m(new double[] {1}), m(new double[] {-0.5})).item()));
      assertEquals(2.5, l.call(m(new double[] {0, 0}), m(new double[] {2, 3})).item());
    }
  }
}
