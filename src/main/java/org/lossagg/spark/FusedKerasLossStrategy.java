package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.Complete$;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.PlanLater;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Plans {@code SELECT keras_loss(...)[, keras_loss(...) ...] FROM t} (no GROUP BY, every output an
 * aliased {@code keras_loss} whose rows are single numbers, see {@link KerasLossAggregate#fusable})
 * as {@link FusedKerasLossMergeExec} over {@link FusedKerasLossExec}, whose per-row work compiles
 * into the scan's generated code. Anything else is left to Spark's own aggregate planning, which
 * gives the same numbers (the same state and methods), only slower.
 * {@code spark.lossagg.fusedAggregate.enabled=false} turns it off.
 */
public final class FusedKerasLossStrategy extends SparkStrategy {
  public static final String ENABLED = "spark.lossagg.fusedAggregate.enabled";

  /** Adds the strategy to a session built without {@link LossaggExtensions} (once). */
  static void addTo(SparkSession spark) {
    Seq<SparkStrategy> extra = spark.experimental().extraStrategies();
    for (SparkStrategy s : JavaConverters.seqAsJavaList(extra)) {
      if (s instanceof FusedKerasLossStrategy) {
        return;
      }
    }
    List<SparkStrategy> all = new ArrayList<>(JavaConverters.seqAsJavaList(extra));
    all.add(new FusedKerasLossStrategy());
    spark.experimental().extraStrategies_$eq(JavaConverters.asScalaBuffer(all).toList());
  }

  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    List<SparkPlan> planned = new ArrayList<>();
    if (plan instanceof Aggregate && enabled()) {
      SparkPlan p = plan((Aggregate) plan);
      if (p != null) {
        planned.add(p);
      }
    }
    return JavaConverters.asScalaBuffer(planned).toList();
  }

  private static boolean enabled() {
    return Boolean.parseBoolean(SQLConf.get().getConfString(ENABLED, "true").trim());
  }

  /** The fused plan, or null when the aggregate is not one it can run. */
  private static SparkPlan plan(Aggregate aggregate) {
    if (!aggregate.groupingExpressions().isEmpty()) {
      return null;
    }
    List<KerasLossAggregate> functions = new ArrayList<>();
    List<Expression> inputs = new ArrayList<>();
    List<Attribute> results = new ArrayList<>();
    List<Attribute> states = new ArrayList<>();
    for (NamedExpression named : JavaConverters.seqAsJavaList(aggregate.aggregateExpressions())) {
      if (!(named instanceof Alias) || !(((Alias) named).child() instanceof AggregateExpression)) {
        return null;
      }
      AggregateExpression a = (AggregateExpression) ((Alias) named).child();
      if (a.isDistinct() || a.filter().isDefined() || a.mode() != Complete$.MODULE$
          || !(a.aggregateFunction() instanceof KerasLossAggregate)) {
        return null;
      }
      KerasLossAggregate f = (KerasLossAggregate) a.aggregateFunction();
      if (!f.fusable()) {
        return null;
      }
      functions.add(f);
      inputs.addAll(f.args());
      results.add(named.toAttribute());
      states.add(new AttributeReference("keras_loss_state_" + states.size(), DataTypes.BinaryType, false,
          Metadata.empty(), NamedExpression$.MODULE$.newExprId(), JavaConverters.asScalaBuffer(List.<String>of()).toList()));
    }
    if (functions.isEmpty()) {
      return null;
    }
    FusedKerasLosses losses = new FusedKerasLosses(functions);
    FusedKerasLossExec partial = new FusedKerasLossExec(new PlanLater(aggregate.child()),
        JavaConverters.asScalaBuffer(inputs).toList(), JavaConverters.asScalaBuffer(states).toList(), losses);
    return new FusedKerasLossMergeExec(partial, JavaConverters.asScalaBuffer(results).toList(), losses);
  }
}
