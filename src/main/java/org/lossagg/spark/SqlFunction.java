package org.lossagg.spark;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.lossagg.spark.shim.FunctionBuilder;

/**
 * One SQL function lossagg registers: its name, its {@code DESCRIBE FUNCTION} text, and the builder
 * that turns the call's argument expressions into a Catalyst expression (validating them first).
 */
public record SqlFunction(String name, ExpressionInfo info, Function<List<Expression>, Expression> builder) {

  public FunctionIdentifier identifier() {
    return FunctionIdentifier.apply(name);
  }

  /** The builder as Spark's {@code Seq[Expression] => Expression}. */
  public FunctionBuilder scalaBuilder() {
    return new FunctionBuilder(builder);
  }
}
