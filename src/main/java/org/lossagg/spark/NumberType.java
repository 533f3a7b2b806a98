package org.lossagg.spark;

import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.unsafe.Platform;

/**
 * Spark's number types as lossagg reads them: the one switch over a numeric {@link DataType}, for
 * single values (of a row or an array element, both {@link SpecializedGetters}) and whole arrays.
 * A value reads as the Java double Spark's CAST to DOUBLE gives (a decimal through
 * {@link Decimal#toDouble()}); into float32 it is that double rounded, as the losses' cast to the
 * compute dtype rounds it.
 */
enum NumberType {
  BYTE("getByte"),
  SHORT("getShort"),
  INT("getInt"),
  LONG("getLong"),
  FLOAT("getFloat"),
  DOUBLE("getDouble"),
  DECIMAL(null);

  /** The getter of a primitive value in generated code ({@code row.getDouble(i)}), null for DECIMAL. */
  final String getter;

  NumberType(String getter) {
    this.getter = getter;
  }

  /** The number type of {@code t}, or null when {@code t} is not a number type. */
  static NumberType of(DataType t) {
    if (t instanceof DoubleType) {
      return DOUBLE;
    }
    if (t instanceof FloatType) {
      return FLOAT;
    }
    if (t instanceof IntegerType) {
      return INT;
    }
    if (t instanceof LongType) {
      return LONG;
    }
    if (t instanceof ShortType) {
      return SHORT;
    }
    if (t instanceof ByteType) {
      return BYTE;
    }
    if (t instanceof DecimalType) {
      return DECIMAL;
    }
    return null;
  }

  /**
   * Whether values of {@code t} are Java primitives whose {@code (double)} cast is the value read:
   * TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE.
   */
  static boolean isPrimitive(DataType t) {
    NumberType n = of(t);
    return n != null && n != DECIMAL;
  }

  /** Whether {@code t} is an ARRAY of primitive numbers ({@link #isPrimitive}). */
  static boolean isPrimitiveArray(DataType t) {
    return t instanceof ArrayType && isPrimitive(((ArrayType) t).elementType());
  }

  /** The non-NULL value at {@code ordinal} of a row or an array, as a double. */
  double get(SpecializedGetters g, int ordinal, DataType type) {
    switch (this) {
      case DOUBLE:
        return g.getDouble(ordinal);
      case FLOAT:
        return g.getFloat(ordinal);
      case INT:
        return g.getInt(ordinal);
      case LONG:
        return g.getLong(ordinal);
      case SHORT:
        return g.getShort(ordinal);
      case BYTE:
        return g.getByte(ordinal);
      default:
        DecimalType d = (DecimalType) type;
        return g.getDecimal(ordinal, d.precision(), d.scale()).toDouble();
    }
  }

  /** A non-NULL number as Spark's evaluation returns it (boxed, or a {@link Decimal}), as a double. */
  static double boxed(Object v, DataType type) {
    if (v instanceof Decimal) {
      return ((Decimal) v).toDouble();
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw new IllegalStateException("not a numeric value of " + type + ": " + v);
  }

  /**
   * Reads the {@code n} elements of {@code a} (elements of this type) into {@code out} as float32
   * (through double); false, with {@code out} partly written, when an element is NULL. An
   * UnsafeArrayData of doubles (what scans and caches hand over) is read in place (see
   * {@link #unsafeDoubles}).
   */
  boolean readFloats(ArrayData a, int n, boolean containsNull, DataType elementType, float[] out) {
    long values = unsafeDoubles(a, n);
    if (values == NOT_UNSAFE_DOUBLES) {
      if (!noNulls(a, n, containsNull)) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        out[i] = (float) get(a, i, elementType);
      }
      return true;
    }
    if (values == HAS_NULL) {
      return false;
    }
    Object base = ((UnsafeArrayData) a).getBaseObject();
    for (int i = 0; i < n; i++) {
      out[i] = (float) Platform.getDouble(base, values + 8L * i);
    }
    return true;
  }

  /** {@link #readFloats} into doubles: each element as the double it is. */
  boolean readDoubles(ArrayData a, int n, boolean containsNull, DataType elementType, double[] out) {
    long values = unsafeDoubles(a, n);
    if (values == NOT_UNSAFE_DOUBLES) {
      if (!noNulls(a, n, containsNull)) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        out[i] = get(a, i, elementType);
      }
      return true;
    }
    if (values == HAS_NULL) {
      return false;
    }
    Platform.copyMemory(((UnsafeArrayData) a).getBaseObject(), values, out, Platform.DOUBLE_ARRAY_OFFSET, 8L * n);
    return true;
  }

  private static final long NOT_UNSAFE_DOUBLES = -1L;
  private static final long HAS_NULL = -2L;

  /**
   * For an UnsafeArrayData of doubles, the offset of its values when no element is NULL (the null
   * bits read a 64-bit word at a time; layout: element count, null bits in 8-byte words, values),
   * or {@link #HAS_NULL}; {@link #NOT_UNSAFE_DOUBLES} for any other array.
   */
  private long unsafeDoubles(ArrayData a, int n) {
    if (this != DOUBLE || !(a instanceof UnsafeArrayData)) {
      return NOT_UNSAFE_DOUBLES;
    }
    UnsafeArrayData u = (UnsafeArrayData) a;
    Object base = u.getBaseObject();
    long offset = u.getBaseOffset();
    long header = UnsafeArrayData.calculateHeaderPortionInBytes(n);
    for (long w = 8; w < header; w += 8) {
      if (Platform.getLong(base, offset + w) != 0L) {
        return HAS_NULL;
      }
    }
    return offset + header;
  }

  private static boolean noNulls(ArrayData a, int n, boolean containsNull) {
    if (containsNull) {
      for (int i = 0; i < n; i++) {
        if (a.isNullAt(i)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Reads the {@code n} non-NULL elements of {@code a} into {@code out} from {@code offset}, as doubles. */
  void readDoubles(ArrayData a, int n, DataType elementType, double[] out, int offset) {
    if (this == DOUBLE) {
      System.arraycopy(a.toDoubleArray(), 0, out, offset, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      out[offset + i] = get(a, i, elementType);
    }
  }
}
