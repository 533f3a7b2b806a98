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
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode$;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode$;
import org.apache.spark.sql.execution.CodegenSupport;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.losses.PerSampleAggregation;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The partial half of a fused {@code keras_loss} aggregation: adds every row of its partition to
 * the aggregates' states and emits one row of serialized states (the aggregates' own buffer bytes).
 *
 * <p>Why it exists: Spark 3.5 compiles an aggregate into the stage's generated code only when its
 * buffer is fixed-width, which an exact sum is not; a TypedImperativeAggregate runs interpreted
 * after the compiled stage has handed each row over (a buffered row queue), and that hand-off cost
 * as much as the loss. Here the compiled stage calls {@link KerasLossAggregate#addScalarRow} with
 * the row's values as Java doubles, the same method (and the same state) the interpreted path uses,
 * so the numbers cannot differ; float32 losses instead collect the rounded values in float arrays
 * and hand over {@link PerSampleAggregation#BATCH} rows at a time, which is what addScalarRow does
 * inside (the batches' sums are exact, so their boundaries change no bit). {@link #doExecute} is
 * the per-row loop without code generation (when an input expression cannot be compiled, or
 * whole-stage codegen is off).
 *
 * <p>Product: child, the flattened input expressions (each aggregate's y_true, y_pred and optional
 * weight, in order), the output attributes, the aggregates.
 */
public final class FusedKerasLossExec extends FusedUnaryExec implements CodegenSupport {
  private static final long serialVersionUID = 1L;

  private final Seq<Expression> inputs;
  private CodegenSupport parent;
  /** Generated-code names of the aggregates and their states, set by doProduce for doConsume. */
  private transient String[] fnTerms;
  private transient String[] stateTerms;
  /** Per aggregate, its row batch's generated names (y_true, y_pred, weight arrays and count), or null. */
  private transient RowBatch[] batches;

  /**
   * The float arrays a float32 aggregate's rows are collected in by the generated code itself, one
   * {@link KerasLossAggregate#addScalarBatch} call per {@link PerSampleAggregation#BATCH} rows: the
   * per-row work (three stores) stays in the query's own compiled method, whatever the JIT decided
   * for lossagg's shared methods in earlier queries.
   */
  private record RowBatch(String yTrue, String yPred, String weight, String count) {
    String flushCall(String fn, String state) {
      return fn + ".addScalarBatch(" + state + ", " + yTrue + ", " + yPred + ", " + (weight == null ? "null" : weight)
          + ", " + count + ");\n" + count + " = 0;\n";
    }
  }

  public FusedKerasLossExec(SparkPlan child, Seq<Expression> inputs, Seq<Attribute> output, FusedKerasLosses losses) {
    super(child, output, losses);
    this.inputs = inputs;
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.IndexedSeq<SparkPlan> newChildren) {
    return new FusedKerasLossExec(newChildren.apply(0), inputs, output, losses);
  }

  @Override
  Object[] product() {
    return new Object[] {child, inputs, output, losses};
  }

  @Override
  public CodegenSupport parent() {
    return parent;
  }

  @Override
  public void parent_$eq(CodegenSupport p) {
    parent = p;
  }

  /** The inputs bound to the child's output (ordinals), in {@link #inputs} order. */
  private List<Expression> boundInputs() {
    List<Expression> bound = new ArrayList<>();
    for (Expression e : JavaConverters.seqAsJavaList(inputs)) {
      bound.add(BindReferences.bindReference(e, org.apache.spark.sql.catalyst.expressions.package$.MODULE$.AttributeSeq(child.output()), false));
    }
    return bound;
  }

  @Override
  public Seq<RDD<InternalRow>> inputRDDs() {
    return ((CodegenSupport) child).inputRDDs();
  }

  /** All rows are consumed before the one output row: the child need not stop early. */
  @Override
  public boolean needStopCheck() {
    return false;
  }

  @Override
  public String doProduce(CodegenContext ctx) {
    String init = ctx.addMutableState("boolean", "fusedInit", v -> "", true, true);
    String[] fn = new String[losses.size()];
    String[] state = new String[losses.size()];
    String stateType = KerasLossAggregate.State.class.getCanonicalName();
    StringBuilder startStates = new StringBuilder();
    RowBatch[] batch = new RowBatch[losses.size()];
    StringBuilder flushBatches = new StringBuilder();
    for (int i = 0; i < fn.length; i++) {
      fn[i] = ctx.addReferenceObj("kerasLoss", losses.function(i), KerasLossAggregate.class.getName());
      state[i] = ctx.addMutableState(stateType, "kerasLossState", v -> "", true, true);
      startStates.append(state[i]).append(" = ").append(fn[i]).append(".createAggregationBuffer();\n");
      if (losses.function(i).batchesScalarRows()) {
        batch[i] = new RowBatch(floatArray(ctx, "kerasLossTrue"), floatArray(ctx, "kerasLossPred"),
            losses.arity(i) == 3 ? floatArray(ctx, "kerasLossWeight") : null,
            ctx.addMutableState("int", "kerasLossBatched", v -> v + " = 0;", true, true));
        startStates.append(batch[i].count()).append(" = 0;\n");
        flushBatches.append("if (").append(batch[i].count()).append(" > 0) {\n")
            .append(batch[i].flushCall(fn[i], state[i])).append("}\n");
      }
    }
    this.fnTerms = fn;
    this.stateTerms = state;
    this.batches = batch;
    String doAgg = ctx.freshName("doFusedKerasLoss");
    String body = "private void " + doAgg + "() throws java.io.IOException {\n" + startStates
        + ((CodegenSupport) child).produce(ctx, this) + flushBatches + "}\n";
    String doAggCall = ctx.addNewFunction(doAgg, body, true);
    StringBuilder emit = new StringBuilder();
    List<ExprCode> outVars = new ArrayList<>();
    for (int i = 0; i < fn.length; i++) {
      String bytes = ctx.freshName("kerasLossStateBytes");
      emit.append("byte[] ").append(bytes).append(" = ").append(fn[i]).append(".serialize(").append(state[i]).append(");\n");
      outVars.add(ExprCode$.MODULE$.forNonNullValue(JavaCode$.MODULE$.variable(bytes, DataTypes.BinaryType)));
    }
    return "while (!" + init + ") {\n"
        + init + " = true;\n"
        + doAggCall + "();\n"
        + emit
        + consume(ctx, JavaConverters.asScalaBuffer(outVars).toList(), null) + "\n"
        + "}\n";
  }

  /**
   * One row: each aggregate's arguments as generated by their expressions, then a call per
   * aggregate ({@code skipRow} when y_true or y_pred is NULL). All at one block level, so an
   * input column's variable stays visible to every aggregate that reads it.
   */
  @Override
  public String doConsume(CodegenContext ctx, Seq<ExprCode> input, ExprCode row) {
    ctx.currentVars_$eq(input);
    ctx.INPUT_ROW_$eq(null);
    List<Expression> bound = boundInputs();
    StringBuilder code = new StringBuilder();
    int next = 0;
    for (int i = 0; i < losses.size(); i++) {
      int arity = losses.arity(i);
      ExprCode[] args = new ExprCode[arity];
      for (int j = 0; j < arity; j++) {
        args[j] = bound.get(next++).genCode(ctx);
        code.append(args[j].code()).append('\n');
      }
      code.append("if (").append(args[0].isNull()).append(" || ").append(args[1].isNull()).append(") {\n")
          .append(fnTerms[i]).append(".skipRow(").append(stateTerms[i]).append(");\n")
          .append("} else {\n");
      if (batches[i] != null) {
        appendBatchedRow(code, args, batches[i], fnTerms[i], stateTerms[i]);
      } else {
        code.append(fnTerms[i]).append(".addScalarRow(").append(stateTerms[i])
            .append(", (double) ").append(args[0].value()).append(", (double) ").append(args[1].value());
        if (arity == 3) {
          code.append(", ").append(args[2].isNull()).append(", (double) ").append(args[2].value());
        }
        code.append(");\n");
      }
      code.append("}\n");
    }
    return code.toString();
  }

  /**
   * A row into its aggregate's batch: each value as the Java double addScalarRow takes, then
   * rounded to float32 as PerSampleAggregation rounds it (a BIGINT goes through double, as there).
   */
  private static void appendBatchedRow(StringBuilder code, ExprCode[] args, RowBatch b, String fn, String state) {
    if (b.weight() != null) {
      code.append("if (").append(args[2].isNull()).append(") {\n").append(fn).append(".failNullWeight();\n}\n");
      code.append(b.weight()).append('[').append(b.count()).append("] = (float) (double) ").append(args[2].value())
          .append(";\n");
    }
    code.append(b.yTrue()).append('[').append(b.count()).append("] = (float) (double) ").append(args[0].value())
        .append(";\n")
        .append(b.yPred()).append('[').append(b.count()).append("] = (float) (double) ").append(args[1].value())
        .append(";\n")
        .append("if (++").append(b.count()).append(" == ").append(PerSampleAggregation.BATCH).append(") {\n")
        .append(b.flushCall(fn, state)).append("}\n");
  }

  private static String floatArray(CodegenContext ctx, String name) {
    return ctx.addMutableState("float[]", name, v -> v + " = new float[" + PerSampleAggregation.BATCH + "];", true, true);
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return child.execute().mapPartitionsInternal(new InterpretedPartition(losses, boundInputs()), false,
        ClassTag$.MODULE$.apply(InternalRow.class));
  }

  /** {@link #doExecute}'s per-partition loop: the same calls as the generated code, rows read by {@link ScalarColumn}. */
  private static final class InterpretedPartition extends AbstractFunction1<Iterator<InternalRow>, Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FusedKerasLosses losses;
    private final List<Expression> bound;

    InterpretedPartition(FusedKerasLosses losses, List<Expression> bound) {
      this.losses = losses;
      this.bound = List.copyOf(bound);
    }

    @Override
    public Iterator<InternalRow> apply(Iterator<InternalRow> rows) {
      KerasLossAggregate.State[] states = losses.newStates();
      ScalarColumn[] columns = bound.stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new);
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        int next = 0;
        for (int i = 0; i < states.length; i++) {
          int arity = losses.arity(i);
          ScalarColumn t = columns[next];
          ScalarColumn p = columns[next + 1];
          KerasLossAggregate f = losses.function(i);
          if (t.isNull(r) | p.isNull(r)) {
            f.skipRow(states[i]);
          } else if (arity == 3) {
            ScalarColumn w = columns[next + 2];
            boolean weightNull = w.isNull(r);
            f.addScalarRow(states[i], t.get(r), p.get(r), weightNull, weightNull ? 0.0 : w.get(r));
          } else {
            f.addScalarRow(states[i], t.get(r), p.get(r));
          }
          next += arity;
        }
      }
      InternalRow out = losses.partialRow(states, UnsafeProjection.create(losses.partialSchema()));
      return scala.collection.Iterator$.MODULE$.single(out);
    }
  }
}
