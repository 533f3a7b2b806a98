package org.lossagg.spark.shim;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;

/** Column and Catalyst Expression, each as the other (Spark 3.5: a Column wraps its Expression). */
public final class Columns {
  private Columns() {}

  public static Column column(Expression e) {
    return new Column(e);
  }

  public static Expression expression(Column c) {
    return c.expr();
  }

  /** The SQL text of an argument as the user wrote it. */
  public static String sql(Expression e) {
    return e.sql();
  }
}
