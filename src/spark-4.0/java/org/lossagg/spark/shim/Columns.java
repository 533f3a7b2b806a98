package org.lossagg.spark.shim;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.classic.ExpressionUtils;

/**
 * Column and Catalyst Expression, each as the other (Spark 4.x: a Column holds a ColumnNode, and
 * the classic session converts; such Columns work in classic sessions only).
 */
public final class Columns {
  private Columns() {}

  public static Column column(Expression e) {
    return ExpressionUtils.column(e);
  }

  public static Expression expression(Column c) {
    return ExpressionUtils.expression(c);
  }
}
