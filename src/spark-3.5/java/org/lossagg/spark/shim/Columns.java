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
}
