package org.lossagg.spark;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;

/**
 * Reusable buffers for rows of 1-D number arrays (and a class-id y_true): float32 ones, each element
 * read by {@link NumberType#readFloats} and rounded to float32 as the general path's cast to the
 * compute dtype does, and float64 ones ({@link NumberType#readDoubles}).
 */
final class VectorRows {
  /**
   * The types of y_true and y_pred, read once: an expression's dataType may be recomputed at every
   * call (an {@code array(...)} of conditionals merges its children's types each time).
   */
  private final DataType trueType;
  private final DataType predType;
  float[] yTrue = new float[1];
  float[] yPred = new float[0];
  double[] yTrue64 = new double[1];
  double[] yPred64 = new double[0];

  VectorRows(DataType trueType, DataType predType) {
    this.trueType = trueType;
    this.predType = predType;
  }

  /** The type of y_true (an ARRAY, or a number for a class-id kernel). */
  DataType trueType() {
    return trueType;
  }

  /** Reads {@code a} (y_true's or y_pred's array) into {@link #yTrue} or {@link #yPred}; false if it holds a NULL. */
  boolean read(ArrayData a, boolean intoTrue) {
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
    ArrayType at = (ArrayType) (intoTrue ? trueType : predType);
    return NumberType.of(at.elementType()).readFloats(a, n, at.containsNull(), at.elementType(), out);
  }

  /** {@link #read} into {@link #yTrue64} or {@link #yPred64}, each element as its double. */
  boolean read64(ArrayData a, boolean intoTrue) {
    int n = a.numElements();
    double[] out = intoTrue ? yTrue64 : yPred64;
    if (out.length < n) {
      out = new double[n];
      if (intoTrue) {
        yTrue64 = out;
      } else {
        yPred64 = out;
      }
    }
    ArrayType at = (ArrayType) (intoTrue ? trueType : predType);
    return NumberType.of(at.elementType()).readDoubles(a, n, at.containsNull(), at.elementType(), out);
  }
}
