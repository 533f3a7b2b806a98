package org.lossagg.spark;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.BindReferences;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.package$;
import org.apache.spark.sql.types.DataType;
import scala.collection.Seq;

/**
 * The lossagg aggregates of one fused aggregation ({@link FusedKerasLossStrategy}), in the order of
 * the partial aggregation's buffer columns, with the types of its grouping keys and its bound on
 * groups per task: what the partial operator and its group table need. The functions are kept
 * unbound (their children are the child plan's attributes); {@link #bind} gives the copies that read
 * rows.
 */
public final class FusedKerasLosses implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<LossAggregateFunction<?>> functions;
  private final DataType[] keyTypes;
  private final int maxGroups;

  FusedKerasLosses(List<LossAggregateFunction<?>> functions, DataType[] keyTypes, int maxGroups) {
    this.functions = List.copyOf(functions);
    this.keyTypes = keyTypes.clone();
    this.maxGroups = maxGroups;
  }

  int size() {
    return functions.size();
  }

  LossAggregateFunction<?> function(int i) {
    return functions.get(i);
  }

  /** Arguments (children) of aggregate {@code i}. */
  int arity(int i) {
    return functions.get(i).args().size();
  }

  DataType[] keyTypes() {
    return keyTypes.clone();
  }

  int maxGroups() {
    return maxGroups;
  }

  /** The aggregates bound to rows of {@code input} (their children become ordinals). */
  LossAggregateFunction<?>[] bind(Seq<Attribute> input) {
    LossAggregateFunction<?>[] out = new LossAggregateFunction<?>[functions.size()];
    for (int i = 0; i < out.length; i++) {
      Expression bound = BindReferences.bindReference(functions.get(i), package$.MODULE$.AttributeSeq(input.toList()), false);
      out[i] = functions.get(i).getClass().cast(bound);
    }
    return out;
  }

  /**
   * Whether aggregate {@code i}'s rows share one batch across the groups of a grouped aggregation
   * ({@link LossAggregateFunction#newGroupedRowBatch}).
   */
  boolean batchesGroupedRows(int i) {
    return functions.get(i).batchesGroupedRows();
  }

  /**
   * Fresh states of one group, one per aggregate. Grouped, an aggregate whose rows share one batch
   * across the groups ({@link #batchesGroupedRows}) gets a plain state: the row code only reaches
   * it for NULL rows, so it needs no batch arrays of its own (6 KB per group).
   */
  Object[] newStates() {
    Object[] s = new Object[functions.size()];
    boolean grouped = keyTypes.length > 0;
    for (int i = 0; i < s.length; i++) {
      LossAggregateFunction<?> f = functions.get(i);
      s[i] = grouped && f.batchesGroupedRows() ? f.createAggregationBuffer() : f.newFusedState();
    }
    return s;
  }

  /** The states of one group as the aggregates serialize them for the shuffle. */
  Object[] serialize(Object[] states) {
    Object[] out = new Object[states.length];
    for (int i = 0; i < states.length; i++) {
      out[i] = functions.get(i).serializeState(states[i]);
    }
    return out;
  }

  /** A table of groups for one task. Public for generated code. */
  public FusedGroups newGroups() {
    return new FusedGroups(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedKerasLosses && ((FusedKerasLosses) o).functions.equals(functions)
        && java.util.Arrays.equals(((FusedKerasLosses) o).keyTypes, keyTypes) && ((FusedKerasLosses) o).maxGroups == maxGroups;
  }

  @Override
  public int hashCode() {
    return functions.hashCode();
  }

  @Override
  public String toString() {
    return functions.stream().map(f -> f.sql(false)).collect(Collectors.joining(", ", "[", "]"));
  }
}
