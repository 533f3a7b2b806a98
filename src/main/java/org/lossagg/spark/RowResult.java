package org.lossagg.spark;

import java.util.Arrays;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.Platform;
import org.lossagg.losses.PerSample;
import org.lossagg.numerics.NdArray;

/**
 * Turns the functional form's per-sample value of one row into the Catalyst value of the declared
 * result type: a DOUBLE, an ARRAY&lt;DOUBLE&gt; or an ARRAY&lt;ARRAY&lt;DOUBLE&gt;&gt;. Where the loss
 * attaches a Keras output mask (SparseCategoricalCrossentropy's ignore_class positions, Circle's
 * zero losses) the masked values are NULL, so that a reduction leaves them out of its sums and
 * divisors as Keras does.
 */
final class RowResult {
  private RowResult() {}

  static Object of(PerSample ps, int outRank, String fn) {
    NdArray v = ps.values();
    NdArray m = ps.mask();
    if (outRank == 0) {
      // A scalar class-id row of CategoricalGeneralizedCrossEntropy comes back as shape (1,): one value.
      if (v.size() != 1) {
        throw shape(fn, v, "one value");
      }
      return m != null && m.get(0) == 0.0 ? null : v.get(0);
    }
    if (v.rank() != outRank) {
      throw shape(fn, v, outRank == 1 ? "a vector" : "a matrix");
    }
    if (outRank == 1) {
      return vector(v.data(), 0, v.size(), m);
    }
    int rows = v.dim(0);
    int cols = v.dim(1);
    Object[] out = new Object[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = vector(v.data(), i * cols, cols, m);
    }
    return new GenericArrayData(out);
  }

  private static UnsafeArrayData vector(double[] data, int from, int length, NdArray mask) {
    UnsafeArrayData a = UnsafeArrayData.fromPrimitiveArray(data, Platform.DOUBLE_ARRAY_OFFSET + from * Double.BYTES, length, Double.BYTES);
    if (mask != null) {
      for (int i = 0; i < length; i++) {
        if (mask.get(from + i) == 0.0) {
          a.setNullAt(i);
        }
      }
    }
    return a;
  }

  private static IllegalStateException shape(String fn, NdArray v, String expected) {
    return new IllegalStateException(fn + ": the loss gave shape " + Arrays.toString(v.shape()) + " for a row declared to give "
        + expected);
  }
}
