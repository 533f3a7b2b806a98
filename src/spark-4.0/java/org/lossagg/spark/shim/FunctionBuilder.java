package org.lossagg.spark.shim;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/** A SQL function's builder as Spark's {@code Seq[Expression] => Expression} (Spark 4.x / Scala 2.13). */
public final class FunctionBuilder extends AbstractFunction1<scala.collection.immutable.Seq<Expression>, Expression>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Function<List<Expression>, Expression> builder;

  public FunctionBuilder(Function<List<Expression>, Expression> builder) {
    this.builder = builder;
  }

  @Override
  public Expression apply(scala.collection.immutable.Seq<Expression> args) {
    return builder.apply(JavaConverters.seqAsJavaList(args));
  }
}
