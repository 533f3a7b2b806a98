package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * The primitive kernels for rows whose y_true and y_pred are single numbers give bit for bit what
 * the general NdArray path gives: the same per-row function value (zero signs and NaN included)
 * and the same aggregation state bytes, for every catalogue loss that has a kernel, in float32 and
 * float64, Keras 3 and tf.keras 2.x numerics, on random rows drawn from edge values.
 */
class ScalarRowKernelTest {
  private static final double[] EDGES = {0.0, -0.0, 1.0, 1e-9, 1e-7, 0.99999988, 0.9999999, 0.5, 2.0, -1.0, -3.5,
      100.0, -100.0, 1e30, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
  private static final double[] WEIGHTS = {0.0, 1.0, 0.5, 2.0, 1e-9, 3.7, -1.0, 1e30, Double.NaN,
      Double.POSITIVE_INFINITY};

  /** Every catalogue loss (default options, and BCE's and focal BCE's variants) in each dtype and numerics mode. */
  static List<Loss> losses() {
    List<Map<String, Object>> variants = new ArrayList<>();
    List<Loss> out = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      variants.clear();
      variants.add(Map.of());
      if (spec == BinaryCrossentropy.SPEC) {
        variants.add(Map.of("from_logits", true));
        variants.add(Map.of("label_smoothing", 0.1));
        variants.add(Map.of("from_logits", true, "label_smoothing", 0.2));
      }
      if (spec == BinaryFocalCrossentropy.SPEC) {
        // Every branch of its float32 batch loop; label smoothing is the fallback.
        variants.add(Map.of("from_logits", true));
        variants.add(Map.of("apply_class_balancing", true));
        variants.add(Map.of("from_logits", true, "apply_class_balancing", true, "alpha", 0.6, "gamma", 0.5));
        variants.add(Map.of("gamma", 0.0));
        variants.add(Map.of("gamma", 0.5));
        variants.add(Map.of("apply_class_balancing", true, "alpha", 0.1, "gamma", 3.7));
        variants.add(Map.of("from_logits", true, "gamma", 0.0));
        variants.add(Map.of("from_logits", true, "gamma", 3.7));
        variants.add(Map.of("label_smoothing", 0.1));
        variants.add(Map.of("from_logits", true, "label_smoothing", 0.2, "apply_class_balancing", true));
      }
      out.addAll(LossVariants.inEachDTypeAndNumerics(spec, variants));
    }
    return out;
  }

  static List<Loss> kernelLosses() {
    return losses().stream().filter(l -> l.rowKernel().map(RowKernel::takesScalarRows).orElse(false)).toList();
  }

