package org.lossagg.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.BindReferences;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode$;
import org.apache.spark.sql.catalyst.expressions.codegen.GenerateUnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode$;
import org.apache.spark.sql.execution.CodegenSupport;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The partial half of a fused lossagg aggregation ({@link FusedKerasLossStrategy}): adds every row
 * of its partition to the states of the row's group and emits, per group, the row Spark's own
 * partial aggregation would emit (grouping keys, then each aggregate's serialized buffer), which
 * Spark's final aggregation merges after the shuffle.
 *
 * <p>Why it exists: Spark 3.5 compiles an aggregate into the stage's generated code only when its
 * buffer is fixed-width, which an exact sum is not; a TypedImperativeAggregate runs interpreted
 * after the compiled stage has handed each row over (a buffered row queue), and that hand-off cost
 * as much as the loss. Here the compiled stage looks the group up ({@link FusedGroups}) and runs
 * each aggregate's own row code ({@link LossAggregateFunction#fusedRowCode}: the same state and
 * methods as its interpreted {@code update}, so the numbers cannot differ). {@link #doExecute} is
 * the per-row loop without code generation: each aggregate's {@code update}.
 *
 * <p>Product: child, the grouping expressions, the flattened aggregate arguments (in aggregate
 * order), the output attributes (the partial aggregation's), the aggregates.
 */
public final class FusedKerasLossExec extends FusedUnaryExec implements CodegenSupport {
  private static final long serialVersionUID = 1L;

  private final Seq<Expression> grouping;
  private final Seq<Expression> inputs;
  private CodegenSupport parent;
  /** Generated-code names set by doProduce for doConsume. */
  private transient String groupsTerm;
  private transient String[] fnTerms;
  private transient String[] singleStateTerms;
  /** Per aggregate, grouped: its {@link GroupedRowBatch} (null: rows go to the group's state). */
  private transient String[] rowBatchTerms;
  private transient String emitTerm;
  /** Per aggregate, ungrouped: its {@link RowLossBatch} and the function emptying it (null: rows go one by one). */
  private transient String[] rowLossBatchTerms;
  private transient String[] rowLossFlushTerms;

  public FusedKerasLossExec(SparkPlan child, Seq<Expression> grouping, Seq<Expression> inputs, Seq<Attribute> output,
      FusedKerasLosses losses) {
    super(child, output, losses);
    this.grouping = grouping;
    this.inputs = inputs;
  }

  @Override
  protected SparkPlan withNewChildList(List<SparkPlan> newChildren) {
    return new FusedKerasLossExec(newChildren.get(0), grouping, inputs, output, losses);
  }

  @Override
  Object[] product() {
    return new Object[] {child, grouping, inputs, output, losses};
  }

  @Override
  public CodegenSupport parent() {
    return parent;
  }

  @Override
  public void parent_$eq(CodegenSupport p) {
    parent = p;
  }

  private boolean grouped() {
    return !grouping.isEmpty();
  }

  private static List<Expression> bind(Seq<Expression> exprs, Seq<Attribute> input) {
    List<Expression> bound = new ArrayList<>();
    for (Expression e : JavaConverters.seqAsJavaList(exprs)) {
      bound.add(BindReferences.bindReference(e,
          org.apache.spark.sql.catalyst.expressions.package$.MODULE$.AttributeSeq(input.toList()), false));
    }
    return bound;
  }

  @Override
  public scala.collection.immutable.Seq<RDD<InternalRow>> inputRDDs() {
    return ((CodegenSupport) child).inputRDDs().toList();
  }

  /**
   * Grouped, a spill of the group table emits partial rows in the middle of the input: the child
   * stops after that row so they are passed on, and resumes on the next call. Ungrouped, all rows
   * are consumed before the one output row.
   */
  @Override
  public boolean needStopCheck() {
    return grouped();
  }

  @Override
  public String doProduce(CodegenContext ctx) {
    String init = ctx.addMutableState("boolean", "fusedInit", v -> "", true, true);
    String done = ctx.addMutableState("boolean", "fusedDone", v -> "", true, true);
    String groupsType = FusedGroups.class.getName();
    String lossesTerm = ctx.addReferenceObj("fusedLosses", losses, FusedKerasLosses.class.getName());
    String groups = ctx.addMutableState(groupsType, "fusedGroups", v -> "", true, true);
    String[] fn = new String[losses.size()];
    String[] single = new String[losses.size()];
    String[] batches = new String[losses.size()];
    StringBuilder start = new StringBuilder(groups + " = " + lossesTerm + ".newGroups();\n");
    if (!grouped()) {
      String empty = groupsType + ".noKey()";
      String st = ctx.freshName("fusedStates");
      start.append("Object[] ").append(st).append(" = ").append(groups).append(".states(").append(groups)
          .append(".find(").append(empty).append("));\n");
      for (int i = 0; i < fn.length; i++) {
        String type = losses.function(i).stateClass().getCanonicalName();
        single[i] = ctx.addMutableState(type, "fusedState", v -> "", true, true);
        start.append(single[i]).append(" = (").append(type).append(") ").append(st).append('[').append(i).append("];\n");
      }
    } else {
      for (int i = 0; i < fn.length; i++) {
        if (losses.batchesGroupedRows(i)) {
          batches[i] = ctx.addMutableState(GroupedRowBatch.class.getName(), "fusedRowBatch", v -> "", true, true);
          start.append(batches[i]).append(" = ").append(groups).append(".rowBatch(").append(i).append(");\n");
        }
      }
    }
    for (int i = 0; i < fn.length; i++) {
      fn[i] = ctx.addReferenceObj("lossAggregate", losses.function(i), losses.function(i).getClass().getName());
    }
    StringBuilder flushes = new StringBuilder();
    this.rowLossBatchTerms = new String[fn.length];
    this.rowLossFlushTerms = new String[fn.length];
    if (!grouped()) {
      List<Expression> bound = bind(inputs, child.output());
      for (int i = 0, next = 0; i < fn.length; next += losses.arity(i), i++) {
        if (losses.function(i).batchesRowLoss()) {
          rowLossBatch(ctx, i, (RowLoss) bound.get(next), fn[i], single[i]);
          flushes.append(rowLossFlushTerms[i]).append("();\n");
        }
      }
    }
    this.groupsTerm = groups;
    this.fnTerms = fn;
    this.singleStateTerms = single;
    this.rowBatchTerms = batches;
    String emit = ctx.freshName("emitFusedRows");
    this.emitTerm = emit;
    String doAgg = ctx.freshName("doFusedKerasLoss");
    String doAggCall = ctx.addNewFunction(doAgg, "private void " + doAgg + "() throws java.io.IOException {\n"
        + ((CodegenSupport) child).produce(ctx, this) + "}\n", true);
    String row = ctx.freshName("fusedRow");
    String emitCall = ctx.addNewFunction(emit, "private void " + emit + "() throws java.io.IOException {\n"
        + "while (" + groups + ".hasOutput()) {\n"
        + "InternalRow " + row + " = " + groups + ".nextOutput();\n"
        + consume(ctx, null, row) + "\n"
        + "if (shouldStop()) return;\n"
        + "}\n}\n", true);
    // Partial rows of a spill left by a stop go out before more input rows (as each next row did
    // when it checked for output).
    return "if (!" + init + ") {\n" + init + " = true;\n" + start + "}\n"
        + "if (!" + done + ") {\n"
        + "if (" + groups + ".hasOutput()) {\n" + emitCall + "();\nif (shouldStop()) return;\n}\n"
        + doAggCall + "();\n"
        + flushes
        + "if (shouldStop()) return;\n"
        + done + " = true;\n"
        + groups + ".finish();\n"
        + "}\n"
        + emitCall + "();\n";
  }

  /**
   * The {@link RowLossBatch} of ungrouped aggregate {@code i} over the per-row loss {@code loss}
   * (bound to the child's rows), and the function computing and adding its waiting rows: one loop
   * of the loss' scalar kernel call (as the loss' own generated code makes it), then
   * {@link LossAggregateFunction#addRowLossValues}.
   */
  private void rowLossBatch(CodegenContext ctx, int i, RowLoss loss, String fn, String state) {
    String type = RowLossBatch.class.getName();
    String b = ctx.addMutableState(type, "rowLossBatch", v -> v + " = new " + type + "(" + (losses.arity(i) > 1) + ");",
        true, true);
    String k = ctx.freshName("row");
    String c = ctx.freshName("rows");
    String value = loss.scalarValueCode(ctx, b + ".yTrue[" + k + "]", b + ".yPred[" + k + "]");
    String flush = ctx.freshName("flushRowLossBatch");
    rowLossBatchTerms[i] = b;
    rowLossFlushTerms[i] = ctx.addNewFunction(flush, "private void " + flush + "() {\n"
        + "int " + c + " = " + b + ".count;\n"
        + "if (" + c + " > 0) {\n"
        + b + ".count = 0;\n"
        + "for (int " + k + " = 0; " + k + " < " + c + "; " + k + "++) {\n"
        + b + ".values[" + k + "] = " + value + ";\n"
        + "}\n"
        + fn + ".addRowLossValues(" + state + ", " + b + ".values, " + b + ".weight, " + c + ");\n"
        + "}\n}\n", true);
  }

  /**
   * Ungrouped aggregate {@code i}'s row through its {@link RowLossBatch}: y_true and y_pred of the
   * per-row loss {@code loss} (and the weight) wait there; a row whose loss is NULL, and a NULL weight
   * (which fails), go to the aggregate's row code as they would unbatched.
   */
  private String batchedRowLossCode(CodegenContext ctx, int i, RowLoss loss, List<Expression> rest) {
    String fn = fnTerms[i];
    String state = singleStateTerms[i];
    String b = rowLossBatchTerms[i];
    ExprCode t = loss.children().apply(0).genCode(ctx);
    ExprCode p = loss.children().apply(1).genCode(ctx);
    ExprCode[] others = new ExprCode[rest.size()];
    StringBuilder code = new StringBuilder(t.code() + "\n" + p.code() + "\n");
    for (int j = 0; j < others.length; j++) {
      others[j] = rest.get(j).genCode(ctx);
      code.append(others[j].code()).append('\n');
    }
    ExprCode[] nullLoss = withLoss(ExprCode$.MODULE$.forNullValue(DataTypes.DoubleType), others);
    code.append("if (").append(t.isNull()).append(" || ").append(p.isNull()).append(") {\n")
        .append(losses.function(i).fusedRowCode(fn, state, nullLoss)).append("} else {\n");
    if (others.length > 0) {
      ExprCode[] someLoss = withLoss(ExprCode$.MODULE$.forNonNullValue(JavaCode$.MODULE$.literal("0.0", DataTypes.DoubleType)),
          others);
      code.append("if (").append(others[0].isNull()).append(") {\n")
          .append(losses.function(i).fusedRowCode(fn, state, someLoss)).append("}\n")
          .append(b).append(".weight[").append(b).append(".count] = (double) ").append(others[0].value()).append(";\n");
    }
    return code.append(b).append(".yTrue[").append(b).append(".count] = (double) ").append(t.value()).append(";\n")
        .append(b).append(".yPred[").append(b).append(".count] = (double) ").append(p.value()).append(";\n")
        .append("if (++").append(b).append(".count == ").append(RowLossBatch.BATCH).append(") {\n")
        .append(rowLossFlushTerms[i]).append("();\n}\n}\n").toString();
  }

  private static ExprCode[] withLoss(ExprCode loss, ExprCode[] others) {
    ExprCode[] args = new ExprCode[others.length + 1];
    args[0] = loss;
    System.arraycopy(others, 0, args, 1, others.length);
    return args;
  }

  /**
   * One row: the group (its key evaluated into an UnsafeRow and looked up; the partial rows of a
   * spill, which the lookup flags, are emitted), then each aggregate's arguments as generated by
   * their expressions and the aggregate's row code: into the batch all groups share when the
   * aggregate has one, else into the group's state. Arguments are generated at one block level, so
   * an input column's variable stays visible to every aggregate that reads it.
   */
  @Override
  protected String doConsumeList(CodegenContext ctx, List<ExprCode> input, ExprCode row) {
    ctx.currentVars_$eq(JavaConverters.asScalaBuffer(input).toList());
    ctx.INPUT_ROW_$eq(null);
    StringBuilder code = new StringBuilder();
    // Every input column read here, once: a column that is a grouping key and an argument too, or
    // an argument of two aggregates, would otherwise be declared again where each reads it.
    List<Attribute> childOutput = JavaConverters.seqAsJavaList(child.output());
    for (int i = 0; i < childOutput.size(); i++) {
      if (readsColumn(childOutput.get(i))) {
        code.append(input.get(i).code()).append('\n');
        input.get(i).code_$eq(org.apache.spark.sql.catalyst.expressions.codegen.EmptyBlock$.MODULE$);
      }
    }
    String st = null;
    String g = null;
    if (grouped()) {
      List<Expression> keys = bind(grouping, child.output());
      g = ctx.freshName("fusedGroup");
      st = ctx.freshName("fusedStates");
      if (FusedGroups.longKeyed(losses.keyTypes())) {
        // One integral key: looked up as a long, no key row built or hashed per row.
        ExprCode key = keys.get(0).genCode(ctx);
        code.append(key.code()).append('\n')
            .append("int ").append(g).append(" = ").append(groupsTerm).append(".findLong(").append(key.isNull())
            .append(", ").append(key.isNull()).append(" ? 0L : (long) ").append(key.value()).append(");\n");
      } else {
        ExprCode key = GenerateUnsafeProjection.createCode(ctx, JavaConverters.asScalaBuffer(keys).toList(), false);
        code.append(key.code()).append('\n')
            .append("int ").append(g).append(" = ").append(groupsTerm).append(".find(").append(key.value()).append(");\n");
      }
      code.append("if (").append(g).append(" < 0) {\n").append(g).append(" = ~").append(g).append(";\n")
          .append(emitTerm).append("();\n}\n");
      if (!java.util.Arrays.stream(rowBatchTerms).allMatch(java.util.Objects::nonNull)) {
        code.append("Object[] ").append(st).append(" = ").append(groupsTerm).append(".states(").append(g).append(");\n");
      }
    }
    List<Expression> bound = bind(inputs, child.output());
    int next = 0;
    for (int i = 0; i < losses.size(); i++) {
      int arity = losses.arity(i);
      if (g == null && rowLossBatchTerms[i] != null) {
        code.append(batchedRowLossCode(ctx, i, (RowLoss) bound.get(next), bound.subList(next + 1, next + arity)));
        next += arity;
        continue;
      }
      ExprCode[] args = new ExprCode[arity];
      for (int j = 0; j < arity; j++) {
        args[j] = bound.get(next++).genCode(ctx);
        code.append(args[j].code()).append('\n');
      }
      String type = losses.function(i).stateClass().getCanonicalName();
      if (g == null) {
        code.append(losses.function(i).fusedRowCode(fnTerms[i], singleStateTerms[i], args));
      } else if (rowBatchTerms[i] != null) {
        // The group's state only for rows that do not enter the batch (NULL y_true or y_pred).
        String state = "((" + type + ") " + groupsTerm + ".states(" + g + ")[" + i + "])";
        code.append(losses.function(i).fusedBatchRowCode(fnTerms[i], rowBatchTerms[i], g, state, args));
      } else {
        code.append(losses.function(i).fusedRowCode(fnTerms[i], "((" + type + ") " + st + "[" + i + "])", args));
      }
    }
    return code.toString();
  }

  /** Whether a grouping expression or an aggregate argument reads {@code column}. */
  private boolean readsColumn(Attribute column) {
    for (Expression e : JavaConverters.seqAsJavaList(grouping)) {
      if (e.references().contains(column)) {
        return true;
      }
    }
    for (Expression e : JavaConverters.seqAsJavaList(inputs)) {
      if (e.references().contains(column)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return child.execute().mapPartitionsInternal(new InterpretedPartition(losses, grouping, child.output()), false,
        ClassTag$.MODULE$.apply(InternalRow.class));
  }

  /** {@link #doExecute}'s per-partition loop: each aggregate bound to the child's rows, its own update. */
  private static final class InterpretedPartition extends AbstractFunction1<Iterator<InternalRow>, Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FusedKerasLosses losses;
    private final Seq<Expression> grouping;
    private final Seq<Attribute> input;

    InterpretedPartition(FusedKerasLosses losses, Seq<Expression> grouping, Seq<Attribute> input) {
      this.losses = losses;
      this.grouping = grouping;
      this.input = input;
    }

    @Override
    public Iterator<InternalRow> apply(Iterator<InternalRow> rows) {
      LossAggregateFunction<?>[] bound = losses.bind(input);
      UnsafeProjection key = UnsafeProjection.create(JavaConverters.asScalaBuffer(bind(grouping, input)).toList());
      FusedGroups groups = losses.newGroups();
      return new AbstractIterator<InternalRow>() {
        private boolean finished;

        @Override
        public boolean hasNext() {
          while (!groups.hasOutput() && !finished) {
            if (rows.hasNext()) {
              InternalRow r = rows.next();
              UnsafeRow k = key.apply(r);
              int g = groups.find(k);
              Object[] states = groups.states(g < 0 ? ~g : g);
              for (int i = 0; i < bound.length; i++) {
                bound[i].updateState(states[i], r);
              }
            } else {
              finished = true;
              groups.finish();
            }
          }
          return groups.hasOutput();
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return groups.nextOutput();
        }
      };
    }
  }
}
