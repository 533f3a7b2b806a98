package org.lossagg.spark.shim;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.JavaConverters;

/** An Expression whose children are replaced through a Java list (Spark 4.x / Scala 2.13). */
public abstract class LineExpression extends Expression {
  private static final long serialVersionUID = 1L;

  /** This expression with {@code newChildren} in place of its children. */
  protected abstract Expression withNewChildList(List<Expression> newChildren);

  @Override
  public final Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> newChildren) {
    return withNewChildList(JavaConverters.seqAsJavaList(newChildren));
  }
}
