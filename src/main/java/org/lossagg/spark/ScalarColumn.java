package org.lossagg.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;

/**
 * Reads a numeric (non-array) argument of an aggregate as a primitive double. A plain column
 * reference of type DOUBLE, FLOAT, INT or BIGINT (what a bound aggregate child usually is) is read
 * straight from the input row, unboxed; any other expression is evaluated and converted as
 * {@link AggregateInputs#scalar} does, so both give the same double.
 */
abstract class ScalarColumn {
  /** Whether the argument is NULL in this row; call before {@link #get}. */
  abstract boolean isNull(InternalRow row);

  /** The argument's value in this row (not NULL). */
  abstract double get(InternalRow row);

  /** A reader for {@code e}, whose type must be numeric or NULL (array depth 0). */
  static ScalarColumn of(Expression e) {
    if (e instanceof BoundReference) {
      int ordinal = ((BoundReference) e).ordinal();
      boolean nullable = e.nullable();
      DataType t = e.dataType();
      if (t instanceof DoubleType) {
        return new Direct(ordinal, nullable) {
          @Override
          double get(InternalRow row) {
            return row.getDouble(ordinal);
          }
        };
      }
      if (t instanceof FloatType) {
        return new Direct(ordinal, nullable) {
          @Override
          double get(InternalRow row) {
            return row.getFloat(ordinal);
          }
        };
      }
      if (t instanceof IntegerType) {
        return new Direct(ordinal, nullable) {
          @Override
          double get(InternalRow row) {
            return row.getInt(ordinal);
          }
        };
      }
      if (t instanceof LongType) {
        return new Direct(ordinal, nullable) {
          @Override
          double get(InternalRow row) {
            return row.getLong(ordinal);
          }
        };
      }
    }
    return new Evaluated(e);
  }

  /**
   * Whether values of {@code t} are Java primitives whose {@code (double)} cast is the value this
   * reader gives: TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE.
   */
  static boolean isPrimitiveNumber(DataType t) {
    return t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType
        || t instanceof FloatType || t instanceof DoubleType;
  }

  /** A column read in place; a column Spark knows to be non-nullable skips the null bit. */
  private abstract static class Direct extends ScalarColumn {
    final int ordinal;
    final boolean nullable;

    Direct(int ordinal, boolean nullable) {
      this.ordinal = ordinal;
      this.nullable = nullable;
    }

    @Override
    final boolean isNull(InternalRow row) {
      return nullable && row.isNullAt(ordinal);
    }
  }

  /** Evaluates the expression once per row: {@link #isNull} keeps the value for {@link #get}. */
  private static final class Evaluated extends ScalarColumn {
    private final Expression e;
    private final DataType type;
    private Object value;

    Evaluated(Expression e) {
      this.e = e;
      this.type = e.dataType();
    }

    @Override
    boolean isNull(InternalRow row) {
      value = e.eval(row);
      return value == null;
    }

    @Override
    double get(InternalRow row) {
      return AggregateInputs.scalar(value, type);
    }
  }
}
