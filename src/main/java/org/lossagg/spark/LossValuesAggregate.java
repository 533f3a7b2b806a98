package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import scala.collection.Seq;

/**
 * The aggregates over an already computed per-row loss ({@code loss_reduce}, {@code loss_summary}):
 * arguments {@code (loss [, sample_weight, ...])} folded into one {@link LossValuesState}; subclasses
 * only say how the state is read out.
 */
public abstract class LossValuesAggregate extends LossAggregateFunction<LossValuesState> {
  /** Readers of a number loss and number weight, built per bound copy; empty when an argument is an array. */
  private transient ScalarColumn[] scalarRow;
  private static final ScalarColumn[] NO_SCALAR_ROW = new ScalarColumn[0];

  LossValuesAggregate(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  /** The argument types loss_reduce and loss_summary take: a loss, and a weight per row or per loss element. */
  @Override
  protected String typeProblem() {
    String function = prettyName();
    List<Expression> a = args();
    int lossDepth = AggregateInputs.depth(a.get(0).dataType());
    if (lossDepth < 0) {
      return AggregateInputs.notNumeric(function, 1, "loss", a.get(0));
    }
    if (a.size() > 1) {
      int wDepth = AggregateInputs.depth(a.get(1).dataType());
      if (wDepth < 0 || (wDepth != 0 && wDepth != lossDepth)) {
        return function + ": argument 2 (sample_weight) must be a number (one weight per row)"
            + (lossDepth > 0 ? " or an array shaped like the loss (one weight per element)" : "") + ", got "
            + a.get(1).dataType().sql() + " " + AggregateInputs.display(a.get(1)) + " for a loss of type "
            + a.get(0).dataType().sql();
      }
    }
    return null;
  }

  @Override
  public LossValuesState createAggregationBuffer() {
    return new LossValuesState();
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
  public LossValuesState update(LossValuesState state, InternalRow input) {
    ScalarColumn[] scalar = scalarRow();
    if (scalar != NO_SCALAR_ROW) {
      state.addScalar(prettyName(), scalar, argNames(), input);
      return state;
    }
    List<Expression> a = args();
    state.add(prettyName(), a.get(0), a.size() > 1 ? a.get(1) : null, argNames(), input);
    return state;
  }

  @Override
  protected Class<LossValuesState> stateClass() {
    return LossValuesState.class;
  }

  /** Whether the loss (and the weight) are primitive numbers: then generated code adds rows ({@link #addRow}). */
  @Override
  protected boolean fusable() {
    return args().size() <= 2 && args().stream().allMatch(e -> NumberType.isPrimitive(e.dataType()));
  }

  @Override
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    boolean weighted = args.length > 1;
    return fn + ".addRow(" + state + ", " + args[0].isNull() + ", " + args[0].isNull() + " ? 0.0 : (double) "
        + args[0].value() + ", " + (weighted ? args[1].isNull() : "false") + ", "
        + (weighted ? args[1].isNull() + " ? 0.0 : (double) " + args[1].value() : "0.0") + ");\n";
  }

  /** Over a per-row loss of two number columns (a number weight or none). */
  @Override
  boolean batchesRowLoss() {
    return fusable() && lossIsScalarKernelRow();
  }

  @Override
  public void addRowLossValues(LossValuesState state, double[] values, double[] weights, int count) {
    state.addNumbers(values, args().size() > 1 ? weights : null, count);
  }

  /** A row of a number loss and weight, as {@link #update} adds it. Public for generated code. */
  public void addRow(LossValuesState state, boolean lossNull, double loss, boolean weightNull, double weight) {
    state.addNumber(prettyName(), argNames(), lossNull, loss, args().size() > 1, weightNull, weight);
  }

  @Override
  public LossValuesState merge(LossValuesState state, LossValuesState other) {
    state.merge(prettyName(), other);
    return state;
  }

  @Override
  public byte[] serialize(LossValuesState state) {
    return state.toBytes();
  }

  @Override
  public LossValuesState deserialize(byte[] bytes) {
    return LossValuesState.fromBytes(prettyName(), bytes);
  }
}
