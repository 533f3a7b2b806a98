package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.losses.Loss;
import org.lossagg.losses.PerSampleAggregation;
import org.lossagg.losses.RowKernel;
import org.lossagg.numerics.DType;
import scala.collection.Seq;

/**
 * {@link KerasLossReductions}' struct from the per-row values the loss' per-row function already
 * computed, so a job that needs both computes the loss once. Children: the row value (FLOAT or
 * DOUBLE: the functional form on the row in the loss dtype, NULL when y_true or y_pred is NULL),
 * the length of a 1-D y_pred row (0 for a number y_pred), and optionally the sample weight. Only for
 * inputs whose rows {@code keras_loss} adds through the loss' kernel ({@link #takes}): there a row's
 * per-sample value is that per-row value, so the sums, counts and row shape, and the struct, are
 * bit for bit {@code keras_loss_reductions}' over the same rows.
 */
public final class KerasLossRowValueReductions extends LossAggregateFunction<KerasLossRowValueReductions.State> {
  private static final long serialVersionUID = 1L;
  static final String NAME = "keras_loss_row_value_reductions";

  private final LossRecipe recipe;
  private transient RowKernel kernel;
  private transient ScalarColumn[] columns;

  /** The node Spark builds and copies. */
  public KerasLossRowValueReductions(String config, boolean keras2, Seq<Expression> children, List<String> argNames,
      int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
    this.recipe = LossRecipe.of(config, keras2);
  }

  static KerasLossRowValueReductions create(Loss loss, Expression rowValue, Expression yPredWidth, Expression weight) {
    LossRecipe r = LossRecipe.of(loss);
    KerasLossAggregate.options(r.config(), r.keras2());
    Seq<Expression> children = weight == null ? seq(rowValue, yPredWidth) : seq(rowValue, yPredWidth, weight);
    return new KerasLossRowValueReductions(r.config(), r.keras2(), children, names(children), 0, 0);
  }

  /**
   * Whether {@code keras_loss} of {@code loss} adds rows of these column types through the loss'
   * kernel, with y_pred read as the per-row function reads it after a cast to the loss dtype: y_pred
   * a FLOAT or DOUBLE or a 1-D array of them (other types round differently when cast), y_true and
   * the weight (null for none) as the kernel path takes them.
   */
  public static boolean takes(Loss loss, DataType yTrue, DataType yPred, DataType weight) {
    DataType leaf = yPred instanceof org.apache.spark.sql.types.ArrayType a ? a.elementType() : yPred;
    if (leaf != DataTypes.FloatType && leaf != DataTypes.DoubleType) {
      return false;
    }
    List<DataType> types = weight == null ? List.of(yTrue, yPred) : List.of(yTrue, yPred, weight);
    if (types.stream().anyMatch(t -> NumberType.of(t) == null && !NumberType.isPrimitiveArray(t))) {
      return false;
    }
    return RowPath.kind(loss.rowKernel().orElse(null), types) != RowPath.Kind.GENERAL;
  }

  /** The loss' state, rows added and rows left out (value NULL: y_true or y_pred was NULL). */
  public static final class State {
    private final PerSampleAggregation aggregation;
    private long rows;
    private long nullRows;

    State(PerSampleAggregation aggregation) {
      this.aggregation = aggregation;
    }
  }

  private RowKernel kernel() {
    if (kernel == null) {
      kernel = recipe.aggregatedLoss().rowKernel().orElseThrow(() -> new IllegalStateException(NAME + ": "
          + recipe.config() + " has no row kernel"));
    }
    return kernel;
  }

  @Override
  protected Object[] constants() {
    return new Object[] {recipe.config(), recipe.keras2()};
  }

  @Override
  protected KerasLossRowValueReductions copy(Seq<Expression> children, List<String> argNames, int mutableOffset,
      int inputOffset) {
    return new KerasLossRowValueReductions(recipe.config(), recipe.keras2(), children, argNames, mutableOffset,
        inputOffset);
  }

