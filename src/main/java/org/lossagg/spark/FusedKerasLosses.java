package org.lossagg.spark;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code keras_loss} aggregates of one fused aggregation ({@link FusedKerasLossStrategy}), in
 * SELECT order, with what both of its operators need: fresh states, the partial row of serialized
 * states (one BINARY column per aggregate, the aggregate's own buffer bytes) and the final row of
 * results. The functions are kept unbound: their children only tell the argument count; rows are
 * read by the operators.
 */
final class FusedKerasLosses implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<KerasLossAggregate> functions;

  FusedKerasLosses(List<KerasLossAggregate> functions) {
    this.functions = List.copyOf(functions);
  }

  int size() {
    return functions.size();
  }

  KerasLossAggregate function(int i) {
    return functions.get(i);
  }

  /** Arguments of aggregate {@code i} after the config: 2 (y_true, y_pred) or 3 (and the weight). */
  int arity(int i) {
    return functions.get(i).args().size();
  }

  /** The aggregates bound to rows of {@code input} (their children become ordinals). */
  KerasLossAggregate[] bind(scala.collection.Seq<org.apache.spark.sql.catalyst.expressions.Attribute> input) {
    KerasLossAggregate[] out = new KerasLossAggregate[functions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (KerasLossAggregate) org.apache.spark.sql.catalyst.expressions.BindReferences.bindReference(
          functions.get(i), org.apache.spark.sql.catalyst.expressions.package$.MODULE$.AttributeSeq(input), false);
    }
    return out;
  }

  KerasLossAggregate.State[] newStates() {
    KerasLossAggregate.State[] s = new KerasLossAggregate.State[functions.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = functions.get(i).createAggregationBuffer();
    }
    return s;
  }

  StructType partialSchema() {
    StructType t = new StructType();
    for (int i = 0; i < functions.size(); i++) {
      t = t.add("state_" + i, DataTypes.BinaryType, false);
    }
    return t;
  }

  /** The partial row: each state as its aggregate serializes it for the shuffle. */
  InternalRow partialRow(KerasLossAggregate.State[] states, UnsafeProjection toUnsafe) {
    Object[] values = new Object[states.length];
    for (int i = 0; i < states.length; i++) {
      values[i] = functions.get(i).serialize(states[i]);
    }
    return toUnsafe.apply(new GenericInternalRow(values)).copy();
  }

  /** Merges a partial row into {@code states}. */
  void merge(KerasLossAggregate.State[] states, InternalRow partial) {
    for (int i = 0; i < states.length; i++) {
      KerasLossAggregate f = functions.get(i);
      states[i] = f.merge(states[i], f.deserialize(partial.getBinary(i)));
    }
  }

  /** The result row: each aggregate's value, as its own eval gives it. */
  InternalRow resultRow(KerasLossAggregate.State[] states) {
    Object[] values = new Object[states.length];
    for (int i = 0; i < states.length; i++) {
      values[i] = functions.get(i).eval(states[i]);
    }
    return new GenericInternalRow(values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedKerasLosses && ((FusedKerasLosses) o).functions.equals(functions);
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
