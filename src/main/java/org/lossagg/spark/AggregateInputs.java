package org.lossagg.spark;

import java.util.Arrays;
import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.lossagg.numerics.NdArray;
import org.lossagg.spark.shim.Columns;
import scala.Option;

/**
 * Reads the numeric arguments of lossagg's aggregates: a number, or an array of numbers nested to
 * any depth (a vector, a matrix, ...), of any Spark numeric type (byte, short, int, long, float,
 * double, decimal), into one primitive {@code double[]} with its shape. Whole arrays are copied
 * with {@link ArrayData}'s primitive bulk readers ({@code toDoubleArray}, {@code toIntArray}, ...),
 * so no element is boxed; decimals go through {@code Decimal.toDouble()} as Spark's own cast does.
 * Arrays must be rectangular.
 */
final class AggregateInputs {
  private AggregateInputs() {}

  /** What a numeric argument may be, for error messages. */
  static final String NUMERIC_OR_ARRAY = "a number (TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE or DECIMAL) or an "
      + "ARRAY of numbers (nested ARRAY<ARRAY<...>> for a matrix)";

  /**
   * The array nesting depth of a numeric argument type: 0 for a number (or an untyped NULL), 1 for
   * an array of numbers, 2 for an array of arrays, ...; -1 for anything else.
   */
  static int depth(DataType type) {
    if (type instanceof NumericType || type instanceof NullType) {
      return 0;
    }
    if (type instanceof ArrayType) {
      int d = depth(((ArrayType) type).elementType());
      return d < 0 ? -1 : d + 1;
    }
    return -1;
  }

  /** The type error of argument {@code position} ({@code name}, {@code e}) that is not {@link #NUMERIC_OR_ARRAY}. */
  static String notNumeric(String function, int position, String name, Expression e) {
    return function + ": argument " + position + " (" + name + ") must be " + NUMERIC_OR_ARRAY + ", got "
        + e.dataType().sql() + " " + display(e);
  }

  /** The SQL text of an argument, for messages. */
  static String display(Expression e) {
    try {
      return Columns.sql(e);
    } catch (RuntimeException unresolved) {
      return e.toString();
    }
  }

  /**
   * Throws an {@link AnalysisException} carrying only {@code message} (Spark's message-only
   * constructor). It is a checked exception in Java, and function builders cannot declare it, so it
   * is thrown unchecked, as Scala code throws it; write {@code throw analysisError(...)}.
   */
  static RuntimeException analysisError(String message) {
    throw AggregateInputs.<RuntimeException>unchecked(new AnalysisException(message, Option.empty(), Option.empty(),
        Option.empty(), Option.empty(), scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
        new QueryContext[0]));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable t) throws E {
    throw (E) t;
  }

  /** The value of a constant string argument, or an error naming the function and the argument. */
  static String constantString(String function, int position, String name, Expression e, String expected) {
    if (!e.foldable()) {
      throw analysisError(function + ": argument " + position + " (" + name + ") must be a constant, got the "
          + "non-constant expression " + display(e) + "; expected " + expected);
    }
    Object v = e.eval(null);
    if (v == null) {
      throw analysisError(function + ": argument " + position + " (" + name + ") is NULL; expected " + expected);
    }
    if (!(e.dataType() instanceof StringType)) {
      throw analysisError(function + ": argument " + position + " (" + name + ") must be a STRING constant, got "
          + e.dataType().sql() + " " + display(e) + "; expected " + expected);
    }
    return v.toString();
  }

  /** Whether {@code e} is an untyped NULL constant, which lossagg reads as "argument not given". */
  static boolean isNullLiteral(Expression e) {
    return e.dataType() instanceof NullType && e.foldable();
  }

  /**
   * A number or a (nested) array of numbers read into a flat row-major {@code double[]} and its
   * shape. {@link #valid} is null unless null elements were allowed and present; then it holds 1.0
   * for a present element and 0.0 for a null one (whose value reads as 0).
   */
  record Value(double[] data, int[] shape, double[] valid) {
    /** This row as Keras' batch of one: a scalar is shape (1, 1), an array gains a leading axis of 1. */
    NdArray batchOfOne() {
      if (shape.length == 0) {
        return NdArray.of(data, 1, 1);
      }
      int[] s = new int[shape.length + 1];
      s[0] = 1;
      System.arraycopy(shape, 0, s, 1, shape.length);
      return NdArray.of(data, s);
    }
  }

  /** Names an argument for runtime errors: the function, the position and name, and the column. */
  record Arg(String function, int position, String name, String column) {
    String describe() {
      return function + ": argument " + position + " (" + name + ", " + column + ")";
    }
  }

