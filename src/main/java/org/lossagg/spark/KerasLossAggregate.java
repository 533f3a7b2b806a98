package org.lossagg.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.PerSampleAggregation;
import org.lossagg.losses.StatePreamble;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;
import scala.collection.Seq;

/**
 * {@code keras_loss(config, y_true, y_pred [, sample_weight])}: Keras' class form
 * {@code keras.losses.get(config)(y_true, y_pred, sample_weight)} evaluated on the whole table (or
 * group) as ONE batch. Each row is added to the loss' {@link LossAggregation} as a batch of one
 * (a scalar row is Keras shape (1, 1), an array row gains a leading axis of 1; a scalar weight is
 * shape (1,), an array weight gains a leading 1), partial states merge exactly, and the value is
 * formed once at the end, so the result is bit-identical for any partitioning and row order.
 *
 * <ul>
 *   <li>The result has the loss dtype: FLOAT for float32 (Keras' default), DOUBLE for
 *       {@code "dtype": "float64"}.
 *   <li>A row whose y_true or y_pred is NULL is left out, as if filtered away: for per-sample
 *       losses that is exactly what a Keras mask on the row does (masked values leave the sums
 *       and the divisors). The result is NULL when no row is left (an empty table or group).
 *   <li>A NULL sample_weight in a row that has y_true and y_pred is an error naming the column
 *       (a NULL constant as the argument means "no weights").
 * </ul>
 */
public class KerasLossAggregate extends LossAggregateFunction<KerasLossAggregate.State> {
  static final String NAME = "keras_loss";

  private final LossRecipe recipe;
  /** How rows are added, decided once per bound copy of this node (a path holds per-row readers). */
  private transient RowPath path;

  /**
   * The node Spark builds and copies. {@code children} are y_true, y_pred and optionally the
   * sample weights; use {@link #create} to validate the config first.
   */
  public KerasLossAggregate(String config, boolean keras2, Seq<Expression> children, List<String> argNames,
      int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
    this.recipe = LossRecipe.of(config, keras2);
  }

  /**
   * The aggregate for a validated config (an AnalysisException otherwise): identifier or Keras JSON,
   * {@code keras2} selecting tf.keras 2.x numerics; {@code weight} null for none.
   */
  static KerasLossAggregate create(String config, boolean keras2, Expression yTrue, Expression yPred, Expression weight) {
    options(config, keras2);
    Seq<Expression> children = weight == null ? seq(yTrue, yPred) : seq(yTrue, yPred, weight);
    return new KerasLossAggregate(config, keras2, children, names(children), 0, 0);
  }

  /** The validated options of a config, or an AnalysisException naming the config argument. */
  static LossOptions options(String config, boolean keras2) {
    return options(LossRecipe.of(config, keras2));
  }

  private static LossOptions options(LossRecipe recipe) {
    LossOptions o;
    try {
      o = recipe.options();
    } catch (IllegalArgumentException e) {
      throw AggregateInputs.analysisError(NAME + ": argument 1 (config) " + AnalysisErrors.quoted(recipe.config())
          + " is not a loss lossagg can build: " + e.getMessage());
    }
    if (o.reduction() == Reduction.NONE) {
      throw AggregateInputs.analysisError(NAME + ": argument 1 (config) asks for reduction none (null), which keeps "
          + "one value per sample, but " + NAME + " returns one value per table or group. For per-sample values use "
          + "the per-row function " + o.spec().sqlName() + "(y_true, y_pred, ...); to reduce, set \"reduction\" to "
          + "sum_over_batch_size (the default), sum, mean or mean_with_sample_weight");
    }
    return o;
  }

  /** The loss, checked as {@link #options} checks it, with the session's bound on Circle groups. */
  Loss loss() {
    return recipe.aggregatedLoss();
  }

  String config() {
    return recipe.config();
  }

  boolean keras2() {
    return recipe.keras2();
  }

  @Override
  protected Object[] constants() {
    return new Object[] {recipe.config(), recipe.keras2()};
  }

