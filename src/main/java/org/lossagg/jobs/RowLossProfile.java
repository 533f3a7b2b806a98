package org.lossagg.jobs;

import static org.lossagg.spark.shim.Columns.column;
import static org.lossagg.spark.shim.Columns.expression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.InterpretedOrdering;
import org.apache.spark.sql.catalyst.expressions.NullsLast$;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.SortOrder$;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.spark.LossAggregateFunction;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The per-row side of one loss on one slice, in the same aggregation as its reductions: the
 * {@link OctaveHistogram} of the per-row loss and, when {@code worst > 0}, the {@link WorstRows}.
 * Children: the per-row loss (DOUBLE or FLOAT), then the input columns the worst rows carry (none
 * without {@code worst}). Result: {@code struct<histogram: struct<min, max, non_finite, zeros,
 * negative, positive>, worst: array<struct<row_loss, c0, c1, ...>>>}, {@code negative}/{@code positive}
 * listing {@code (octave, count)} for each counted octave, {@code worst} first (worst) first. A row's
 * columns are looked at only when its loss may place it among the worst ({@link #add}). It runs in
 * the fused plan ({@link #fusedRowCode}) with the same two methods as {@link #update}.
 */
public final class RowLossProfile extends LossAggregateFunction<RowLossProfile.State> {
  private static final long serialVersionUID = 1L;

  static final StructType OCTAVE = new StructType(new StructField[] {
      DataTypes.createStructField("octave", DataTypes.IntegerType, false),
      DataTypes.createStructField("count", DataTypes.LongType, false)});
  static final StructType HISTOGRAM = new StructType(new StructField[] {
      DataTypes.createStructField("min", DataTypes.DoubleType, true),
      DataTypes.createStructField("max", DataTypes.DoubleType, true),
      DataTypes.createStructField("non_finite", DataTypes.LongType, false),
      DataTypes.createStructField("zeros", DataTypes.LongType, false),
      DataTypes.createStructField("negative", DataTypes.createArrayType(OCTAVE, false), false),
      DataTypes.createStructField("positive", DataTypes.createArrayType(OCTAVE, false), false)});

  private final int worst;
  private transient UnsafeProjection columnsProjection;
  private transient InterpretedOrdering columnOrder;

  /** One state: the histogram and the worst rows so far. Public for generated code. */
  public static final class State {
    final OctaveHistogram histogram;
    final WorstRows worst;

    State(OctaveHistogram histogram, WorstRows worst) {
      this.histogram = histogram;
      this.worst = worst;
    }
  }

  /** The node Spark builds and copies: the constant {@code worst}, the children, their names, the buffer offsets. */
  public RowLossProfile(int worst, Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
    if (worst < 0) {
      throw new IllegalArgumentException("RowLossProfile: worst must be >= 0, got " + worst);
    }
    this.worst = worst;
  }

  /**
   * The aggregate as a Column: the histogram of {@code rowLoss} (a DOUBLE or FLOAT column) and the
   * first {@code worst} rows (0 for none) carrying {@code columns}.
   */
  static Column of(Column rowLoss, int worst, List<Column> columns) {
    List<Expression> children = new ArrayList<>();
    children.add(expression(rowLoss));
    if (worst > 0) {
      columns.forEach(c -> children.add(expression(c)));
    }
    Seq<Expression> seq = JavaConverters.asScalaBuffer(children).toList();
    return column((Expression) new RowLossProfile(worst, seq, names(seq), 0, 0).toAggregateExpression());
  }

  private int columnCount() {
    return worst == 0 ? 0 : args().size() - 1;
  }

  @Override
  protected Object[] constants() {
    return new Object[] {worst};
  }

  @Override
  protected RowLossProfile copy(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    return new RowLossProfile(worst, children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  @Override
  protected String typeProblem() {
    if (args().isEmpty()) {
      return prettyName() + " takes the per-row loss, then the columns the worst rows carry; got no arguments";
    }
    DataType t = args().get(0).dataType();
    return t == DataTypes.DoubleType || t == DataTypes.FloatType ? null
        : prettyName() + ": the per-row loss must be DOUBLE or FLOAT, got " + t.simpleString();
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of(String.valueOf(worst));
  }

  @Override
  protected Class<State> stateClass() {
    return State.class;
  }

  @Override
  public String prettyName() {
    return "lossagg_row_loss_profile";
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public DataType dataType() {
    List<StructField> row = new ArrayList<>();
    row.add(DataTypes.createStructField("row_loss", DataTypes.DoubleType, true));
    for (int i = 0; i < columnCount(); i++) {
      row.add(DataTypes.createStructField("c" + i, args().get(i + 1).dataType(), true));
    }
    return new StructType(new StructField[] {
        DataTypes.createStructField("histogram", HISTOGRAM, false),
        DataTypes.createStructField("worst", DataTypes.createArrayType(DataTypes.createStructType(row), false),
            false)});
  }

  @Override
  public State createAggregationBuffer() {
    return new State(new OctaveHistogram(), new WorstRows(worst, columnOrder()));
  }

  /** Spark's ascending, NULLs-last order over the orderable input columns (maps are skipped). */
  private InterpretedOrdering columnOrder() {
    if (columnOrder == null) {
      List<SortOrder> orders = new ArrayList<>();
      for (int i = 0; i < columnCount(); i++) {
        DataType t = args().get(i + 1).dataType();
        if (RowOrdering.isOrderable(t)) {
          orders.add(sortOrder(i, t));
        }
      }
      columnOrder = new InterpretedOrdering(JavaConverters.asScalaBuffer(orders).toList());
    }
    return columnOrder;
  }

  @Override
  public State update(State state, InternalRow input) {
    Expression rowLoss = args().get(0);
    boolean isNull;
    double loss;
    if (rowLoss instanceof BoundReference) {
      // The loss column as a primitive: no boxing per row (BoundReference.eval boxes).
      int ordinal = ((BoundReference) rowLoss).ordinal();
      isNull = input.isNullAt(ordinal);
      loss = isNull ? 0.0 : rowLoss.dataType() == DataTypes.DoubleType ? input.getDouble(ordinal) : input.getFloat(ordinal);
    } else {
      Object v = rowLoss.eval(input);
      isNull = v == null;
      loss = isNull ? 0.0 : ((Number) v).doubleValue();
    }
    if (add(state, isNull, loss)) {
      Object[] columns = new Object[columnCount()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = args().get(i + 1).eval(input);
      }
      offer(state, isNull, loss, columns);
    }
    return state;
  }

  /**
   * Counts a row's loss ({@code lossNull}: a masked row) in the histogram; true when the row may be
   * among the worst (its loss places it there or ties with the next row to drop), when its columns
   * go to {@link #offer}. Public for generated code.
   */
  public boolean add(State state, boolean lossNull, double loss) {
    if (!lossNull) {
      state.histogram.add(loss);
    }
    return worst > 0 && state.worst.mayKeep(lossNull, loss);
  }

  /**
   * Keeps the row among the worst if it is: {@code columns} are its input columns' values as
   * evaluation returns them (they are copied when kept). Public for generated code.
   */
  public void offer(State state, boolean lossNull, double loss, Object[] columns) {
    GenericInternalRow row = new GenericInternalRow(columns);
    if (state.worst.wouldKeep(lossNull, loss, kept -> compareColumns(row, kept))) {
      if (columnsProjection == null) {
        List<Expression> refs = new ArrayList<>();
        for (int i = 0; i < columnCount(); i++) {
          refs.add(new BoundReference(i, args().get(i + 1).dataType(), true));
        }
        columnsProjection = UnsafeProjection.create(JavaConverters.asScalaBuffer(refs).toList());
      }
      state.worst.offer(new WorstRows.Entry(lossNull ? null : loss, columnsProjection.apply(row).copy()));
    }
  }

  /** Always: the loss is a number column and the columns are carried as they are. */
  @Override
  protected boolean fusable() {
    return true;
  }

  @Override
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    String loss = "(double) " + args[0].value();
    StringBuilder columns = new StringBuilder();
    for (int i = 1; i < args.length; i++) {
      columns.append(i == 1 ? "" : ", ").append(args[i].isNull()).append(" ? null : ")
          .append(boxed(args[i], args().get(i)));
    }
    return "if (" + fn + ".add(" + state + ", " + args[0].isNull() + ", " + loss + ")) {\n"
        + fn + ".offer(" + state + ", " + args[0].isNull() + ", " + loss + ", new Object[] {" + columns + "});\n}\n";
  }

  /**
   * {@link #columnOrder} between a row's columns ({@code columns}, ordinals from 0) and a kept row's,
   * column by column until one differs.
   */
  private int compareColumns(InternalRow columns, UnsafeRow kept) {
    InterpretedOrdering[] orders = singleColumnOrders();
    for (int k = 0; k < orders.length; k++) {
      int i = orderedColumns[k];
      DataType t = args().get(i + 1).dataType();
      Object a = columns.get(i, t);
      Object b = kept.get(i, t);
      int c = orders[k].compare(new GenericInternalRow(new Object[] {a}), new GenericInternalRow(new Object[] {b}));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private transient InterpretedOrdering[] singleColumnOrders;
  private transient int[] orderedColumns;

  /** {@link #columnOrder}'s terms, each as the order of a one-column row. */
  private InterpretedOrdering[] singleColumnOrders() {
    if (singleColumnOrders == null) {
      List<InterpretedOrdering> orders = new ArrayList<>();
      List<Integer> columns = new ArrayList<>();
      for (int i = 0; i < columnCount(); i++) {
        DataType t = args().get(i + 1).dataType();
        if (RowOrdering.isOrderable(t)) {
          orders.add(ascendingNullsLast(0, t));
          columns.add(i);
        }
      }
      orderedColumns = columns.stream().mapToInt(Integer::intValue).toArray();
      singleColumnOrders = orders.toArray(new InterpretedOrdering[0]);
    }
    return singleColumnOrders;
  }

  private static InterpretedOrdering ascendingNullsLast(int ordinal, DataType t) {
    return new InterpretedOrdering(JavaConverters.asScalaBuffer(List.of(sortOrder(ordinal, t))).toList());
  }

  private static SortOrder sortOrder(int ordinal, DataType t) {
    return SortOrder$.MODULE$.apply(new BoundReference(ordinal, t, true), Ascending$.MODULE$, NullsLast$.MODULE$,
        JavaConverters.asScalaBuffer(new ArrayList<Expression>()).toList());
  }

  @Override
  public State merge(State state, State other) {
    state.histogram.merge(other.histogram);
    state.worst.merge(other.worst);
    return state;
  }

  @Override
  public Object eval(State state) {
    OctaveHistogram h = state.histogram;
    boolean any = h.finiteCount() > 0;
    InternalRow histogram = new GenericInternalRow(new Object[] {any ? h.min() : null, any ? h.max() : null,
        h.nonFinite(), h.zeros(), octaves(h.negative()), octaves(h.positive())});
    List<WorstRows.Entry> ranked = state.worst.ranked();
    Object[] rows = new Object[ranked.size()];
    for (int r = 0; r < rows.length; r++) {
      WorstRows.Entry e = ranked.get(r);
      Object[] values = new Object[columnCount() + 1];
      values[0] = e.loss();
      for (int i = 0; i < columnCount(); i++) {
        values[i + 1] = e.columns().get(i, args().get(i + 1).dataType());
      }
      rows[r] = new GenericInternalRow(values);
    }
    return new GenericInternalRow(new Object[] {histogram, new GenericArrayData(rows)});
  }

  private static GenericArrayData octaves(OctaveHistogram.OctaveCounts counts) {
    List<Object> out = new ArrayList<>();
    if (!counts.isEmpty()) {
      for (int e = counts.lowest(); e <= counts.highest(); e++) {
        if (counts.count(e) > 0) {
          out.add(new GenericInternalRow(new Object[] {e, counts.count(e)}));
        }
      }
    }
    return new GenericArrayData(out.toArray());
  }

  @Override
  public byte[] serialize(State state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      state.histogram.write(out);
      state.worst.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("RowLossProfile: cannot write a state to memory", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public State deserialize(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      OctaveHistogram histogram = OctaveHistogram.read(in);
      WorstRows rows = new WorstRows(worst, columnOrder());
      rows.readFrom(in, columnCount());
      return new State(histogram, rows);
    } catch (IOException e) {
      throw new UncheckedIOException("RowLossProfile: a state of " + bytes.length + " bytes does not read back", e);
    }
  }
}
