package org.lossagg.spark.shim;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/** A SQL function's builder as Spark's {@code Seq[Expression] => Expression} (Spark 3.5 / Scala 2.12). */
public final class FunctionBuilder extends AbstractFunction1<scala.collection.Seq<Expression>, Expression>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Function<List<Expression>, Expression> builder;

  public FunctionBuilder(Function<List<Expression>, Expression> builder) {
    this.builder = builder;
  }

  @Override
  public Expression apply(scala.collection.Seq<Expression> args) {
    return builder.apply(JavaConverters.seqAsJavaList(args));
  }
}
