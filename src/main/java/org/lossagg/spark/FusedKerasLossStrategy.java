package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.Sum;
import org.apache.spark.sql.catalyst.planning.PhysicalAggregation$;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.PlanLater;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.execution.aggregate.AggUtils;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.lossagg.spark.shim.Sessions;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Plans an aggregation whose aggregates are all fusable lossagg aggregates ({@code keras_loss} over
 * number columns with a row kernel or 1-D number arrays with a vector kernel, {@code loss_reduce} and {@code loss_summary} over number
 * columns, see {@link LossAggregateFunction#fusable}; without GROUP BY also Spark's {@code sum} of a per-row loss of
 * number columns, as {@link RowLossSum}), with or without GROUP BY, as Spark plans it
 * ({@code AggUtils}: a partial aggregation, the shuffle, Spark's final aggregation and result
 * projection) with the partial aggregation replaced by {@link FusedKerasLossExec}, whose per-row
 * work compiles into the scan's generated code and whose output rows are the ones Spark's partial
 * aggregation would emit. Anything else is left to Spark's own aggregate planning, which gives the
 * same numbers (the same states and methods), only slower. {@code spark.lossagg.fusedAggregate.enabled=false}
 * turns it off; {@code spark.lossagg.fusedAggregate.maxGroups} (default {@value #DEFAULT_MAX_GROUPS})
 * bounds the groups a task holds ({@link FusedGroups}).
 */
public final class FusedKerasLossStrategy extends SparkStrategy {
  public static final String ENABLED = "spark.lossagg.fusedAggregate.enabled";
  public static final String MAX_GROUPS = "spark.lossagg.fusedAggregate.maxGroups";
  static final int DEFAULT_MAX_GROUPS = 1024;

  /** Adds the strategy to a session built without {@link LossaggExtensions} (once). */
  static void addTo(SparkSession spark) {
    Seq<SparkStrategy> extra = Sessions.experimental(spark).extraStrategies();
    for (SparkStrategy s : JavaConverters.seqAsJavaList(extra)) {
      if (s instanceof FusedKerasLossStrategy) {
        return;
      }
    }
    List<SparkStrategy> all = new ArrayList<>(JavaConverters.seqAsJavaList(extra));
    all.add(new FusedKerasLossStrategy());
    Sessions.experimental(spark).extraStrategies_$eq(JavaConverters.asScalaBuffer(all).toList());
  }

  @Override
  public scala.collection.immutable.Seq<SparkPlan> apply(LogicalPlan plan) {
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

  private static int maxGroups() {
    String v = SQLConf.get().getConfString(MAX_GROUPS, String.valueOf(DEFAULT_MAX_GROUPS)).trim();
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1) {
      throw new IllegalArgumentException(MAX_GROUPS + " must be a positive integer (groups a task holds before it "
          + "passes them on), got '" + v + "'");
    }
    return n;
  }

  /** The fused plan, or null when the aggregation is not one it can run. */
  private static SparkPlan plan(Aggregate aggregate) {
    // var: the Seq type in the tuple is the Spark line's (scala.collection.Seq on 2.12, immutable on 2.13).
    var m = PhysicalAggregation$.MODULE$.unapply(aggregate);
    if (m.isEmpty()) {
      return null;
    }
    var grouping = m.get()._1();
    var aggregates = m.get()._2();
    List<LossAggregateFunction<?>> functions = new ArrayList<>();
    List<AggregateExpression> planned = new ArrayList<>();
    List<Expression> inputs = new ArrayList<>();
    for (AggregateExpression a : JavaConverters.seqAsJavaList(aggregates)) {
      if (a.isDistinct() || a.filter().isDefined()) {
        return null;
      }
      AggregateExpression p = a;
      if (a.aggregateFunction() instanceof Sum && grouping.isEmpty()) {
        // sum(loss_*(y_true, y_pred)): Spark's sum, its rows' losses computed in batches.
        RowLossSum sum = RowLossSum.of(((Sum) a.aggregateFunction()).child());
        if (sum != null) {
          p = new AggregateExpression(sum, a.mode(), false, a.filter(), a.resultId());
        }
      }
      if (!(p.aggregateFunction() instanceof LossAggregateFunction)) {
        return null;
      }
      LossAggregateFunction<?> f = (LossAggregateFunction<?>) p.aggregateFunction();
      if (!f.fusable()) {
        return null;
      }
      functions.add(f);
      planned.add(p);
      inputs.addAll(f.args());
    }
    if (functions.isEmpty()) {
      return null;
    }
    for (NamedExpression g : JavaConverters.seqAsJavaList(grouping)) {
      if (!((Expression) g).deterministic()) {
        return null;
      }
    }
    SparkPlan spark = AggUtils.planAggregateWithoutDistinct(grouping, JavaConverters.asScalaBuffer(planned).toList(), m.get()._3(),
        new PlanLater(m.get()._4())).head();
    SparkPlan sparkPartial = spark.children().head();
    DataType[] keyTypes = JavaConverters.seqAsJavaList(grouping).stream().map(g -> ((Expression) g).dataType())
        .toArray(DataType[]::new);
    FusedKerasLosses losses = new FusedKerasLosses(functions, keyTypes, maxGroups());
    List<Expression> keys = new ArrayList<>();
    for (NamedExpression g : JavaConverters.seqAsJavaList(grouping)) {
      keys.add((Expression) g);
    }
    FusedKerasLossExec partial = new FusedKerasLossExec(new PlanLater(m.get()._4()),
        JavaConverters.asScalaBuffer(keys).toList(), JavaConverters.asScalaBuffer(inputs).toList(),
        sparkPartial.output(), losses);
    return spark.withNewChildren(JavaConverters.asScalaBuffer(List.<SparkPlan>of(partial)).toList());
  }
}