  @Test
  void theElementMeanLossesHaveKernelsExceptTheHinges() {
    List<String> withKernel = kernelLosses().stream().map(l -> l.spec().className()).distinct().toList();
    assertTrue(withKernel.containsAll(List.of("BinaryCrossentropy", "MeanSquaredError", "MeanAbsoluteError", "Huber",
        "LogCosh", "Poisson", "BinaryFocalCrossentropy")), withKernel.toString());
    assertFalse(withKernel.contains("Hinge"));
    assertFalse(withKernel.contains("SquaredHinge"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelLosses")
  void scalarFunctionEqualsFunctionOnRow(Loss loss) {
    Random rnd = new Random(loss.toString().hashCode());
    for (int i = 0; i < 3000; i++) {
      double t = draw(rnd);
      double p = draw(rnd);
      for (DType dtype : DType.values()) {
        double general = loss.functionOnRow(NdArray.scalar(t), NdArray.scalar(p), dtype).values().item();
        double fast = loss.rowKernel().orElseThrow().scalarFunction(t, p, dtype);
        assertEquals(Double.valueOf(general), Double.valueOf(fast), () -> loss + " " + dtype + " at y_true=" + t
            + ", y_pred=" + p);
      }
    }
  }

  /** The float32 batch loops ({@link RowKernel#float32Values}) give each row the per-row function's bits. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelLosses")
  void float32BatchLoopsGiveEachRowTheFunctionsBits(Loss loss) {
    if (loss.numerics().dtype() != DType.FLOAT32) {
      return;
    }
    Random rnd = new Random(loss.toString().hashCode() + 5L);
    int count = 4096;
    float[] t = new float[count];
    float[] p = new float[count];
    for (int i = 0; i < count; i++) {
      t[i] = (float) draw(rnd);
      p[i] = (float) (rnd.nextInt(4) == 0 ? draw(rnd) : (rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(12)));
    }
    float[] out = new float[count];
    loss.rowKernel().orElseThrow().float32Values(t, p, count, out);
    for (int i = 0; i < count; i++) {
      float want = (float) loss.functionOnRow(NdArray.scalar(t[i]), NdArray.scalar(p[i]), DType.FLOAT32).values().item();
      assertEquals(Float.valueOf(want), Float.valueOf(out[i]), loss + " at y_true=" + t[i] + ", y_pred=" + p[i]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelLosses")
  void kernelRowsGiveTheGeneralPathsStateBytes(Loss loss) {
    Random rnd = new Random(~loss.toString().hashCode());
    for (int trial = 0; trial < 40; trial++) {
      boolean weighted = trial % 2 == 1;
      // Batches of 1, 7 and 512 rows (a float32 state takes whole batches).
      KernelRows fast = new KernelRows(loss, new int[] {1, 7, 512}[trial % 3]);
      LossAggregation general = loss.newAggregation();
      // Mostly finite rows, so that most states have a finite sum whose digits are compared.
      boolean specials = trial % 4 >= 2;
      for (int i = 0; i < 200; i++) {
        double t = specials ? draw(rnd) : finite(rnd);
        double p = specials ? draw(rnd) : finite(rnd);
        NdArray yt = NdArray.of(new double[] {t}, 1, 1);
        NdArray yp = NdArray.of(new double[] {p}, 1, 1);
        if (weighted) {
          double w = specials ? WEIGHTS[rnd.nextInt(WEIGHTS.length)] : Math.abs(finite(rnd));
          fast.add(t, p, true, w);
          general.add(yt, yp, NdArray.of(new double[] {w}, 1), null);
        } else {
          fast.add(t, p, false, 0.0);
          general.add(yt, yp, null, null);
        }
      }
      assertArrayEquals(general.toBytes(), fast.state().toBytes(), loss + " trial " + trial);
      assertEquals(Double.valueOf(general.result()), Double.valueOf(fast.state().result()));
    }
  }

  /** Rows spread over three aggregations, merged in a random order: the general path's bytes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelLosses")
  void mergedScalarRowStatesGiveTheGeneralPathsStateBytes(Loss loss) {
    Random rnd = new Random(loss.toString().hashCode() * 31L);
    for (int trial = 0; trial < 30; trial++) {
      boolean weighted = trial % 2 == 1;
      boolean specials = trial % 4 >= 2;
      KernelRows[] parts = new KernelRows[3];
      for (int k = 0; k < 3; k++) {
        parts[k] = new KernelRows(loss, 1 + rnd.nextInt(600));
      }
      LossAggregation general = loss.newAggregation();
      for (int i = 0; i < 300; i++) {
        double t = specials ? draw(rnd) : finite(rnd);
        double p = specials ? draw(rnd) : finite(rnd);
        KernelRows part = parts[rnd.nextInt(3)];
        NdArray yt = NdArray.of(new double[] {t}, 1, 1);
        NdArray yp = NdArray.of(new double[] {p}, 1, 1);
        if (weighted) {
          double w = specials ? WEIGHTS[rnd.nextInt(WEIGHTS.length)] : Math.abs(finite(rnd));
          part.add(t, p, true, w);
          general.add(yt, yp, NdArray.of(new double[] {w}, 1), null);
        } else {
          part.add(t, p, false, 0.0);
          general.add(yt, yp, null, null);
        }
        if (rnd.nextInt(100) == 0) {
          part.state().result();
        }
      }
      int first = rnd.nextInt(3);
      parts[first].state().merge(parts[(first + 1) % 3].state());
      parts[(first + 2) % 3].state().merge(parts[first].state());
      LossAggregation fast = parts[(first + 2) % 3].state();
      assertArrayEquals(general.toBytes(), fast.toBytes(), loss + " trial " + trial);
      assertEquals(Double.valueOf(general.result()), Double.valueOf(fast.result()));
    }
  }

  @Test
  void hardLabelBceKeepsTheTwoTermValueAtTheClipBounds() {
    for (DType dtype : DType.values()) {
      Loss bce = BinaryCrossentropy.builder().dtype(dtype).build();
      for (double t : new double[] {0.0, -0.0, 1.0}) {
        for (double p : new double[] {0.0, 1.0, 1e-9, 1e-7, 0.99999988, 0.9999999, 1.0 - 1e-16, -5.0, 5.0, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
          double general = bce.functionOnRow(NdArray.scalar(t), NdArray.scalar(p), dtype).values().item();
          assertEquals(Double.valueOf(general), Double.valueOf(bce.rowKernel().orElseThrow().scalarFunction(t, p, dtype)),
              dtype + " y_true=" + t + " y_pred=" + p);
        }
      }
    }
  }

  /** Half edge values, half random probabilities, hard labels and wide-range numbers. */
  private static double draw(Random rnd) {
    return rnd.nextBoolean() ? EDGES[rnd.nextInt(EDGES.length)] : finite(rnd);
  }

  private static double finite(Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0:
        return rnd.nextDouble();
      case 1:
        return rnd.nextInt(2);
      case 2:
        return (rnd.nextDouble() - 0.5) * 20;
      default:
        return rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6);
    }
  }
}
