package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.fail;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeAndComment;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import scala.Tuple3;
import scala.collection.Iterator;

/**
 * Compiles every whole-stage subtree of an executed query. Spark runs a stage interpreted when its
 * generated code does not compile (it only logs a warning), so a plan showing {@code *(1) X} says
 * nothing about whether X's code ran; this does.
 */
final class GeneratedCode {
  private GeneratedCode() {}

  /** Collects {@code df} and fails naming the stage whose generated code does not compile; returns all code. */
  static String assertCompiles(Dataset<Row> df) {
    df.collect();
    SparkPlan plan = df.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec) {
      plan = ((AdaptiveSparkPlanExec) plan).executedPlan();
    }
    StringBuilder all = new StringBuilder();
    Iterator<Tuple3<String, String, org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats>> it = org.apache.spark.sql.execution.debug.package$.MODULE$
        .codegenStringSeq(plan).iterator();
    while (it.hasNext()) {
      Tuple3<String, String, org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats> t = it.next();
      try {
        CodeGenerator$.MODULE$.compile(new CodeAndComment(t._2(), scala.collection.immutable.Map$.MODULE$.empty()));
      } catch (Exception e) {
        fail("generated code of " + t._1() + " does not compile: " + e.getMessage());
      }
      all.append(t._2());
    }
    return all.toString();
  }
}