  @Override
  protected KerasLossAggregate copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new KerasLossAggregate(recipe.config(), recipe.keras2(), children, argNames, mutableOffset, inputOffset);
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of(Literal.create(recipe.config(), DataTypes.StringType).sql());
  }

  /** Plans also show lossagg's tf.keras 2.x switch, which a config cannot express. */
  @Override
  public scala.collection.Iterator<Object> stringArgs() {
    scala.collection.Iterator<Object> args = super.stringArgs();
    return recipe.keras2() ? args.$plus$plus(() -> scala.collection.Iterator$.MODULE$.<Object>single("keras2=true")) : args;
  }

  @Override
  protected String typeProblem() {
    List<Expression> a = args();
    if (a.size() != 2 && a.size() != 3) {
      return NAME + " takes config, y_true, y_pred and optionally sample_weight; got " + (a.size() + 1) + " arguments";
    }
    String[] names = {"y_true", "y_pred", "sample_weight"};
    for (int i = 0; i < a.size(); i++) {
      if (AggregateInputs.depth(a.get(i).dataType()) < 0) {
        return AggregateInputs.notNumeric(NAME, i + 2, names[i], a.get(i));
      }
    }
    return null;
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public DataType dataType() {
    return loss().dtype() == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
  }

  /**
   * The buffer: the loss' mergeable state, the intake of rows through the loss' kernel (null on
   * the general path), and the counts of rows added and left out. Read the state through
   * {@link #aggregation()}, which moves rows waiting in the intake into it.
   */
  public static final class State {
    private final LossAggregation aggregation;
    private final RowIntake intake;
    private long rows;
    long nullRows;

    State(LossAggregation aggregation, RowIntake intake) {
      this.aggregation = aggregation;
      this.intake = intake;
    }

    /** The loss' state with every row added so far. */
    LossAggregation aggregation() {
      if (intake != null) {
        intake.flush();
      }
      return aggregation;
    }

    /** Rows added (not left out). */
    long rows() {
      return rows + (intake == null ? 0 : intake.rows());
    }

    /** The kernel intake (generated code fills its batch). Public for generated code. */
    public RowIntake intake() {
      return intake;
    }
  }

  /** The row path of this (bound) node, decided on first use from the loss' kernel and the argument types. */
  RowPath path() {
    RowPath p = path;
    if (p == null) {
      p = RowPath.choose(loss(), args());
      path = p;
    }
    return p;
  }

  @Override
  public State createAggregationBuffer() {
    RowPath p = path();
    if (p.kernel() == null) {
      return new State(loss().newAggregation(), null);
    }
    PerSampleAggregation a = p.kernel().newAggregation();
    return new State(a, new RowIntake(a, p.kernel(), args().size() == 3));
  }

  @Override
  public State update(State state, InternalRow input) {
    RowPath p = path();
    if (p.kind() == RowPath.Kind.SCALAR) {
      ScalarColumn[] c = p.scalars();
      if (c[0].isNull(input) | c[1].isNull(input)) {
        state.nullRows++;
      } else if (c.length == 3) {
        if (c[2].isNull(input)) {
          throw nullWeight();
        }
        state.intake.add(c[0].get(input), c[1].get(input), c[2].get(input));
      } else {
        state.intake.add(c[0].get(input), c[1].get(input), 0.0);
      }
      return state;
    }
    List<Expression> a = args();
    Object tv = a.get(0).eval(input);
    Object pv = a.get(1).eval(input);
    if (tv == null || pv == null) {
      state.nullRows++;
      return state;
    }
    Object wv = null;
    if (a.size() == 3) {
      wv = a.get(2).eval(input);
      if (wv == null) {
        throw nullWeight();
      }
    }
    addRow(state, tv, pv, wv);
    return state;
  }

  /**
   * A row of the vector or general path whose y_true and y_pred are not NULL, nor its weight
   * {@code wv} (null without a weight argument): through the vector kernel when it takes the row,
   * else the general path, which adds it or refuses it with its message. Public for generated code.
   */
  public void addRow(State state, Object tv, Object pv, Object wv) {
    RowPath p = path();
    if (p.kind() == RowPath.Kind.VECTOR && addVectorRow(p, state, tv, (ArrayData) pv, wv)) {
      return;
    }
    List<Expression> a = args();
    AggregateInputs.Value yTrue = AggregateInputs.read(tv, a.get(0).dataType(), arg(2, "y_true"), false);
    AggregateInputs.Value yPred = AggregateInputs.read(pv, a.get(1).dataType(), arg(3, "y_pred"), false);
    NdArray weight = null;
    int[] weightShape = null;
    if (wv != null) {
      AggregateInputs.Value wr = AggregateInputs.read(wv, a.get(2).dataType(), arg(4, "sample_weight"), false);
      weight = wr.shape().length == 0 ? NdArray.of(wr.data(), 1) : wr.batchOfOne();
      weightShape = wr.shape();
    }
    try {
      state.aggregation.add(yTrue.batchOfOne(), yPred.batchOfOne(), weight, null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(NAME + "(" + loss().spec().className() + "): a row with y_true shape "
          + Arrays.toString(yTrue.shape()) + " and y_pred shape " + Arrays.toString(yPred.shape())
          + (weight == null ? "" : " and sample_weight shape " + Arrays.toString(weightShape))
          + " (row shapes, before the batch axis of 1) was refused: " + e.getMessage(), e);
    }
    state.rows++;
  }

  /**
   * Adds a row through the loss' vector kernel: a NULL-free y_pred array and an equally long
   * NULL-free y_true array (or a class id the kernel takes). False (nothing added) for any other
   * row, which the general path then adds or refuses with its message.
   */
  private boolean addVectorRow(RowPath p, State state, Object yTrue, ArrayData yPred, Object wv) {
    VectorRows v = p.vectors();
    int width = yPred.numElements();
    if (width == 0 || !v.read(yPred, false)) {
      return false;
    }
    if (p.kernel().vectorScalarTrue()) {
      v.yTrue[0] = (float) NumberType.boxed(yTrue, v.trueType());
    } else if (((ArrayData) yTrue).numElements() != width || !v.read((ArrayData) yTrue, true)) {
      return false;
    }
    double w = wv == null ? 0.0 : NumberType.boxed(wv, args().get(2).dataType());
    return state.intake.addVector(v.yTrue, v.yPred, width, w);
  }

  /**
   * Whether this aggregate can run in the fused plan's generated code ({@link FusedKerasLossStrategy}):
   * its rows take the scalar-row path and every argument is a TINYINT, SMALLINT, INT, BIGINT, FLOAT
   * or DOUBLE, whose value a Java {@code (double)} cast reads exactly as {@link ScalarColumn} does;
   * or they take the vector-row path ({@link #addRow} from the generated code).
   */
  @Override
  protected boolean fusable() {
    RowPath p = path();
    return p.kind() == RowPath.Kind.VECTOR
        || p.kind() == RowPath.Kind.SCALAR && args().stream().allMatch(e -> NumberType.isPrimitive(e.dataType()));
  }

  @Override
  protected Class<State> stateClass() {
    return State.class;
  }

  @Override
  State newFusedState() {
    State s = createAggregationBuffer();
    s.intake.open();
    return s;
  }

  /**
   * {@code skipRow} when y_true or y_pred is NULL, else the row into the state's intake: each value
   * as the Java double {@link RowIntake#add} takes; float32 batches are filled right here (rounded
   * to float32 as RowIntake rounds: a BIGINT goes through double, as there), so that the per-row
   * work stays in the query's own compiled method.
   */
  @Override
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    if (path().kind() == RowPath.Kind.VECTOR) {
      List<Expression> a = args();
      return nullChecked(fn, state, args, fn + ".addRow(" + state + ", " + boxed(args[0], a.get(0)) + ", "
          + boxed(args[1], a.get(1)) + ", " + (args.length == 3 ? boxed(args[2], a.get(2)) : "null") + ");\n");
    }
    if (!path().kernel().batchesFloat32Rows()) {
      return nullChecked(fn, state, args, state + ".intake().add((double) " + args[0].value() + ", (double) "
          + args[1].value() + ", " + (args.length == 3 ? "(double) " + args[2].value() : "0.0") + ");\n");
    }
    String b = "lossaggIntake";
    return nullChecked(fn, state, args, RowIntake.class.getName() + " " + b + " = " + state + ".intake();\n"
        + float32Fill(b, args) + "if (++" + b + ".count == " + RowIntake.BATCH + ") {\n" + b + ".addBatch();\n}\n");
  }

  /** Float32 scalar rows of all groups share one batch ({@link GroupedRowBatch}); others go row by row. */
  @Override
  boolean batchesGroupedRows() {
    RowPath p = path();
    return p.kind() == RowPath.Kind.SCALAR && p.kernel().batchesFloat32Rows();
  }

  @Override
  GroupedRowBatch newGroupedRowBatch(FusedGroups groups, int aggregate, int maxGroups) {
    return new GroupedRowBatch(groups, aggregate, path().kernel(), args().size() == 3, maxGroups);
  }

  /** {@link #fusedRowCode} with the row's values (and its group) into the shared batch. */
  @Override
  String fusedBatchRowCode(String fn, String batch, String group, String state, ExprCode[] args) {
    return nullChecked(fn, state, args, batch + ".group[" + batch + ".count] = " + group + ";\n"
        + float32Fill(batch, args) + "if (++" + batch + ".count == " + RowIntake.BATCH + ") {\n" + batch
        + ".addBatch();\n}\n");
  }

  /** {@code add} for a row whose y_true and y_pred are not NULL; else skipRow; a NULL weight fails. */
  private static String nullChecked(String fn, String state, ExprCode[] args, String add) {
    StringBuilder code = new StringBuilder();
    code.append("if (").append(args[0].isNull()).append(" || ").append(args[1].isNull()).append(") {\n")
        .append(fn).append(".skipRow(").append(state).append(");\n} else {\n");
    if (args.length == 3) {
      code.append("if (").append(args[2].isNull()).append(") {\n").append(fn).append(".failNullWeight();\n}\n");
    }
    return code.append(add).append("}\n").toString();
  }

  /**
   * The row's float32 values into the arrays of {@code batch} (a RowIntake or GroupedRowBatch) at
   * its count, rounded as {@link RowIntake#add} rounds.
   */
  private static String float32Fill(String batch, ExprCode[] args) {
    StringBuilder code = new StringBuilder();
    if (args.length == 3) {
      code.append(batch).append(".weight[").append(batch).append(".count] = (float) (double) ").append(args[2].value())
          .append(";\n");
    }
    return code.append(batch).append(".yTrue[").append(batch).append(".count] = (float) (double) ").append(args[0].value())
        .append(";\n").append(batch).append(".yPred[").append(batch).append(".count] = (float) (double) ")
        .append(args[1].value()).append(";\n").toString();
  }

  /** A row left out because its y_true or y_pred is NULL. Public for generated code. */
  public void skipRow(State state) {
    state.nullRows++;
  }

  /** Raises the error of a NULL weight in a row with y_true and y_pred. Public for generated code. */
  public void failNullWeight() {
    throw nullWeight();
  }

  private IllegalArgumentException nullWeight() {
    return nullWeight(argName(2));
  }

  /** The error of a NULL weight (column {@code weightColumn}) in a row with y_true and y_pred. */
  static IllegalArgumentException nullWeight(String weightColumn) {
    return new IllegalArgumentException(new AggregateInputs.Arg(NAME, 4, "sample_weight", weightColumn).describe()
        + " is NULL in a row with y_true and y_pred; give every such row a weight (0 leaves its loss out of the "
        + "sums), or leave the row out");
  }

  private AggregateInputs.Arg arg(int position, String name) {
    return new AggregateInputs.Arg(NAME, position, name, argName(position - 2));
  }

  @Override
  public State merge(State state, State other) {
    state.aggregation().merge(other.aggregation());
    state.rows += other.rows();
    state.nullRows += other.nullRows;
    return state;
  }

  @Override
  public Object eval(State state) {
    if (state.rows() == 0) {
      return null;
    }
    double v = state.aggregation().result();
    return loss().dtype() == DType.FLOAT32 ? (Object) (float) v : (Object) v;
  }

  /**
   * The preamble naming this loss ({@link StatePreamble}: kind 'K', {@link LossStateIdentity}), then
   * rows added and rows left out (8 bytes each), then the loss state's own bytes.
   */
  @Override
  public byte[] serialize(State state) {
    return CountedStateBytes.write(recipe.statePreamble(), state.rows(), state.nullRows, state.aggregation().toBytes());
  }

  /** Reads {@link #serialize}'s bytes, and the unversioned ones lossagg wrote before the preamble. */
  @Override
  public State deserialize(byte[] bytes) {
    CountedStateBytes b = CountedStateBytes.read(recipe.statePreamble(), bytes, NAME);
    State s = stateFromBytes(b.body());
    s.rows = b.rows();
    s.nullRows = b.nullRows();
    return s;
  }

  /** A state restored from the loss state's bytes, of the kind {@link #createAggregationBuffer} makes. */
  private State stateFromBytes(byte[] bytes) {
    RowPath p = path();
    if (p.kernel() == null) {
      return new State(loss().aggregationFromBytes(bytes), null);
    }
    PerSampleAggregation a = p.kernel().aggregationFromBytes(bytes);
    return new State(a, new RowIntake(a, p.kernel(), args().size() == 3));
  }
}
