package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.Seq;

/**
 * The aggregates over an already computed per-row loss ({@code loss_reduce}, {@code loss_summary}):
 * arguments {@code (loss [, sample_weight, ...])} folded into one {@link ReduceState}; subclasses
 * only say how the state is read out.
 */
abstract class ReduceStateAggregate extends LossAggregateFunction<ReduceState> {
  /** Readers of a number loss and number weight, built per bound copy; empty when an argument is an array. */
  private transient ScalarColumn[] scalarRow;
  private static final ScalarColumn[] NO_SCALAR_ROW = new ScalarColumn[0];

  ReduceStateAggregate(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  /** The SQL name, for error messages. */
  abstract String functionName();

  @Override
  public ReduceState createAggregationBuffer() {
    return new ReduceState();
  }

  private ScalarColumn[] scalarRow() {
    ScalarColumn[] r = scalarRow;
    if (r == null) {
      List<Expression> a = args().subList(0, Math.min(2, args().size()));
      boolean numbers = a.stream().allMatch(e -> AggregateInputs.depth(e.dataType()) == 0);
      r = numbers ? a.stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new) : NO_SCALAR_ROW;
      scalarRow = r;
    }
    return r;
  }

  @Override
  public ReduceState update(ReduceState state, InternalRow input) {
    ScalarColumn[] scalar = scalarRow();
    if (scalar != NO_SCALAR_ROW) {
      state.addScalar(functionName(), scalar, argNames(), input);
      return state;
    }
    List<Expression> a = args();
    state.add(functionName(), a.get(0), a.size() > 1 ? a.get(1) : null, argNames(), input);
    return state;
  }

  @Override
  public ReduceState merge(ReduceState state, ReduceState other) {
    state.merge(functionName(), other);
    return state;
  }

  @Override
  public byte[] serialize(ReduceState state) {
    return state.toBytes();
  }

  @Override
  public ReduceState deserialize(byte[] bytes) {
    return ReduceState.fromBytes(functionName(), bytes);
  }
}