  /**
   * Reads one non-null value of {@code type}. Null elements are an {@link IllegalArgumentException}
   * unless {@code nullElementsAllowed} (then they are reported in {@link Value#valid}). Ragged
   * arrays are always an error.
   */
  static Value read(Object value, DataType type, Arg arg, boolean nullElementsAllowed) {
    int d = depth(type);
    if (d == 0) {
      return new Value(new double[] {scalar(value, type)}, new int[0], null);
    }
    int[] shape = new int[d];
    ArrayData top = (ArrayData) value;
    DataType leafType = shapeOf(top, type, shape, 0);
    int size = 1;
    for (int s : shape) {
      size = Math.multiplyExact(size, s);
    }
    double[] out = new double[size];
    double[] valid = nullElementsAllowed ? new double[size] : null;
    Fill f = new Fill(out, valid, arg, shape, leafType);
    f.fill(top, type, 0, 0);
    return new Value(out, shape, f.sawNull ? valid : null);
  }

  /** The shape along the first elements; inner levels of an empty array are 0 long. */
  private static DataType shapeOf(ArrayData a, DataType type, int[] shape, int level) {
    shape[level] = a.numElements();
    DataType element = ((ArrayType) type).elementType();
    if (level + 1 == shape.length) {
      return element;
    }
    if (a.numElements() > 0 && !a.isNullAt(0)) {
      return shapeOf(a.getArray(0), element, shape, level + 1);
    }
    DataType leaf = element;
    while (leaf instanceof ArrayType) {
      leaf = ((ArrayType) leaf).elementType();
    }
    return leaf;
  }

  private static final class Fill {
    final double[] out;
    final double[] valid;
    final Arg arg;
    final int[] shape;
    final DataType leafType;
    final int[] strides;
    boolean sawNull;

    Fill(double[] out, double[] valid, Arg arg, int[] shape, DataType leafType) {
      this.out = out;
      this.valid = valid;
      this.arg = arg;
      this.shape = shape;
      this.leafType = leafType;
      this.strides = new int[shape.length];
      int s = 1;
      for (int k = shape.length - 1; k >= 0; k--) {
        strides[k] = s;
        s *= shape[k];
      }
    }

    void fill(ArrayData a, DataType type, int level, int offset) {
      int n = a.numElements();
      if (n != shape[level]) {
        throw new IllegalArgumentException(arg.describe() + " is a ragged array: " + describeLevel(level)
            + " has " + n + " elements where the first has " + shape[level] + "; every row must be a rectangular "
            + "array (shape " + Arrays.toString(shape) + ")");
      }
      ArrayType at = (ArrayType) type;
      if (level + 1 < shape.length) {
        for (int i = 0; i < n; i++) {
          if (a.isNullAt(i)) {
            throw new IllegalArgumentException(arg.describe() + " holds a NULL sub-array at index " + i + " of "
                + describeLevel(level) + "; expected arrays of shape " + Arrays.toString(shape));
          }
          fill(a.getArray(i), at.elementType(), level + 1, offset + i * strides[level]);
        }
        return;
      }
      if (at.containsNull() && hasNull(a, n)) {
        fillWithNulls(a, n, offset);
      } else {
        copyLeaves(a, n, offset);
      }
    }

    private String describeLevel(int level) {
      return level == 0 ? "the array" : "a sub-array at depth " + level;
    }

    private boolean hasNull(ArrayData a, int n) {
      for (int i = 0; i < n; i++) {
        if (a.isNullAt(i)) {
          return true;
        }
      }
      return false;
    }

    private void fillWithNulls(ArrayData a, int n, int offset) {
      if (valid == null) {
        for (int i = 0; i < n; i++) {
          if (a.isNullAt(i)) {
            throw new IllegalArgumentException(arg.describe() + " holds a NULL element at index " + (offset + i)
                + " (row-major) of an array of shape " + Arrays.toString(shape) + "; every element must be a number");
          }
        }
      }
      sawNull = true;
      for (int i = 0; i < n; i++) {
        boolean isNull = a.isNullAt(i);
        valid[offset + i] = isNull ? 0.0 : 1.0;
        out[offset + i] = isNull ? 0.0 : element(a, i, leafType);
      }
    }

    private void copyLeaves(ArrayData a, int n, int offset) {
      if (valid != null) {
        Arrays.fill(valid, offset, offset + n, 1.0);
      }
      NumberType.of(leafType).readDoubles(a, n, leafType, out, offset);
    }
  }

  /** One non-null element of a numeric array. */
  private static double element(ArrayData a, int i, DataType type) {
    return NumberType.of(type).get(a, i, type);
  }

  /** A non-null scalar of a numeric type, as Spark's evaluation returns it. */
  static double scalar(Object v, DataType type) {
    return NumberType.boxed(v, type);
  }
}
