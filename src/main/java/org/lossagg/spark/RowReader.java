package org.lossagg.spark;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.lossagg.numerics.NdArray;

/**
 * Reads one non-NULL y value (a number, an ARRAY or an ARRAY&lt;ARRAY&gt; of a numeric type) into a
 * dense {@link NdArray}. Arrays are copied in bulk as primitive arrays ({@code toIntArray},
 * {@code toDoubleArray}, ...) and widened in a loop, without boxing; DECIMAL elements convert one by
 * one as Spark's CAST to DOUBLE does. A NULL element or a ragged ARRAY&lt;ARRAY&gt; is an
 * {@link IllegalArgumentException} naming the function, the argument and the position.
 */
final class RowReader {
  private RowReader() {}

  static NdArray read(Object value, RowType type, String fn, String argument) {
    switch (type.rank()) {
      case 0:
        return NdArray.scalar(number(value, type.element()));
      case 1:
        double[] v = vector((ArrayData) value, type.element(), fn, argument, -1);
        return NdArray.of(v, v.length);
      case 2:
        return matrix((ArrayData) value, type.element(), fn, argument);
      default:
        throw new IllegalStateException(fn + ": " + argument + " has no known shape kind");
    }
  }

  private static double number(Object value, DataType element) {
    return NumberType.boxed(value, element);
  }

  private static NdArray matrix(ArrayData rows, DataType element, String fn, String argument) {
    int count = rows.numElements();
    double[][] parts = new double[count][];
    for (int i = 0; i < count; i++) {
      if (rows.isNullAt(i)) {
        throw new IllegalArgumentException(fn + ": " + argument + " has a NULL inner array at index " + i
            + "; only the whole value may be NULL (the row's loss is then NULL)");
      }
      parts[i] = vector(rows.getArray(i), element, fn, argument, i);
      if (parts[i].length != parts[0].length) {
        throw new IllegalArgumentException(fn + ": " + argument + " is a ragged ARRAY<ARRAY>: inner array " + i
            + " has " + parts[i].length + " elements but inner array 0 has " + parts[0].length
            + "; every inner array of a row must have the same length");
      }
    }
    int cols = count == 0 ? 0 : parts[0].length;
    double[] flat = new double[count * cols];
    for (int i = 0; i < count; i++) {
      System.arraycopy(parts[i], 0, flat, i * cols, cols);
    }
    return NdArray.of(flat, count, cols);
  }

  /** The elements of one array as doubles; {@code row} is the outer index for messages (-1 for a vector). */
  private static double[] vector(ArrayData a, DataType element, String fn, String argument, int row) {
    int n = a.numElements();
    for (int i = 0; i < n; i++) {
      if (a.isNullAt(i)) {
        throw new IllegalArgumentException(fn + ": " + argument + " has a NULL element at index "
            + (row < 0 ? "" : "[" + row + "]") + "[" + i + "]; only the whole value may be NULL (the row's loss is then NULL)");
      }
    }
    double[] out = new double[n];
    NumberType type = NumberType.of(element);
    if (type == null) {
      throw new IllegalStateException(fn + ": " + argument + " has non-numeric elements of type " + element.sql());
    }
    type.readDoubles(a, n, element, out, 0);
    return out;
  }
}
