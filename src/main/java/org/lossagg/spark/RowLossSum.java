package org.lossagg.spark;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * Spark's own {@code sum} of a per-row loss, {@code sum(loss_*(y_true, y_pred))}, in the form the
 * fused plan runs: {@link FusedKerasLossStrategy} puts it in place of Spark's {@code Sum} when it
 * fuses an ungrouped aggregation over such a loss, so that the losses of the rows are computed in
 * batches ({@link RowLossBatch}). The numbers are Spark's, bit for bit: Spark adds a partition's
 * non-NULL values in row order to 0.0 ({@code coalesce(sum, 0.0) + value}), its final aggregation
 * adds the partial sums of partitions that had a value in the order it merges them, and a sum
 * without a value is NULL; so does this aggregate.
 */
public final class RowLossSum extends LossAggregateFunction<RowLossSum.State> {
  static final String NAME = "sum";

  /** A running double sum from 0.0 and whether any value entered it (Spark's NULL buffer otherwise). */
  public static final class State {
    double sum;
    boolean nonEmpty;

    /** Adds one non-NULL value. Public for generated code. */
    public void add(double value) {
      sum += value;
      nonEmpty = true;
    }
  }

  /** The node Spark builds and copies: the one child is the per-row loss. */
  public RowLossSum(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  /** {@code sum(loss)} of a per-row loss whose rows compile to its scalar kernel, or null for any other sum. */
  static RowLossSum of(Expression sumChild) {
    if (!(sumChild instanceof RowLoss) || !sumChild.resolved() || !((RowLoss) sumChild).compilesToScalarKernel()
        || !sumChild.dataType().equals(DataTypes.DoubleType)) {
      return null;
    }
    Seq<Expression> children = seq(sumChild);
    return new RowLossSum(children, names(children), 0, 0);
  }

  @Override
  protected Object[] constants() {
    return new Object[0];
  }

  @Override
  protected RowLossSum copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new RowLossSum(children, argNames, mutableOffset, inputOffset);
  }

  @Override
  protected String typeProblem() {
    DataType t = args().get(0).dataType();
    return t.equals(DataTypes.DoubleType) ? null : NAME + " of a per-row loss takes a DOUBLE loss, got " + t.sql();
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of();
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public DataType dataType() {
    return DataTypes.DoubleType;
  }

  @Override
  protected Class<State> stateClass() {
    return State.class;
  }

  @Override
  public State createAggregationBuffer() {
    return new State();
  }

  @Override
  public State update(State state, InternalRow input) {
    Object v = args().get(0).eval(input);
    if (v != null) {
      state.add((Double) v);
    }
    return state;
  }

  @Override
  protected boolean fusable() {
    return true;
  }

  @Override
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    return "if (!" + args[0].isNull() + ") {\n" + state + ".add(" + args[0].value() + ");\n}\n";
  }

  @Override
  boolean batchesRowLoss() {
    return lossIsScalarKernelRow();
  }

  @Override
  public void addRowLossValues(State state, double[] values, double[] weights, int count) {
    double s = state.sum;
    for (int i = 0; i < count; i++) {
      s += values[i];
    }
    state.sum = s;
    state.nonEmpty |= count > 0;
  }

  /** Spark's merge: {@code coalesce(sum, 0.0) + other} when the other had a value. */
  @Override
  public State merge(State state, State other) {
    if (other.nonEmpty) {
      state.add(other.sum);
    }
    return state;
  }

  @Override
  public Object eval(State state) {
    return state.nonEmpty ? (Object) state.sum : null;
  }

  @Override
  public byte[] serialize(State state) {
    return ByteBuffer.allocate(9).putDouble(state.sum).put((byte) (state.nonEmpty ? 1 : 0)).array();
  }

  @Override
  public State deserialize(byte[] bytes) {
    if (bytes.length != 9 || (bytes[8] & ~1) != 0) {
      throw new IllegalArgumentException(NAME + ": corrupt aggregation buffer of " + bytes.length
          + " bytes (a double and a flag expected)");
    }
    State s = new State();
    s.sum = ByteBuffer.wrap(bytes).getDouble();
    s.nonEmpty = bytes[8] == 1;
    return s;
  }
}
