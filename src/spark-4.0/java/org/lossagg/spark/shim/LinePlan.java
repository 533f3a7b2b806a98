package org.lossagg.spark.shim;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.execution.SparkPlan;
import scala.collection.JavaConverters;

/**
 * A physical plan node whose children are replaced, and whose generated code consumes its input,
 * through Java lists (Spark 4.x / Scala 2.13). {@link #doConsume} implements CodegenSupport's for a subclass that
 * implements CodegenSupport.
 */
public abstract class LinePlan extends SparkPlan {
  private static final long serialVersionUID = 1L;

  /** This node with {@code newChildren} in place of its children. */
  protected abstract SparkPlan withNewChildList(List<SparkPlan> newChildren);

  /** CodegenSupport's doConsume, with the input columns' code as a Java list. */
  protected abstract String doConsumeList(CodegenContext ctx, List<ExprCode> input, ExprCode row);

  @Override
  public final SparkPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<SparkPlan> newChildren) {
    return withNewChildList(JavaConverters.seqAsJavaList(newChildren));
  }

  public final String doConsume(CodegenContext ctx, scala.collection.immutable.Seq<ExprCode> input, ExprCode row) {
    return doConsumeList(ctx, JavaConverters.seqAsJavaList(input), row);
  }
}