  @Override
  protected String typeProblem() {
    List<Expression> a = args();
    if (a.size() != 2 && a.size() != 3) {
      return NAME + " takes the row value, the y_pred width and optionally the sample weight; got " + a.size()
          + " arguments";
    }
    DataType v = a.get(0).dataType();
    if (v != DataTypes.FloatType && v != DataTypes.DoubleType) {
      return NAME + ": the row value must be FLOAT or DOUBLE, got " + v.simpleString();
    }
    if (a.get(1).dataType() != DataTypes.IntegerType) {
      return NAME + ": the y_pred width must be INT, got " + a.get(1).dataType().simpleString();
    }
    if (a.size() == 3 && !NumberType.isPrimitive(a.get(2).dataType())) {
      return NAME + ": the sample weight must be a number column, got " + a.get(2).dataType().simpleString();
    }
    return null;
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of(org.apache.spark.sql.catalyst.expressions.Literal.create(recipe.config(), DataTypes.StringType)
        .sql());
  }

  @Override
  protected Class<State> stateClass() {
    return State.class;
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public DataType dataType() {
    return KerasLossReductions.resultType(recipe.aggregatedLoss().dtype());
  }

  @Override
  public State createAggregationBuffer() {
    return new State(kernel().newAggregation());
  }

  @Override
  public State update(State state, InternalRow input) {
    ScalarColumn[] c = columns;
    if (c == null) {
      c = args().stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new);
      columns = c;
    }
    // (a reader's get follows its isNull)
    boolean valueNull = c[0].isNull(input);
    double value = valueNull ? 0.0 : c[0].get(input);
    boolean widthNull = c[1].isNull(input);
    int width = widthNull ? 0 : (int) c[1].get(input);
    boolean weighted = c.length == 3;
    boolean weightNull = weighted && c[2].isNull(input);
    addRow(state, valueNull, value, widthNull, width, weighted, weightNull, weighted && !weightNull ? c[2].get(input) : 0.0);
    return state;
  }

  /**
   * One row as {@link #update} reads it: its value (NULL: the row is left out), the y_pred width and
   * the weight ({@code weighted}: this aggregate has a weight child). Public for generated code.
   */
  public void addRow(State state, boolean valueNull, double value, boolean widthNull, int width, boolean weighted,
      boolean weightNull, double weight) {
    if (valueNull) {
      state.nullRows++;
      return;
    }
    if (widthNull) {
      throw new IllegalStateException(NAME + ": no y_pred width in a row with a value");
    }
    if (weighted && weightNull) {
      throw KerasLossAggregate.nullWeight(argName(2));
    }
    state.aggregation.addRowValue(value, width, weighted, weight);
    state.rows++;
  }

  /** Its children are number columns (see {@link #typeProblem}), each read as a Java cast reads it. */
  @Override
  protected boolean fusable() {
    return true;
  }

  @Override
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    boolean weighted = args.length == 3;
    return fn + ".addRow(" + state + ", " + args[0].isNull() + ", (double) " + args[0].value() + ", "
        + args[1].isNull() + ", " + args[1].value() + ", " + weighted + ", "
        + (weighted ? args[2].isNull() + ", (double) " + args[2].value() : "false, 0.0") + ");\n";
  }

  @Override
  public State merge(State state, State other) {
    state.aggregation.merge(other.aggregation);
    state.rows += other.rows;
    state.nullRows += other.nullRows;
    return state;
  }

  @Override
  public Object eval(State state) {
    return KerasLossReductions.result(state.aggregation, state.rows, state.nullRows, recipe.aggregatedLoss().dtype());
  }

  /** {@link KerasLossAggregate}'s buffer bytes ({@link CountedStateBytes}). */
  @Override
  public byte[] serialize(State state) {
    return CountedStateBytes.write(recipe.statePreamble(), state.rows, state.nullRows, state.aggregation.toBytes());
  }

  @Override
  public State deserialize(byte[] bytes) {
    CountedStateBytes b = CountedStateBytes.read(recipe.statePreamble(), bytes, NAME);
    State s = new State(kernel().aggregationFromBytes(b.body()));
    s.rows = b.rows();
    s.nullRows = b.nullRows();
    return s;
  }
}
