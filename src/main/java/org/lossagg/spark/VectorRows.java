package org.lossagg.spark;

import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.unsafe.Platform;

/**
 * Reusable float32 buffers for one aggregate's rows of 1-D number arrays: each element read
 * unboxed and rounded to float32 as the general path's cast to the compute dtype does (a long or
 * double goes through double first, as {@link AggregateInputs} reads it).
 */
final class VectorRows {
  static final VectorRows NONE = new VectorRows();

  float[] yTrue = new float[0];
  float[] yPred = new float[0];

  /** {@link #yTrue}, at least {@code n} long. */
  float[] trueBuffer(int n) {
    if (yTrue.length < n) {
      yTrue = new float[n];
    }
    return yTrue;
  }

  /** Whether rows of {@code t} can be read: ARRAY of TINYINT, SMALLINT, INT, BIGINT, FLOAT or DOUBLE. */
  static boolean readable(DataType t) {
    return t instanceof ArrayType && ScalarColumn.isPrimitiveNumber(((ArrayType) t).elementType());
  }

  /** Reads {@code a} into {@link #yTrue} or {@link #yPred}; false if it holds a NULL. */
  boolean read(ArrayData a, DataType type, boolean intoTrue) {
    int n = a.numElements();
    float[] out = intoTrue ? yTrue : yPred;
    if (out.length < n) {
      out = new float[n];
      if (intoTrue) {
        yTrue = out;
      } else {
        yPred = out;
      }
    }
    DataType e = ((ArrayType) type).elementType();
    if (a instanceof UnsafeArrayData && e instanceof DoubleType) {
      return readUnsafeDoubles((UnsafeArrayData) a, n, out);
    }
    if (((ArrayType) type).containsNull()) {
      for (int i = 0; i < n; i++) {
        if (a.isNullAt(i)) {
          return false;
        }
      }
    }
    if (e instanceof DoubleType) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) a.getDouble(i);
      }
    } else if (e instanceof FloatType) {
      for (int i = 0; i < n; i++) {
        out[i] = a.getFloat(i);
      }
    } else if (e instanceof LongType) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) (double) a.getLong(i);
      }
    } else if (e instanceof IntegerType) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) (double) a.getInt(i);
      }
    } else if (e instanceof ShortType) {
      for (int i = 0; i < n; i++) {
        out[i] = a.getShort(i);
      }
    } else if (e instanceof ByteType) {
      for (int i = 0; i < n; i++) {
        out[i] = a.getByte(i);
      }
    } else {
      return false;
    }
    return true;
  }

  /**
   * An UnsafeArrayData of doubles (what scans and caches hand over): the null bits checked a
   * 64-bit word at a time (layout: element count, null bits in 8-byte words, values), then the
   * values read in place.
   */
  private static boolean readUnsafeDoubles(UnsafeArrayData a, int n, float[] out) {
    Object base = a.getBaseObject();
    long offset = a.getBaseOffset();
    long header = UnsafeArrayData.calculateHeaderPortionInBytes(n);
    for (long w = 8; w < header; w += 8) {
      if (Platform.getLong(base, offset + w) != 0L) {
        return false;
      }
    }
    long values = offset + header;
    for (int i = 0; i < n; i++) {
      out[i] = (float) Platform.getDouble(base, values + 8L * i);
    }
    return true;
  }
}
