package org.lossagg.numerics;

/**
 * Reduces an array along one axis, lane by lane. A lane is the 1-D slice through every index of the
 * other axes; element {@code k} of the lane starting at {@code offset} sits at {@code offset + k*stride}.
 * Output element {@code o*inner + i} belongs to the lane at {@code offset = o*n*inner + i}.
 */
public final class Lanes {
  /** Reduces one lane of two same-shaped arrays to one value. */
  @FunctionalInterface
  public interface PairKernel {
    double apply(double[] yTrue, double[] yPred, int offset, int stride, int n);
  }

  private Lanes() {}

  /**
   * Applies {@code kernel} to every lane of {@code yTrue}/{@code yPred} (same shape) along
   * {@code axis}; the result has the input shape without that axis.
   */
  public static NdArray reduce(NdArray yTrue, NdArray yPred, int axis, PairKernel kernel) {
    int[] shape = yPred.shape();
    int a = NdArray.normalizeAxis(axis, shape.length);
    int n = shape[a];
    int inner = 1;
    for (int i = a + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    int outer = yPred.size() / Math.max(1, n * inner);
    if (n == 0) {
      outer = 1;
      for (int i = 0; i < a; i++) {
        outer *= shape[i];
      }
    }
    double[] out = new double[outer * inner];
    double[] t = yTrue.data();
    double[] p = yPred.data();
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        out[o * inner + i] = kernel.apply(t, p, o * n * inner + i, inner, n);
      }
    }
    return NdArray.of(out, NdArray.dropAxis(shape, a));
  }
}
