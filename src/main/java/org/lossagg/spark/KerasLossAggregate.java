package org.lossagg.spark;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.config.LossStateIdentity;
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

  private final String config;
  private final boolean keras2;
  private transient volatile Loss loss;
  /** The scalar-row readers, built on first use: {@link #NO_SCALAR_ROWS} when rows need the general path. */
  private transient ScalarColumn[] scalarRows;
  private static final ScalarColumn[] NO_SCALAR_ROWS = new ScalarColumn[0];
  private transient VectorRows vectorRows;
  private transient volatile StatePreamble preamble;

  /**
   * The node Spark builds and copies. {@code children} are y_true, y_pred and optionally the
   * sample weights; use {@link #create} to validate the config first.
   */
  public KerasLossAggregate(String config, boolean keras2, Seq<Expression> children, List<String> argNames,
      int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
    this.config = config;
    this.keras2 = keras2;
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
    LossOptions o;
    try {
      o = KerasLossConfig.optionsFromJson(config);
      if (keras2) {
        o = o.toBuilder().keras2(true).build();
      }
    } catch (IllegalArgumentException e) {
      throw AggregateInputs.analysisError(NAME + ": argument 1 (config) " + Literal.create(config, DataTypes.StringType).sql()
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

  Loss loss() {
    Loss l = loss;
    if (l == null) {
      l = options(config, keras2).create();
      loss = l;
    }
    return l;
  }

  String config() {
    return config;
  }

  boolean keras2() {
    return keras2;
  }

  @Override
  Object[] constants() {
    return new Object[] {config, keras2};
  }

  @Override
  KerasLossAggregate copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new KerasLossAggregate(config, keras2, children, argNames, mutableOffset, inputOffset);
  }

  @Override
  List<String> sqlConstantsBefore() {
    return List.of(Literal.create(config, DataTypes.StringType).sql());
  }

  /** Plans also show lossagg's tf.keras 2.x switch, which a config cannot express. */
  @Override
  public scala.collection.Iterator<Object> stringArgs() {
    scala.collection.Iterator<Object> args = super.stringArgs();
    return keras2 ? args.$plus$plus(() -> scala.collection.Iterator$.MODULE$.<Object>single("keras2=true")) : args;
  }

  @Override
  String typeProblem() {
    List<Expression> a = args();
    if (a.size() != 2 && a.size() != 3) {
      return NAME + " takes config, y_true, y_pred and optionally sample_weight; got " + (a.size() + 1) + " arguments";
    }
    String[] names = {"y_true", "y_pred", "sample_weight"};
    for (int i = 0; i < a.size(); i++) {
      if (AggregateInputs.depth(a.get(i).dataType()) < 0) {
        return NAME + ": argument " + (i + 2) + " (" + names[i] + ") must be " + AggregateInputs.NUMERIC_OR_ARRAY
            + ", got " + a.get(i).dataType().sql() + " " + AggregateInputs.display(a.get(i));
      }
    }
    return null;
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public boolean nullable() {
    return true;
  }

  @Override
  public DataType dataType() {
    return loss().dtype() == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
  }

  /** The buffer: the loss' mergeable state, and the counts of rows added and left out. */
  public static final class State {
    LossAggregation aggregation;
    long rows;
    long nullRows;

    State(LossAggregation aggregation) {
      this.aggregation = aggregation;
    }
  }

  @Override
  public State createAggregationBuffer() {
    return new State(loss().newAggregation());
  }

  /**
   * Readers of y_true, y_pred (and the weight) when every argument is a single number and the
   * loss has a primitive kernel for such rows; {@link #NO_SCALAR_ROWS} otherwise. Each bound copy
   * of this node builds its own (a reader may hold the value it evaluated for the row).
   */
  private ScalarColumn[] scalarRows() {
    ScalarColumn[] r = scalarRows;
    if (r == null) {
      r = NO_SCALAR_ROWS;
      LossAggregation probe = loss().newAggregation();
      if (probe instanceof PerSampleAggregation && ((PerSampleAggregation) probe).acceptsScalarRows()
          && args().stream().allMatch(e -> AggregateInputs.depth(e.dataType()) == 0)) {
        r = args().stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new);
      }
      scalarRows = r;
    }
    return r;
  }

  @Override
  public State update(State state, InternalRow input) {
    ScalarColumn[] scalars = scalarRows();
    if (scalars != NO_SCALAR_ROWS) {
      return updateScalarRow(state, input, scalars);
    }
    List<Expression> a = args();
    Expression t = a.get(0);
    Expression p = a.get(1);
    Object tv = t.eval(input);
    Object pv = p.eval(input);
    if (tv == null || pv == null) {
      state.nullRows++;
      return state;
    }
    if (vectorRows() != null && addVectorRow(state, tv, (ArrayData) pv, input)) {
      return state;
    }
    AggregateInputs.Value yTrue = AggregateInputs.read(tv, t.dataType(), arg(2, "y_true"), false);
    AggregateInputs.Value yPred = AggregateInputs.read(pv, p.dataType(), arg(3, "y_pred"), false);
    NdArray weight = null;
    int[] weightShape = null;
    if (a.size() == 3) {
      Expression w = a.get(2);
      Object wv = w.eval(input);
      if (wv == null) {
        throw nullWeight();
      }
      AggregateInputs.Value wr = AggregateInputs.read(wv, w.dataType(), arg(4, "sample_weight"), false);
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
    return state;
  }

  /**
   * Buffers for rows of 1-D number arrays when the loss has a float32 kernel for them
   * ({@link PerSampleAggregation#acceptsVectorRows}), y_pred is an ARRAY of TINYINT..DOUBLE, y_true
   * one too (or a number, for a loss whose y_true is a class id) and the weight (if any) a number;
   * null otherwise. Built on first use, per bound copy.
   */
  private VectorRows vectorRows() {
    VectorRows v = vectorRows;
    if (v == null) {
      v = VectorRows.NONE;
      LossAggregation probe = loss().newAggregation();
      List<Expression> a = args();
      DataType trueType = a.get(0).dataType();
      if (probe instanceof PerSampleAggregation && ((PerSampleAggregation) probe).acceptsVectorRows()
          && (loss().vectorRowHasScalarTrue() ? ScalarColumn.isPrimitiveNumber(trueType) : VectorRows.readable(trueType))
          && VectorRows.readable(a.get(1).dataType())
          && (a.size() == 2 || ScalarColumn.isPrimitiveNumber(a.get(2).dataType()))) {
        v = new VectorRows();
      }
      vectorRows = v;
    }
    return v == VectorRows.NONE ? null : v;
  }

  /**
   * Adds a row through the loss' vector kernel: a NULL-free y_pred array and an equally long
   * NULL-free y_true array (or a class id the kernel takes). False (nothing added) for any other
   * row, which the general path then adds or refuses with its message.
   */
  private boolean addVectorRow(State state, Object yTrue, ArrayData yPred, InternalRow input) {
    VectorRows v = vectorRows;
    int width = yPred.numElements();
    if (width == 0 || !v.read(yPred, args().get(1).dataType(), false)) {
      return false;
    }
    DataType trueType = args().get(0).dataType();
    if (loss().vectorRowHasScalarTrue()) {
      v.trueBuffer(1)[0] = (float) AggregateInputs.scalar(yTrue, trueType);
    } else if (((ArrayData) yTrue).numElements() != width || !v.read((ArrayData) yTrue, trueType, true)) {
      return false;
    }
    PerSampleAggregation agg = (PerSampleAggregation) state.aggregation;
    boolean added;
    if (args().size() == 3) {
      Expression w = args().get(2);
      Object wv = w.eval(input);
      if (wv == null) {
        throw nullWeight();
      }
      added = agg.addVectorRow(v.yTrue, v.yPred, width, true, AggregateInputs.scalar(wv, w.dataType()));
    } else {
      added = agg.addVectorRow(v.yTrue, v.yPred, width, false, 0.0);
    }
    if (added) {
      state.rows++;
    }
    return added;
  }

  /** {@link #update} for a row of single numbers: the same counts and sums, no arrays. */
  private State updateScalarRow(State state, InternalRow input, ScalarColumn[] scalars) {
    if (scalars[0].isNull(input) | scalars[1].isNull(input)) {
      skipRow(state);
    } else if (scalars.length == 3) {
      boolean weightNull = scalars[2].isNull(input);
      addScalarRow(state, scalars[0].get(input), scalars[1].get(input), weightNull,
          weightNull ? 0.0 : scalars[2].get(input));
    } else {
      addScalarRow(state, scalars[0].get(input), scalars[1].get(input));
    }
    return state;
  }

  /**
   * Whether every row can take the scalar-row path ({@link #addScalarRow}): the loss has a
   * primitive kernel for rows of single numbers and every argument is a TINYINT, SMALLINT, INT,
   * BIGINT, FLOAT or DOUBLE column, whose value a Java {@code (double)} cast reads exactly as
   * {@link ScalarColumn} does. Such aggregates can be fused into generated code
   * ({@link FusedKerasLossStrategy}).
   */
  boolean fusable() {
    LossAggregation probe = loss().newAggregation();
    return probe instanceof PerSampleAggregation && ((PerSampleAggregation) probe).acceptsScalarRows()
        && args().stream().allMatch(e -> ScalarColumn.isPrimitiveNumber(e.dataType()));
  }

  /** A row left out because its y_true or y_pred is NULL. Public for generated code. */
  public void skipRow(State state) {
    state.nullRows++;
  }

  /** Adds an unweighted row of single numbers (neither NULL). Public for generated code. */
  public void addScalarRow(State state, double yTrue, double yPred) {
    ((PerSampleAggregation) state.aggregation).addScalarRow(yTrue, yPred);
    state.rows++;
  }

  /**
   * Adds a weighted row of single numbers (y_true and y_pred not NULL); a NULL weight is the
   * error {@link #update} raises. Public for generated code.
   */
  public void addScalarRow(State state, double yTrue, double yPred, boolean weightNull, double weight) {
    if (weightNull) {
      throw nullWeight();
    }
    ((PerSampleAggregation) state.aggregation).addScalarRow(yTrue, yPred, weight);
    state.rows++;
  }

  /**
   * Whether generated code may collect this aggregate's scalar rows in float arrays itself and hand
   * them over with {@link #addScalarBatch} (float32 rows with a batch kernel, see
   * {@link PerSampleAggregation#batchesScalarRows}); only for {@link #fusable} aggregates.
   */
  boolean batchesScalarRows() {
    return ((PerSampleAggregation) loss().newAggregation()).batchesScalarRows();
  }

  /**
   * Adds {@code count} rows whose y_true, y_pred (neither NULL) and weights ({@code null} for an
   * unweighted aggregate) were rounded to float32 by the caller: the same state as {@link
   * #addScalarRow} per row. Public for generated code.
   */
  public void addScalarBatch(State state, float[] yTrue, float[] yPred, float[] weight, int count) {
    ((PerSampleAggregation) state.aggregation).addScalarBatch(yTrue, yPred, weight, count);
    state.rows += count;
  }

  /** Raises the error of a NULL weight in a row with y_true and y_pred. Public for generated code. */
  public void failNullWeight() {
    throw nullWeight();
  }

  private IllegalArgumentException nullWeight() {
    return new IllegalArgumentException(arg(4, "sample_weight").describe() + " is NULL in a row with y_true and "
        + "y_pred; give every such row a weight (0 leaves its loss out of the sums), or leave the row out");
  }

  private AggregateInputs.Arg arg(int position, String name) {
    return new AggregateInputs.Arg(NAME, position, name, argName(position - 2));
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
    if (state.rows == 0) {
      return null;
    }
    double v = state.aggregation.result();
    return loss().dtype() == DType.FLOAT32 ? (Object) (float) v : (Object) v;
  }

  /**
   * The preamble naming this loss ({@link StatePreamble}: kind 'K', {@link LossStateIdentity}), then
   * rows added and rows left out (8 bytes each), then the loss state's own bytes.
   */
  @Override
  public byte[] serialize(State state) {
    StatePreamble p = preamble();
    byte[] agg = state.aggregation.toBytes();
    return p.writeTo(ByteBuffer.allocate(p.length() + 16 + agg.length)).putLong(state.rows).putLong(state.nullRows)
        .put(agg).array();
  }

  /** Reads {@link #serialize}'s bytes, and the unversioned ones lossagg wrote before the preamble. */
  @Override
  public State deserialize(byte[] bytes) {
    int at = preamble().bodyOffset(bytes, NAME);
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes, at, bytes.length - at);
      long rows = buf.getLong();
      long nullRows = buf.getLong();
      State s = new State(loss().aggregationFromBytes(Arrays.copyOfRange(bytes, at + 16, bytes.length)));
      s.rows = rows;
      s.nullRows = nullRows;
      return s;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(NAME + ": truncated aggregation buffer of " + bytes.length + " bytes", e);
    }
  }

  private StatePreamble preamble() {
    StatePreamble p = preamble;
    if (p == null) {
      p = StatePreamble.of(StatePreamble.KERAS_LOSS, LossStateIdentity.of(loss()));
      preamble = p;
    }
    return p;
  }
}
