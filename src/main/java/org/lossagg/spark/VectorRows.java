package org.lossagg.spark;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;

/**
 * Reusable float32 buffers for rows of 1-D number arrays (and a class-id y_true): each element read
 * by {@link NumberType#readFloats}, rounded to float32 as the general path's cast to the compute
 * dtype does.
 */
final class VectorRows {
  float[] yTrue = new float[1];
  float[] yPred = new float[0];

  /** Reads {@code a} (of ARRAY type {@code type}) into {@link #yTrue} or {@link #yPred}; false if it holds a NULL. */
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
    ArrayType at = (ArrayType) type;
    return NumberType.of(at.elementType()).readFloats(a, n, at.containsNull(), at.elementType(), out);
  }
}
