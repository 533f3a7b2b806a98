package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * CategoricalCrossentropy skips the logarithm of classes whose (smoothed) label is 0; the value is
 * bit for bit the full sum's {@code -sum(y' log q)}, written out here term by term, on one-hot,
 * soft and edge rows (zeros, NaN, ±Inf, a zero total) in float32 and float64.
 */
class CategoricalZeroLabelTest {
  private static final double[] EDGES = {0.0, -0.0, 1.0, 1e-9, 1e-45, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 3.0};

  @Test
  void skippingZeroLabelsKeepsTheFullSumsBits() {
    Random rnd = new Random(7);
    for (DType dtype : DType.values()) {
      for (double ls : new double[] {0.0, 0.1}) {
        Loss cce = CategoricalCrossentropy.builder().dtype(dtype).labelSmoothing(ls).build();
        for (int trial = 0; trial < 4000; trial++) {
          int classes = 1 + rnd.nextInt(6);
          double[] t = new double[classes];
          double[] p = new double[classes];
          int hot = rnd.nextInt(classes);
          for (int c = 0; c < classes; c++) {
            t[c] = trial % 3 == 0 ? EDGES[rnd.nextInt(EDGES.length)] : (c == hot ? 1.0 : 0.0);
            p[c] = trial % 2 == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextDouble();
          }
          double got = cce.functionOnRow(NdArray.of(t, classes), NdArray.of(p, classes), dtype).values().item();
          assertEquals(Double.valueOf(fullSum(t, p, ls, Numerics.of(dtype, false))), Double.valueOf(got),
              () -> dtype + " ls=" + ls + " t=" + java.util.Arrays.toString(t) + " p=" + java.util.Arrays.toString(p));
        }
      }
    }
  }

  /** Keras' formula with every term, inputs rounded to the dtype first. */
  private static double fullSum(double[] t, double[] p, double ls, Numerics n) {
    double total = 0.0;
    for (double v : p) {
      total = n.add(total, n.r(v));
    }
    double scale = n.r(1.0 - ls);
    double offset = n.div(n.r(ls), p.length);
    double acc = 0.0;
    for (int i = 0; i < p.length; i++) {
      double y = ls == 0.0 ? n.r(t[i]) : n.add(n.mul(n.r(t[i]), scale), offset);
      double q = Numerics.clip(n.div(n.r(p[i]), total), n.eps, n.hi);
      acc = n.add(acc, n.mul(y, n.log(q)));
    }
    return -acc;
  }
}
