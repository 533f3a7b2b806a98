package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The Catalyst plumbing shared by lossagg's aggregates, so that each one only says how a row is
 * added, how states merge and travel, and what the result is. An aggregate is a case-class-like
 * node: its constructor arguments are its constant arguments ({@link #constants()}), its children,
 * the SQL text of the children as the user wrote them (for runtime errors, where children are bound
 * references) and the two buffer offsets, in that order, which is also its product (Spark copies
 * nodes through the product and the public constructor).
 *
 * @param <T> the aggregation buffer
 */
public abstract class LossAggregateFunction<T> extends TypedAggregateNode<T> {
  private static final long serialVersionUID = 1L;

  private final List<String> argNames;

  protected LossAggregateFunction(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    super(children, mutableAggBufferOffset, inputAggBufferOffset);
    this.argNames = List.copyOf(argNames);
    if (this.argNames.size() != args().size()) {
      throw new IllegalArgumentException("one name per child: " + argNames + " for " + args());
    }
  }

  protected static Seq<Expression> seq(Expression... children) {
    return JavaConverters.asScalaBuffer(Arrays.asList(children)).toList();
  }

  /** The SQL text of each child, as written (before analysis binds them). */
  protected static List<String> names(Seq<Expression> children) {
    List<String> out = new ArrayList<>();
    for (Expression e : JavaConverters.seqAsJavaList(children)) {
      out.add(AggregateInputs.display(e));
    }
    return out;
  }

  /** The non-child constructor arguments, in constructor order. */
  protected abstract Object[] constants();

  /** This aggregate with other children or offsets. */
  protected abstract LossAggregateFunction<T> copy(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset);

  @Override
  protected final LossAggregateFunction<T> copy(Seq<Expression> children, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    return copy(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  /**
   * Why the children's types are not acceptable ({@code null} when they are): the same message the
   * SQL function raises as an AnalysisException, and Column callers get from Spark's type check.
   */
  protected abstract String typeProblem();

  /** The constant arguments as they appear in SQL text, before the children. */
  protected abstract List<String> sqlConstantsBefore();

  /** The constant arguments as they appear in SQL text, after the children. */
  List<String> sqlConstantsAfter() {
    return List.of();
  }

  /** The buffer class (states are checked against it where they are held untyped, as in {@link FusedGroups}). */
  protected abstract Class<T> stateClass();

  /**
   * Whether the fused plan ({@link FusedKerasLossStrategy}) can run this aggregate's per-row work in
   * generated code: {@link #fusedRowCode} adds a row exactly as {@link #update} does.
   */
  protected boolean fusable() {
    return false;
  }

  /** A fresh state for the fused plan's generated code (ready for {@link #fusedRowCode}). */
  T newFusedState() {
    return createAggregationBuffer();
  }

  /**
   * Java code adding one row to {@code state} (an expression of type {@link #stateClass()}), whose
   * arguments are {@code args} (generated values of this aggregate's children, in order), exactly
   * as {@link #update} adds it; {@code fn} names this aggregate in the generated code. Only when
   * {@link #fusable()}.
   */
  protected String fusedRowCode(String fn, String state, ExprCode[] args) {
    throw new UnsupportedOperationException(prettyName() + " is not fusable");
  }

  /**
   * Whether an ungrouped fused plan may gather the rows of argument 0, a per-row loss
   * ({@link RowLoss#compilesToScalarKernel()}), in a {@link RowLossBatch} and add their computed
   * values with {@link #addRowLossValues}: then {@link #fusedRowCode} adds a row whose loss is NULL
   * (and fails a row as {@link #update} does) and {@link #addRowLossValues} the values of the others,
   * which gives the state {@link #fusedRowCode} would give row by row. Only when {@link #fusable()}.
   */
  boolean batchesRowLoss() {
    return false;
  }

  /** Whether argument 0 is a per-row loss whose generated code is its scalar kernel's call. */
  protected final boolean lossIsScalarKernelRow() {
    return !args().isEmpty() && args().get(0) instanceof RowLoss && ((RowLoss) args().get(0)).compilesToScalarKernel();
  }

  /**
   * Adds {@code count} rows whose per-row loss is not NULL, their loss values in {@code values} and,
   * with a weight argument, their weights (none NULL) in {@code weights}, in row order. Public for
   * generated code; only when {@link #batchesRowLoss()}.
   */
  public void addRowLossValues(T state, double[] values, double[] weights, int count) {
    throw new UnsupportedOperationException(prettyName() + " takes no per-row loss batches");
  }

  /**
   * Whether, grouped, this aggregate's rows of all groups share one batch
   * ({@link #newGroupedRowBatch}, rows added by {@link #fusedBatchRowCode}) instead of going to their
   * group's state one by one ({@link #fusedRowCode}).
   */
  boolean batchesGroupedRows() {
    return false;
  }

  /**
   * The batch for this aggregate's rows shared by all groups of {@code groups} (it is aggregate
   * {@code aggregate} there). Only when {@link #batchesGroupedRows()}.
   */
  GroupedRowBatch newGroupedRowBatch(FusedGroups groups, int aggregate, int maxGroups) {
    throw new UnsupportedOperationException(prettyName() + " has no grouped row batch");
  }

  /**
   * Java code adding one row of group {@code group} (an int expression) to {@code batch} (a
   * {@link GroupedRowBatch} from {@link #newGroupedRowBatch}), exactly as {@link #fusedRowCode}
   * adds it to {@code state} (the group's state, for rows that do not enter the batch). Only when
   * {@link #batchesGroupedRows()}.
   */
  String fusedBatchRowCode(String fn, String batch, String group, String state, ExprCode[] args) {
    throw new UnsupportedOperationException(prettyName() + " has no grouped row batch");
  }

  /** The generated value {@code v} of {@code e} as an Object, as {@code e.eval} would return it. */
  protected static String boxed(ExprCode v, Expression e) {
    String jt = org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$.MODULE$.javaType(e.dataType());
    return org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$.MODULE$.isPrimitiveType(jt)
        ? org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$.MODULE$.boxedType(jt) + ".valueOf(" + v.value() + ")"
        : "(Object) " + v.value();
  }

  /** {@link #update} of a state held untyped. */
  final void updateState(Object state, org.apache.spark.sql.catalyst.InternalRow row) {
    update(stateClass().cast(state), row);
  }

  /** {@link #serialize} of a state held untyped. */
  final byte[] serializeState(Object state) {
    return serialize(stateClass().cast(state));
  }

  /** The SQL text of child {@code i} as the user wrote it. */
  protected final String argName(int i) {
    return argNames.get(i);
  }

  /** NULL for a table or group without rows; aggregates whose result is a struct of counts override it. */
  @Override
  public boolean nullable() {
    return true;
  }

  final List<String> argNames() {
    return argNames;
  }

  @Override
  public TypeCheckResult checkInputDataTypes() {
    String problem = typeProblem();
    return problem == null ? TypeCheckResult.TypeCheckSuccess$.MODULE$ : new TypeCheckResult.TypeCheckFailure(problem);
  }

  @Override
  public String sql(boolean isDistinct) {
    StringJoiner j = new StringJoiner(", ", prettyName() + "(" + (isDistinct ? "DISTINCT " : ""), ")");
    sqlConstantsBefore().forEach(j::add);
    for (Expression c : args()) {
      j.add(c.sql());
    }
    sqlConstantsAfter().forEach(j::add);
    return j.toString();
  }

  @Override
  public String toString() {
    return sql(false);
  }

  /** Plans show the constants as written and the children, not the names and buffer offsets. */
  @Override
  public scala.collection.Iterator<Object> stringArgs() {
    List<Object> args = new ArrayList<>(sqlConstantsBefore());
    args.addAll(args());
    args.addAll(sqlConstantsAfter());
    return JavaConverters.asScalaIterator(args.iterator());
  }

  @Override
  public int productArity() {
    return constants().length + 4;
  }

  @Override
  public Object productElement(int n) {
    Object[] c = constants();
    if (n < c.length) {
      return c[n];
    }
    switch (n - c.length) {
      case 0:
        return children();
      case 1:
        return argNames;
      case 2:
        return mutableAggBufferOffset();
      case 3:
        return inputAggBufferOffset();
      default:
        throw new IndexOutOfBoundsException("productElement " + n + " of " + productArity());
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that != null && that.getClass() == getClass();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!canEqual(o)) {
      return false;
    }
    LossAggregateFunction<?> other = (LossAggregateFunction<?>) o;
    return Arrays.equals(constants(), other.constants()) && args().equals(other.args())
        && argNames.equals(other.argNames) && mutableAggBufferOffset() == other.mutableAggBufferOffset()
        && inputAggBufferOffset() == other.inputAggBufferOffset();
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), Arrays.hashCode(constants()), args(), argNames, mutableAggBufferOffset(),
        inputAggBufferOffset());
  }
}
