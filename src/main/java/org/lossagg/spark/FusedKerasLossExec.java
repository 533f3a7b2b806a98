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
  /** Generated-code names of the aggregates and their row intakes, set by doProduce for doConsume. */
  private transient String[] fnTerms;
  private transient String[] stateTerms;
  private transient String[] intakeTerms;

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
    String[] intake = new String[losses.size()];
    String stateType = KerasLossAggregate.State.class.getCanonicalName();
    String intakeType = RowIntake.class.getCanonicalName();
    StringBuilder startStates = new StringBuilder();
    for (int i = 0; i < fn.length; i++) {
      fn[i] = ctx.addReferenceObj("kerasLoss", losses.function(i), KerasLossAggregate.class.getName());
      state[i] = ctx.addMutableState(stateType, "kerasLossState", v -> "", true, true);
      intake[i] = ctx.addMutableState(intakeType, "kerasLossIntake", v -> "", true, true);
      startStates.append(state[i]).append(" = ").append(fn[i]).append(".createAggregationBuffer();\n")
          .append(intake[i]).append(" = ").append(state[i]).append(".intake().open();\n");
    }
    this.fnTerms = fn;
    this.stateTerms = state;
    this.intakeTerms = intake;
    String doAgg = ctx.freshName("doFusedKerasLoss");
    String body = "private void " + doAgg + "() throws java.io.IOException {\n" + startStates
        + ((CodegenSupport) child).produce(ctx, this) + "}\n";
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
   * One row: each aggregate's arguments as generated by their expressions, then per aggregate
   * {@code skipRow} when y_true or y_pred is NULL, else the row into its intake. All at one block
   * level, so an input column's variable stays visible to every aggregate that reads it.
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
      appendRow(code, args, losses.function(i).path().kernel().batchesFloat32Rows(), fnTerms[i], intakeTerms[i]);
      code.append("}\n");
    }
    return code.toString();
  }

  /**
   * A row into its aggregate's intake: each value as the Java double the intake takes; float32
   * batches are filled here (rounded to float32 as {@link RowIntake#add} rounds: a BIGINT goes
   * through double, as there), the rest handed over per row.
   */
  private static void appendRow(StringBuilder code, ExprCode[] args, boolean batched, String fn, String in) {
    if (args.length == 3) {
      code.append("if (").append(args[2].isNull()).append(") {\n").append(fn).append(".failNullWeight();\n}\n");
    }
    if (!batched) {
      code.append(in).append(".add((double) ").append(args[0].value()).append(", (double) ").append(args[1].value())
          .append(", ").append(args.length == 3 ? "(double) " + args[2].value() : "0.0").append(");\n");
      return;
    }
    if (args.length == 3) {
      code.append(in).append(".weight[").append(in).append(".count] = (float) (double) ").append(args[2].value())
          .append(";\n");
    }
    code.append(in).append(".yTrue[").append(in).append(".count] = (float) (double) ").append(args[0].value())
        .append(";\n")
        .append(in).append(".yPred[").append(in).append(".count] = (float) (double) ").append(args[1].value())
        .append(";\n")
        .append("if (++").append(in).append(".count == ").append(RowIntake.BATCH).append(") {\n")
        .append(in).append(".addBatch();\n}\n");
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return child.execute().mapPartitionsInternal(new InterpretedPartition(losses, child.output()), false,
        ClassTag$.MODULE$.apply(InternalRow.class));
  }

  /** {@link #doExecute}'s per-partition loop: each aggregate bound to the child's rows, its own update. */
  private static final class InterpretedPartition extends AbstractFunction1<Iterator<InternalRow>, Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FusedKerasLosses losses;
    private final Seq<Attribute> input;

    InterpretedPartition(FusedKerasLosses losses, Seq<Attribute> input) {
      this.losses = losses;
      this.input = input;
    }

    @Override
    public Iterator<InternalRow> apply(Iterator<InternalRow> rows) {
      KerasLossAggregate[] bound = losses.bind(input);
      KerasLossAggregate.State[] states = losses.newStates();
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        for (int i = 0; i < states.length; i++) {
          bound[i].update(states[i], r);
        }
      }
      InternalRow out = losses.partialRow(states, UnsafeProjection.create(losses.partialSchema()));
      return scala.collection.Iterator$.MODULE$.single(out);
    }
  }
}
