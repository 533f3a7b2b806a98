package org.lossagg.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.lossagg.numerics.DType;

/**
 * The shape kind of a y argument: a number (rank 0, a sample of one element, Keras shape (1, 1) as a
 * batch of one), an ARRAY (rank 1, a vector sample) or an ARRAY&lt;ARRAY&gt; (rank 2, a matrix sample),
 * of any numeric element type. An untyped NULL literal has {@link #UNKNOWN} rank.
 */
record RowType(int rank, DataType element) {
  static final int UNKNOWN = -1;

  static final String NUMERIC_TYPES = "TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE or DECIMAL";

  /** The row type of {@code t}, or null when {@code t} is not a number or a (nested) array of numbers. */
  static RowType of(DataType t) {
    if (t instanceof NullType) {
      return new RowType(UNKNOWN, t);
    }
    int rank = 0;
    DataType e = t;
    while (e instanceof ArrayType && rank < 2) {
      e = ((ArrayType) e).elementType();
      rank++;
    }
    return isNumeric(e) ? new RowType(rank, e) : null;
  }

  static boolean isNumeric(DataType t) {
    return t instanceof DoubleType || t instanceof FloatType || t instanceof IntegerType || t instanceof LongType
        || t instanceof ShortType || t instanceof ByteType || t instanceof DecimalType;
  }

  boolean known() {
    return rank != UNKNOWN;
  }

  /**
   * The dtype of the functional form: Keras computes in y_pred's dtype, so FLOAT predictions give
   * float32; every other numeric type is read as Spark casts it to DOUBLE and computed in float64.
   */
  DType computeDtype() {
    return element instanceof FloatType ? DType.FLOAT32 : DType.FLOAT64;
  }

  /** "a number", "an ARRAY", "an ARRAY<ARRAY>" for messages. */
  static String kind(int rank) {
    switch (rank) {
      case 0:
        return "a number";
      case 1:
        return "an ARRAY of numbers";
      case 2:
        return "an ARRAY<ARRAY> of numbers";
      default:
        return "NULL";
    }
  }
}
