package org.lossagg.spark;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;

/**
 * One SQL function lossagg registers: its name, its {@code DESCRIBE FUNCTION} text, and the builder
 * that turns the call's argument expressions into a Catalyst expression (validating them first).
 */
public record SqlFunction(String name, ExpressionInfo info, Function<List<Expression>, Expression> builder) {

  public FunctionIdentifier identifier() {
    return FunctionIdentifier.apply(name);
  }

  /** The builder as Spark's {@code Seq[Expression] => Expression}. */
  public scala.Function1<Seq<Expression>, Expression> scalaBuilder() {
    return new ScalaBuilder(builder);
  }

  private static final class ScalaBuilder extends AbstractFunction1<Seq<Expression>, Expression>
      implements java.io.Serializable {
    private final Function<List<Expression>, Expression> builder;

    ScalaBuilder(Function<List<Expression>, Expression> builder) {
      this.builder = builder;
    }

    @Override
    public Expression apply(Seq<Expression> args) {
      return builder.apply(JavaConverters.seqAsJavaList(args));
    }
  }
}
