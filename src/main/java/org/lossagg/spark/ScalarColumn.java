package org.lossagg.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataType;

/**
 * Reads a numeric (non-array) argument as a primitive double. A column reference bound to the input
 * row (what a bound aggregate child usually is) is read in place, unboxed ({@link NumberType#get});
 * any other expression is evaluated and converted ({@link NumberType#boxed}), so both give the
 * same double.
 */
abstract class ScalarColumn {
  /** Whether the argument is NULL in this row; call before {@link #get}. */
  abstract boolean isNull(InternalRow row);

  /** The argument's value in this row (not NULL). */
  abstract double get(InternalRow row);

  /** A reader for {@code e}, whose type must be numeric or NULL (array depth 0). */
  static ScalarColumn of(Expression e) {
    NumberType type = NumberType.of(e.dataType());
    if (e instanceof BoundReference && type != null) {
      return new Direct(((BoundReference) e).ordinal(), e.nullable(), type, e.dataType());
    }
    return new Evaluated(e);
  }

  /** A column read in place; a column Spark knows to be non-nullable skips the null bit. */
  private static final class Direct extends ScalarColumn {
    private final int ordinal;
    private final boolean nullable;
    private final NumberType type;
    private final DataType dataType;

    Direct(int ordinal, boolean nullable, NumberType type, DataType dataType) {
      this.ordinal = ordinal;
      this.nullable = nullable;
      this.type = type;
      this.dataType = dataType;
    }

    @Override
    boolean isNull(InternalRow row) {
      return nullable && row.isNullAt(ordinal);
    }

    @Override
    double get(InternalRow row) {
      return type.get(row, ordinal, dataType);
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
      return NumberType.boxed(value, type);
    }
  }
}
