package org.lossagg.spark.shim;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.classic.ColumnNodeExpression;
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

  /**
   * The SQL text of an argument as the user wrote it: a Column API argument arrives as an unresolved
   * ColumnNodeExpression, whose own sql() is "columnnodeexpression()", so its node's text is shown.
   */
  public static String sql(Expression e) {
    return e instanceof ColumnNodeExpression c ? c.node().sql() : e.sql();
  }
}
