package org.lossagg.spark;

import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.lossagg.numerics.DType;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.PerSample;
import org.lossagg.losses.RowKernel;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.spark.shim.LineExpression;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The per-row loss expression {@code loss_<fn>(y_true, y_pred[, options])}: Keras' functional form
 * on one row, evaluated as a batch of one ({@link Loss#functionOnRow}), in float32 when y_pred is
 * FLOAT and float64 otherwise (Keras' functional form computes in the input's dtype). A NULL y_true
 * or y_pred gives NULL. A loss with reference inputs ({@link org.lossagg.losses.LossSpec#referenceArgs()})
 * also has a reference form, e.g. {@code loss_circle(y_true, y_pred, ref_labels, ref_embeddings,
 * false[, gamma, margin])}, comparing the row with the given reference rows
 * ({@code keras.losses.circle(..., ref_labels, ref_embeddings)}).
 *
 * <p>The options are constants folded into the {@link Loss} when the call is analysed; the
 * children are the data arguments as the user wrote them (no casts), so the result type and the
 * compute dtype are derived from their types once they are resolved. That also lets the Column API
 * ({@link LossColumns#perRow}) build the expression over unresolved columns.
 */
public final class RowLoss extends LineExpression implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LossRecipe recipe;
  private final scala.collection.immutable.Seq<Expression> children;
  private transient volatile RowSignature signature;
  private transient Expression[] data;
  /** y_true and y_pred readers when both are numbers and the loss has a scalar-row kernel; else empty. */
  private transient ScalarColumn[] scalarRow;
  private transient RowKernel kernel;
  private static final ScalarColumn[] NO_SCALAR_ROW = new ScalarColumn[0];

  /**
   * Spark's constructor (also used reflectively by {@code TreeNode.makeCopy}): the recipe and the
   * data children, y_true and y_pred, optionally followed by the loss' reference inputs.
   */
  public RowLoss(LossRecipe recipe, Seq<Expression> children) {
    this.recipe = recipe;
    this.children = children.toList();
    int n = children.size();
    List<LossSpec.ReferenceArg> refs = recipe.loss().spec().referenceArgs();
    if (n != 2 && !(n == 2 + refs.size())) {
      List<String> names = new ArrayList<>();
      for (LossSpec.ReferenceArg r : refs) {
        names.add(r.name());
      }
      throw new IllegalArgumentException(recipe.loss().spec().sqlName() + " takes y_true and y_pred"
          + (refs.isEmpty() ? "" : " (and optionally " + String.join(", ", names) + ")") + ", got " + n
          + " data arguments");
    }
  }

  /** The expression of {@code loss} over {@code data}: y_true, y_pred[, the loss' reference inputs]. */
  static RowLoss of(Loss loss, List<Expression> data) {
    return new RowLoss(LossRecipe.of(loss), JavaConverters.asScalaBuffer(new ArrayList<>(data)).toList());
  }

  Loss loss() {
    return recipe.loss();
  }

  private String fn() {
    return recipe.loss().spec().sqlName();
  }

  /** The typing of this call; its children must be resolved. */
  RowSignature signature() {
    RowSignature s = signature;
    if (s == null) {
      List<DataType> types = new ArrayList<>();
      for (Expression c : JavaConverters.seqAsJavaList(children)) {
        types.add(c.dataType());
      }
      s = RowSignature.of(fn(), recipe.loss(), types);
      signature = s;
    }
    return s;
  }

  @Override
  public scala.collection.immutable.Seq<Expression> children() {
    return children;
  }

  @Override
  protected Expression withNewChildList(List<Expression> newChildren) {
    return new RowLoss(recipe, JavaConverters.asScalaBuffer(newChildren).toList());
  }

  @Override
  public TypeCheckResult checkInputDataTypes() {
    try {
      signature();
      return TypeCheckResult.TypeCheckSuccess$.MODULE$;
    } catch (IllegalArgumentException e) {
      return new TypeCheckResult.TypeCheckFailure(e.getMessage());
    }
  }

  @Override
  public DataType dataType() {
    return signature().resultType();
  }

  @Override
  public boolean nullable() {
    return true;
  }

  @Override
  public boolean foldable() {
    for (Expression c : JavaConverters.seqAsJavaList(children)) {
      if (!c.foldable()) {
        return false;
      }
    }
    return true;
  }

  /** The readers of a number-to-number call with a primitive kernel (built per bound copy). */
  private ScalarColumn[] scalarRow() {
    ScalarColumn[] r = scalarRow;
    if (r == null) {
      RowSignature s = signature();
      boolean scalar = children.size() == 2 && s.yTrue().rank() == 0 && s.yPred().rank() == 0 && s.outRank() == 0
          && recipe.loss().rowKernel().map(RowKernel::takesScalarRows).orElse(false);
      kernel = scalar ? recipe.loss().rowKernel().orElseThrow() : null;
      r = scalar ? new ScalarColumn[] {ScalarColumn.of(children.apply(0)), ScalarColumn.of(children.apply(1))}
          : NO_SCALAR_ROW;
      scalarRow = r;
    }
    return r;
  }

  @Override
  public Object eval(InternalRow row) {
    ScalarColumn[] scalar = scalarRow();
    if (scalar != NO_SCALAR_ROW) {
      if (scalar[0].isNull(row) || scalar[1].isNull(row)) {
        return null;
      }
      return kernel.scalarFunction(scalar[0].get(row), scalar[1].get(row), signature().dtype());
    }
    Expression[] data = this.data;
    if (data == null) {
      data = JavaConverters.seqAsJavaList(children).toArray(new Expression[0]);
      this.data = data;
    }
    Object[] values = new Object[data.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = data[i].eval(row);
      if (values[i] == null) {
        return null;
      }
    }
    return evalValues(values, signature());
  }

  /** {@link #eval}'s general path for the non-NULL data values of a row. */
  private Object evalValues(Object[] values, RowSignature s) {
    String fn = fn();
    NdArray yTrue = RowReader.read(values[0], s.yTrue(), fn, RowSignature.argument(0));
    NdArray yPred = RowReader.read(values[1], s.yPred(), fn, RowSignature.argument(1));
    s.checkRowShapes(fn, yTrue, yPred);
    PerSample ps;
    try {
      if (values.length > 2) {
        List<NdArray> references = new ArrayList<>();
        for (int i = 2; i < values.length; i++) {
          references.add(RowReader.read(values[i], s.references().get(i - 2), fn,
              RowSignature.argument(recipe.loss().spec(), i)));
        }
        ps = recipe.loss().functionOnRow(yTrue, yPred, references, s.dtype());
      } else {
        ps = recipe.loss().functionOnRow(yTrue, yPred, s.dtype());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(fn + ": " + e.getMessage(), e);
    }
    return RowResult.of(ps, s.outRank(), fn);
  }

  /**
   * Generated code calling the loss' {@link RowKernel}: for two primitive number arguments the
   * scalar kernel ({@link RowKernel#scalarFunction}); for float32 or float64 rows of 1-D primitive
   * arrays (y_true an array or, for a class-id kernel, a number) the vector kernel through
   * {@link #vectorRow} or {@link #vectorRow64}. Every other call hands its children's generated values to {@link #evalData},
   * {@link #eval}'s general path (so that a whole stage still compiles around it).
   */
  @Override
  public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
    RowSignature s = signature();
    RowKernel k = recipe.loss().rowKernel().orElse(null);
    boolean primitive = primitiveNumbers();
    boolean scalar = compilesToScalarKernel();
    boolean vector = k != null && primitive && !scalar && k.hasVectorRowFunction()
        && (s.dtype() == DType.FLOAT32 || s.dtype() == DType.FLOAT64)
        && s.yPred().rank() == 1 && s.yTrue().rank() == (k.vectorScalarTrue() ? 0 : 1);
    if (!scalar && !vector) {
      return generalCode(ctx, ev);
    }
    ExprCode t = children.apply(0).genCode(ctx);
    ExprCode p = children.apply(1).genCode(ctx);
    String self = ctx.addReferenceObj("rowLoss", this, RowLoss.class.getName());
    String call = scalar ? scalarCall(ctx, self, "(double) " + t.value(), "(double) " + p.value())
        : self + (s.dtype() == DType.FLOAT64 ? ".vectorRow64(" : ".vectorRow(") + (k.vectorScalarTrue() ? "(double) " : "")
            + t.value() + ", " + p.value() + ")";
    String code = t.code() + "\n" + p.code() + "\n"
        + "boolean " + ev.isNull() + " = " + t.isNull() + " || " + p.isNull() + ";\n"
        + "double " + ev.value() + " = -1.0;\n"
        + "if (!" + ev.isNull() + ") {\n" + ev.value() + " = " + call + ";\n}\n";
    return ev.copy(new org.apache.spark.sql.catalyst.expressions.codegen.CodeBlock(
        JavaConverters.asScalaBuffer(List.of(code)).toList(),
        JavaConverters.asScalaBuffer(List.<org.apache.spark.sql.catalyst.expressions.codegen.JavaCode>of()).toList()),
        ev.isNull(), ev.value());
  }

  /** Whether the data arguments are y_true and y_pred of primitive number elements and the result one number. */
  private boolean primitiveNumbers() {
    RowSignature s = signature();
    return children.size() == 2 && s.outRank() == 0 && NumberType.isPrimitive(s.yTrue().element())
        && NumberType.isPrimitive(s.yPred().element());
  }

  /**
   * Whether the generated code of a row is the scalar kernel's call on y_true and y_pred, two
   * primitive numbers ({@link #scalarValueCode}); its children must be resolved.
   */
  boolean compilesToScalarKernel() {
    RowSignature s = signature();
    RowKernel k = recipe.loss().rowKernel().orElse(null);
    return k != null && primitiveNumbers() && s.yTrue().rank() == 0 && s.yPred().rank() == 0 && k.takesScalarRows();
  }

  /**
   * Java code of the value of a row whose y_true and y_pred (not NULL) are the Java doubles
   * {@code yTrue} and {@code yPred}: the very call {@link #doGenCode} makes (its children's values
   * cast to double), for code that gathers rows before computing them. Only when
   * {@link #compilesToScalarKernel()}.
   */
  String scalarValueCode(CodegenContext ctx, String yTrue, String yPred) {
    return scalarCall(ctx, ctx.addReferenceObj("rowLoss", this, RowLoss.class.getName()), yTrue, yPred);
  }

  /**
   * The scalar kernel's call: on the kernel object ({@link RowKernel#scalar()}) held as its own class
   * in a field of the generated code when that class is public and final (the JIT then inlines that
   * kernel alone), with the inputs rounded as {@link RowKernel#scalarFunction} rounds them; else
   * {@link #scalarRow}.
   */
  private String scalarCall(CodegenContext ctx, String self, String yTrue, String yPred) {
    Class<?> c = kernel().scalar().getClass();
    if (!Modifier.isPublic(c.getModifiers()) || !Modifier.isFinal(c.getModifiers())) {
      return self + ".scalarRow(" + yTrue + ", " + yPred + ")";
    }
    String k = ctx.addMutableState(c.getName(), "rowLossKernel", v -> v + " = (" + c.getName() + ") " + self
        + ".scalarKernel();", true, true);
    String n = ctx.addMutableState(Numerics.class.getName(), "rowLossNumerics", v -> v + " = " + self
        + ".scalarNumerics();", true, true);
    return k + ".scalarRowValue(" + n + ".r(" + yTrue + "), " + n + ".r(" + yPred + "), " + n + ")";
  }

  /** The scalar kernel object, for generated code ({@link #scalarCall}). */
  public RowKernel.Scalar scalarKernel() {
    return kernel().scalar();
  }

  /** The numerics {@link RowKernel#scalarFunction} computes a row in, for generated code ({@link #scalarCall}). */
  public Numerics scalarNumerics() {
    return Numerics.of(signature().dtype(), recipe.loss().keras2());
  }

  /** Generated code evaluating the children, then {@link #evalData} on their (boxed) values. */
  private ExprCode generalCode(CodegenContext ctx, ExprCode ev) {
    String self = ctx.addReferenceObj("rowLoss", this, RowLoss.class.getName());
    StringBuilder code = new StringBuilder();
    StringBuilder isNull = new StringBuilder("false");
    List<String> values = new ArrayList<>();
    for (Expression c : JavaConverters.seqAsJavaList(children)) {
      ExprCode e = c.genCode(ctx);
      code.append(e.code()).append('\n');
      isNull.append(" || ").append(e.isNull());
      String jt = CodeGenerator$.MODULE$.javaType(c.dataType());
      values.add(CodeGenerator$.MODULE$.isPrimitiveType(jt)
          ? CodeGenerator$.MODULE$.boxedType(jt) + ".valueOf(" + e.value() + ")" : "(Object) " + e.value());
    }
    String jt = CodeGenerator$.MODULE$.javaType(dataType());
    String r = ctx.freshName("rowLossValue");
    code.append("boolean ").append(ev.isNull()).append(" = ").append(isNull).append(";\n")
        .append(jt).append(' ').append(ev.value()).append(" = ").append(CodeGenerator$.MODULE$.defaultValue(dataType(), true))
        .append(";\n")
        .append("if (!").append(ev.isNull()).append(") {\n")
        .append("Object ").append(r).append(" = ").append(self).append(".evalData(new Object[] {")
        .append(String.join(", ", values)).append("});\n")
        .append(ev.isNull()).append(" = ").append(r).append(" == null;\n")
        .append("if (!").append(ev.isNull()).append(") {\n").append(ev.value()).append(" = ")
        .append(jt.equals("double") ? "((Double) " + r + ").doubleValue()" : "(" + jt + ") " + r).append(";\n}\n}\n");
    return withCode(ev, code.toString());
  }

  private static ExprCode withCode(ExprCode ev, String code) {
    return ev.copy(new org.apache.spark.sql.catalyst.expressions.codegen.CodeBlock(
        JavaConverters.asScalaBuffer(List.of(code)).toList(),
        JavaConverters.asScalaBuffer(List.<org.apache.spark.sql.catalyst.expressions.codegen.JavaCode>of()).toList()),
        ev.isNull(), ev.value());
  }

  /** {@link #eval}'s general path for the non-NULL data values of a row. Public for generated code. */
  public Object evalData(Object[] values) {
    return evalValues(values, signature());
  }

  /** A row of two numbers through the loss' scalar kernel ({@link RowKernel#scalarFunction}). Public for generated code. */
  public double scalarRow(double yTrue, double yPred) {
    DType d = scalarDtype;
    if (d == null) {
      d = signature().dtype();
      scalarDtype = d;
    }
    return kernel().scalarFunction(yTrue, yPred, d);
  }

  private transient DType scalarDtype;

  /**
   * A float32 row of 1-D arrays through the loss' vector kernel, or, for a row the kernel does not
   * take (a NULL element, unequal lengths, a label outside the classes), {@link #eval}'s general
   * path with its messages. Public for generated code.
   */
  public double vectorRow(ArrayData yTrue, ArrayData yPred) {
    VectorRows v = vectorBuffers();
    int width = yPred.numElements();
    RowSignature s = signature();
    if (width > 0 && yTrue.numElements() == width && v.read(yPred, false)
        && v.read(yTrue, true) && kernel().vectorTakes(v.yTrue, width)) {
      return kernel().vectorRowFunction(v.yTrue, v.yPred, width);
    }
    return general(new Object[] {yTrue, yPred}, s);
  }

  /** {@link #vectorRow} for a kernel whose y_true is a class id. Public for generated code. */
  public double vectorRow(double yTrue, ArrayData yPred) {
    VectorRows v = vectorBuffers();
    int width = yPred.numElements();
    v.yTrue[0] = (float) yTrue;
    if (width > 0 && v.read(yPred, false) && kernel().vectorTakes(v.yTrue, width)) {
      return kernel().vectorRowFunction(v.yTrue, v.yPred, width);
    }
    return general(new Object[] {label(yTrue), yPred}, signature());
  }

  /** {@link #vectorRow(ArrayData, ArrayData)} for a row computing in float64. Public for generated code. */
  public double vectorRow64(ArrayData yTrue, ArrayData yPred) {
    VectorRows v = vectorBuffers();
    int width = yPred.numElements();
    if (width > 0 && yTrue.numElements() == width && v.read64(yPred, false)
        && v.read64(yTrue, true) && kernel().vectorTakes(v.yTrue64, width)) {
      return kernel().vectorRowFunction(v.yTrue64, v.yPred64, width);
    }
    return general(new Object[] {yTrue, yPred}, signature());
  }

  /** {@link #vectorRow(double, ArrayData)} for a row computing in float64. Public for generated code. */
  public double vectorRow64(double yTrue, ArrayData yPred) {
    VectorRows v = vectorBuffers();
    int width = yPred.numElements();
    v.yTrue64[0] = yTrue;
    if (width > 0 && v.read64(yPred, false) && kernel().vectorTakes(v.yTrue64, width)) {
      return kernel().vectorRowFunction(v.yTrue64, v.yPred64, width);
    }
    return general(new Object[] {label(yTrue), yPred}, signature());
  }

  private Object label(double yTrue) {
    return NumberType.of(vectorBuffers().trueType()) == NumberType.DOUBLE ? (Object) yTrue : boxedLabel(yTrue);
  }

  private Object boxedLabel(double v) {
    switch (NumberType.of(vectorBuffers().trueType())) {
      case FLOAT:
        return (float) v;
      case INT:
        return (int) v;
      case LONG:
        return (long) v;
      case SHORT:
        return (short) v;
      case BYTE:
        return (byte) v;
      default:
        return v;
    }
  }

  private double general(Object[] values, RowSignature s) {
    Object r = evalValues(values, s);
    if (r == null) {
      throw new IllegalStateException(fn() + ": a kernel loss gave no value for a row with y_true and y_pred");
    }
    return (Double) r;
  }

  private transient VectorRows vectorBuffers;

  private VectorRows vectorBuffers() {
    VectorRows v = vectorBuffers;
    if (v == null) {
      v = new VectorRows(children.apply(0).dataType(), children.apply(1).dataType());
      vectorBuffers = v;
    }
    return v;
  }

  private RowKernel kernel() {
    RowKernel k = kernel;
    if (k == null) {
      k = recipe.loss().rowKernel().orElseThrow();
      kernel = k;
    }
    return k;
  }

  @Override
  public String prettyName() {
    return fn();
  }

  @Override
  public String sql() {
    List<String> args = new ArrayList<>();
    for (Expression c : JavaConverters.seqAsJavaList(children)) {
      args.add(c.sql());
    }
    args.addAll(OptionArguments.render(recipe.loss()));
    return fn() + "(" + String.join(", ", args) + ")";
  }

  @Override
  public String toString() {
    List<String> args = new ArrayList<>();
    for (Expression c : JavaConverters.seqAsJavaList(children)) {
      args.add(c.toString());
    }
    args.addAll(OptionArguments.render(recipe.loss()));
    return fn() + "(" + String.join(", ", args) + ")";
  }

  @Override
  public int productArity() {
    return 2;
  }

  @Override
  public Object productElement(int n) {
    switch (n) {
      case 0:
        return recipe;
      case 1:
        return children;
      default:
        throw new IndexOutOfBoundsException(String.valueOf(n));
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof RowLoss;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowLoss && ((RowLoss) o).recipe.equals(recipe) && ((RowLoss) o).children.equals(children);
  }

  @Override
  public int hashCode() {
    return recipe.hashCode() * 31 + children.hashCode();
  }
}
