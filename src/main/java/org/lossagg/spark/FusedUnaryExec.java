package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.AttributeSet$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.execution.SparkPlan;
import org.lossagg.spark.shim.LinePlan;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The fused operator's Spark plan node plumbing: one child, output attributes made by the node
 * itself (not read from the child), the aggregates being computed, and the product Spark copies
 * nodes through.
 */
abstract class FusedUnaryExec extends LinePlan {
  private static final long serialVersionUID = 1L;

  final SparkPlan child;
  final scala.collection.immutable.Seq<Attribute> output;
  final FusedKerasLosses losses;

  FusedUnaryExec(SparkPlan child, Seq<Attribute> output, FusedKerasLosses losses) {
    this.child = child;
    this.output = output.toList();
    this.losses = losses;
  }

  public SparkPlan child() {
    return child;
  }

  @Override
  public scala.collection.immutable.Seq<SparkPlan> children() {
    return JavaConverters.asScalaBuffer(List.of(child)).toList();
  }

  @Override
  public scala.collection.immutable.Seq<Attribute> output() {
    return output;
  }

  /** The constructor arguments, in order: Spark copies plan nodes through the product. */
  abstract Object[] product();

  @Override
  public int productArity() {
    return product().length;
  }

  @Override
  public Object productElement(int n) {
    Object[] p = product();
    if (n < 0 || n >= p.length) {
      throw new IndexOutOfBoundsException("productElement " + n + " of " + p.length);
    }
    return p[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that != null && that.getClass() == getClass();
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet$.MODULE$.apply((scala.collection.Iterable<Expression>) (scala.collection.Iterable<?>) output);
  }
}
