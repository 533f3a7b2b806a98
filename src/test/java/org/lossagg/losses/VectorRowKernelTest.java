package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * The float32 kernels for rows of 1-D arrays ({@link RowKernel.Vector}, through {@link PerSampleAggregation#addVectorRow}) give bit
 * for bit the general NdArray path's state: Categorical and SparseCategoricalCrossentropy from
 * logits and from probabilities, Keras 3 and tf.keras 2.x numerics, widths 1 to 12 and 1,000, one-hot, soft and
 * odd labels, logits from -1e30 to 1e30 with NaN and infinities, weighted and unweighted rows.
 * Also: float32 scalar rows in batches that fill, switch between weighted and unweighted rows,
 * and drain at any read give the general path's bytes.
 */
class VectorRowKernelTest {
  private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 100.0, -100.0, 88.0, -88.0, 1e30, -1e30, 1e-40,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

  static List<Loss> vectorLosses() {
    List<Loss> out = new ArrayList<>();
    for (boolean logits : new boolean[] {true, false}) {
      for (boolean keras2 : new boolean[] {false, true}) {
        out.add(CategoricalCrossentropy.SPEC.newOptions().set("from_logits", logits).keras2(keras2).build().create());
        // Label smoothing (the demo's CCE has 0.1), in both numerics and the development line.
        out.add(CategoricalCrossentropy.SPEC.newOptions().set("from_logits", logits).set("label_smoothing", 0.1)
            .keras2(keras2).build().create());
      }
      out.add(CategoricalCrossentropy.SPEC.newOptions().set("from_logits", logits).set("label_smoothing", 0.37)
          .kerasVersion(KerasVersion.DEVELOPMENT).build().create());
    }
    return out;
  }

  @Test
  void onlyFloat32LastAxisRowsTakeTheKernel() {
    assertTrue(vectorLosses().get(0).rowKernel().orElseThrow().vectorRows().isPresent());
    Loss f64 = CategoricalCrossentropy.SPEC.newOptions().dtype(DType.FLOAT64).build().create();
    assertFalse(f64.rowKernel().orElseThrow().vectorRows().isPresent());
    Loss smoothed = CategoricalCrossentropy.SPEC.newOptions().set("label_smoothing", 0.1).build().create();
    assertTrue(smoothed.rowKernel().orElseThrow().vectorRows().isPresent());
    Loss axis0 = CategoricalCrossentropy.SPEC.newOptions().set("axis", 0).build().create();
    assertFalse(axis0.rowKernel().isPresent());
  }

  static List<Loss> allVectorLosses() {
    List<Loss> all = new ArrayList<>(vectorLosses());
    all.addAll(sparseLosses());
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allVectorLosses")
  void addVectorRowGivesTheGeneralPathsStateBytes(Loss loss) {
    Random rnd = new Random(loss.toString().hashCode());
    boolean logits = loss.toString().contains("from_logits=true");
    boolean sparse = loss.rowKernel().orElseThrow().vectorScalarTrue();
    for (int trial = 0; trial < 60; trial++) {
      boolean weighted = trial % 2 == 1;
      boolean specials = trial % 4 >= 2;
      int width = trial % 10 == 9 ? 1000 : 1 + rnd.nextInt(12);
      PerSampleAggregation fast = loss.rowKernel().orElseThrow().newAggregation();
      LossAggregation general = loss.newAggregation();
      for (int i = 0; i < (width > 100 ? 20 : 150); i++) {
        double[] t = sparse ? new double[] {rnd.nextInt(width)} : labels(rnd, width, specials);
        double[] p = new double[width];
        for (int j = 0; j < width; j++) {
          p[j] = specials && rnd.nextInt(8) == 0 ? EDGES[rnd.nextInt(EDGES.length)]
              : (logits ? (rnd.nextDouble() - 0.5) * 30 : rnd.nextDouble());
        }
        double w = rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble() * 3;
        assertTrue(fast.addVectorRow(floats(t), floats(p), width, weighted, w));
        general.add(NdArray.of(t, 1, t.length), NdArray.of(p, 1, width), weighted ? NdArray.of(new double[] {w}, 1) : null,
            null);
      }
      String what = loss + " trial " + trial + " width " + width;
      assertArrayEquals(general.toBytes(), fast.toBytes(), what);
      assertEquals(Double.valueOf(general.result()), Double.valueOf(fast.result()), what);
    }
  }

  /**
   * Row by row, the logits kernel's value has the per-sample function's bits, including the rows
   * its fast pass hands back: a zero maximum (either sign), NaN, infinities, ranges whose
   * log-softmax overflows (±3e38), and labels that are NaN, infinite or -0.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorLosses")
  void logitRowsHaveThePerSampleFunctionsBitsRowByRow(Loss loss) {
    if (!loss.toString().contains("from_logits=true")) {
      return;
    }
    double[] values = {0.0, -0.0, -1.0, -0.5, 2.0, -3e38, 3e38, 1e-40, -88.0, 1e30, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] labelValues = {0.0, -0.0, 1.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY};
    Random rnd = new Random(7);
    for (int row = 0; row < 20_000; row++) {
      int width = row % 500 == 0 ? 1000 : 1 + rnd.nextInt(6);
      boolean plain = rnd.nextInt(3) == 0;
      double[] t = new double[width];
      double[] x = new double[width];
      t[rnd.nextInt(width)] = 1.0;
      for (int j = 0; j < width; j++) {
        x[j] = plain ? -rnd.nextInt(3) * 0.5 : values[rnd.nextInt(values.length)];
        if (!plain && rnd.nextInt(4) == 0) {
          t[j] = labelValues[rnd.nextInt(labelValues.length)];
        }
      }
      float want = (float) loss.function(NdArray.of(t, 1, width), NdArray.of(x, 1, width)).get(0);
      float got = loss.rowKernel().orElseThrow().vectorRowFunction(floats(t), floats(x), width);
      assertEquals(Float.valueOf(want), Float.valueOf(got),
          loss + " row " + java.util.Arrays.toString(x) + " labels " + java.util.Arrays.toString(t));
    }
  }

  private static double[] labels(Random rnd, int width, boolean specials) {
    double[] t = new double[width];
    switch (rnd.nextInt(specials ? 4 : 2)) {
      case 0:
        t[rnd.nextInt(width)] = 1.0;
        break;
      case 1:
        for (int j = 0; j < width; j++) {
          t[j] = rnd.nextDouble() / width;
        }
        break;
      case 2:
        for (int j = 0; j < width; j++) {
          t[j] = EDGES[rnd.nextInt(EDGES.length)];
        }
        break;
      default:
        break;
    }
    return t;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length + 3];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static List<Loss> sparseLosses() {
    List<Loss> out = new ArrayList<>();
    for (boolean logits : new boolean[] {true, false}) {
      for (boolean keras2 : new boolean[] {false, true}) {
        out.add(SparseCategoricalCrossentropy.SPEC.newOptions().set("from_logits", logits).keras2(keras2).build()
            .create());
      }
    }
    return out;
  }

  /** Sparse labels the general path refuses (outside [0, C), not an integer) are not taken. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sparseLosses")
  void sparseLabelsTheGeneralPathRefusesAreNotTaken(Loss loss) {
    assertTrue(loss.rowKernel().orElseThrow().vectorScalarTrue());
    PerSampleAggregation agg = loss.rowKernel().orElseThrow().newAggregation();
    for (float bad : new float[] {-1f, 3f, 1.5f, Float.NaN}) {
      assertFalse(agg.addVectorRow(new float[] {bad}, new float[] {0.2f, 0.3f, 0.5f}, 3, false, 0.0), "label " + bad);
    }
    assertEquals(0L, agg.accumulator().elementCount(), "refused rows leave the state empty");
  }

  @Test
  void batchedScalarRowsGiveTheGeneralPathsStateBytes() {
    Loss bce = BinaryCrossentropy.SPEC.newOptions().build().create();
    Random rnd = new Random(11);
    KernelRows fast = new KernelRows(bce, 512);
    LossAggregation general = bce.newAggregation();
    for (int i = 0; i < 5000; i++) {
      double t = rnd.nextInt(10) == 0 ? rnd.nextDouble() : rnd.nextInt(2);
      double p = rnd.nextInt(50) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextDouble();
      NdArray yt = NdArray.of(new double[] {t}, 1, 1);
      NdArray yp = NdArray.of(new double[] {p}, 1, 1);
      // Runs of weighted and unweighted rows, some longer than a batch.
      if ((i / 700) % 2 == 1 || (i % 97 == 0)) {
        double w = rnd.nextDouble() * 2;
        fast.add(t, p, true, w);
        general.add(yt, yp, NdArray.of(new double[] {w}, 1), null);
      } else {
        fast.add(t, p, false, 0.0);
        general.add(yt, yp, null, null);
      }
      if (i % 1777 == 0) {
        assertArrayEquals(general.toBytes(), fast.state().toBytes(), "read after row " + i);
      }
    }
    assertArrayEquals(general.toBytes(), fast.state().toBytes());
    assertEquals(Double.valueOf(general.result()), Double.valueOf(fast.state().result()));
  }
}
