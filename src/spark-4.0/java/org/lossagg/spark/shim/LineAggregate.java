package org.lossagg.spark.shim;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.aggregate.TypedImperativeAggregate;
import scala.collection.JavaConverters;

/** A TypedImperativeAggregate whose children are replaced through a Java list (Spark 4.x / Scala 2.13). */
public abstract class LineAggregate<T> extends TypedImperativeAggregate<T> {
  private static final long serialVersionUID = 1L;

  /** This aggregate with {@code newChildren} in place of its children. */
  protected abstract Expression withNewChildList(List<Expression> newChildren);

  @Override
  public final Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> newChildren) {
    return withNewChildList(JavaConverters.seqAsJavaList(newChildren));
  }
}
