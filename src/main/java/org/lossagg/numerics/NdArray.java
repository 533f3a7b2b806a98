package org.lossagg.numerics;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense, immutable-by-convention n-dimensional array of doubles in row-major order: the tensor a
 * Keras loss sees. Axis 0 is the batch axis when the array is a batch; a Spark row is a batch of one.
 *
 * <p>Reshaping operations ({@link #reshape}, {@link #squeeze}, {@link #expandDims}) share the data.
 */
public final class NdArray {
  private final double[] data;
  private final int[] shape;

  private NdArray(double[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /** Wraps {@code data} (not copied) with the given shape. */
  public static NdArray of(double[] data, int... shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " elements but " + data.length + " were given");
    }
    return new NdArray(data, shape.clone());
  }

  /** A rank-0 array. */
  public static NdArray scalar(double v) {
    return new NdArray(new double[] {v}, new int[0]);
  }

  /** A rank-1 array. */
  public static NdArray vector(double... v) {
    return new NdArray(v, new int[] {v.length});
  }

  /** A rank-2 array from rows of equal length. */
  public static NdArray matrix(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] d = new double[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException(
            "matrix row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[i], 0, d, i * cols, cols);
    }
    return new NdArray(d, new int[] {rows.length, cols});
  }

  public static NdArray zeros(int... shape) {
    return of(new double[sizeOf(shape)], shape);
  }

  public static int sizeOf(int[] shape) {
    long s = 1;
    for (int d : shape) {
      s *= d;
    }
    if (s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one array");
    }
    return (int) s;
  }

  public int rank() {
    return shape.length;
  }

  public int[] shape() {
    return shape.clone();
  }

  /** Dimension {@code axis}; negative axes count from the end. */
  public int dim(int axis) {
    return shape[normalizeAxis(axis, shape.length)];
  }

  public int size() {
    return data.length;
  }

  public double get(int flatIndex) {
    return data[flatIndex];
  }

  /** The backing array (not a copy): kernels read it directly. */
  public double[] data() {
    return data;
  }

  public double[] toArray() {
    return data.clone();
  }

  /** The single value of a size-1 array. */
  public double item() {
    if (data.length != 1) {
      throw new IllegalStateException("item() needs one element, this array has shape " + Arrays.toString(shape));
    }
    return data[0];
  }

  public boolean sameShape(NdArray o) {
    return Arrays.equals(shape, o.shape);
  }

  public NdArray reshape(int... newShape) {
    return of(data, newShape);
  }

  /** Rows {@code [from, to)} along axis 0 (a copy): a chunk of a batch. */
  public NdArray rows(int from, int to) {
    if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
      throw new IllegalArgumentException("rows [" + from + ", " + to + ") out of range for shape " + Arrays.toString(shape));
    }
    int rowSize = shape[0] == 0 ? 0 : data.length / shape[0];
    int[] s = shape.clone();
    s[0] = to - from;
    return new NdArray(Arrays.copyOfRange(data, from * rowSize, to * rowSize), s);
  }

  /** Removes axis {@code axis}, which must have size 1. */
  public NdArray squeeze(int axis) {
    int a = normalizeAxis(axis, shape.length);
    if (shape[a] != 1) {
      throw new IllegalArgumentException("cannot squeeze axis " + axis + " of size " + shape[a]);
    }
    int[] s = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != a) {
        s[j++] = shape[i];
      }
    }
    return new NdArray(data, s);
  }

  /** Inserts a size-1 axis at {@code axis} (-1 appends). */
  public NdArray expandDims(int axis) {
    int a = axis < 0 ? shape.length + 1 + axis : axis;
    if (a < 0 || a > shape.length) {
      throw new IllegalArgumentException("cannot expand rank " + shape.length + " at axis " + axis);
    }
    int[] s = new int[shape.length + 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      s[i] = i == a ? 1 : shape[j++];
    }
    return new NdArray(data, s);
  }

  public NdArray map(DoubleUnaryOperator f) {
    double[] out = new double[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(data[i]);
    }
    return new NdArray(out, shape);
  }

  /** Element-wise binary operation with NumPy broadcasting (trailing axes aligned). */
  public static NdArray broadcast(NdArray a, NdArray b, DoubleBinaryOperator f) {
    int[] out = broadcastShape(a.shape, b.shape);
    int n = sizeOf(out);
    double[] res = new double[n];
    if (Arrays.equals(a.shape, out) && Arrays.equals(b.shape, out)) {
      for (int i = 0; i < n; i++) {
        res[i] = f.applyAsDouble(a.data[i], b.data[i]);
      }
      return new NdArray(res, out);
    }
    int[] sa = broadcastStrides(a.shape, out);
    int[] sb = broadcastStrides(b.shape, out);
    int[] idx = new int[out.length];
    for (int i = 0; i < n; i++) {
      int ia = 0;
      int ib = 0;
      for (int k = 0; k < out.length; k++) {
        ia += idx[k] * sa[k];
        ib += idx[k] * sb[k];
      }
      res[i] = f.applyAsDouble(a.data[ia], b.data[ib]);
      for (int k = out.length - 1; k >= 0; k--) {
        if (++idx[k] < out[k]) {
          break;
        }
        idx[k] = 0;
      }
    }
    return new NdArray(res, out);
  }

  /** The NumPy broadcast shape of two shapes, or an exception naming both. */
  public static int[] broadcastShape(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "incompatible shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " (NumPy broadcasting)");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Strides (in elements) of {@code shape} viewed as broadcast to {@code out}: 0 on broadcast axes. */
  private static int[] broadcastStrides(int[] shape, int[] out) {
    int[] strides = new int[out.length];
    int stride = 1;
    for (int i = out.length - 1, j = shape.length - 1; i >= 0; i--, j--) {
      if (j >= 0 && shape[j] != 1) {
        strides[i] = stride;
      }
      if (j >= 0) {
        stride *= shape[j];
      }
    }
    return strides;
  }

  /** Normalises a possibly negative axis, or throws naming the axis and the rank. */
  public static int normalizeAxis(int axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(
          "axis " + axis + " is out of range for an input of rank " + rank + " (allowed: " + (-rank) + ".." + (rank - 1) + ")");
    }
    return axis < 0 ? axis + rank : axis;
  }

  /** This shape without axis {@code axis} (already normalised). */
  public static int[] dropAxis(int[] shape, int axis) {
    int[] s = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != axis) {
        s[j++] = shape[i];
      }
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray && Arrays.equals(shape, ((NdArray) o).shape) && Arrays.equals(data, ((NdArray) o).data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NdArray" + Arrays.toString(shape) + Arrays.toString(data);
  }
}
