package org.lossagg.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import org.lossagg.losses.Circle;
import org.lossagg.losses.Loss;
import org.lossagg.losses.PerSample;
import org.lossagg.losses.RowKernel;
import org.lossagg.numerics.NdArray;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The per-row loss expression {@code loss_<fn>(y_true, y_pred[, options])}: Keras' functional form
 * on one row, evaluated as a batch of one ({@link Loss#functionOnRow}), in float32 when y_pred is
 * FLOAT and float64 otherwise (Keras' functional form computes in the input's dtype). A NULL y_true
 * or y_pred gives NULL. Circle also has a reference form, {@code loss_circle(y_true, y_pred,
 * ref_labels, ref_embeddings, false[, gamma, margin])}, comparing the row with the given reference
 * rows ({@code keras.losses.circle(..., ref_labels, ref_embeddings)}).
 *
 * <p>The options are constants folded into the {@link Loss} when the call is analysed; the
 * children are the data arguments as the user wrote them (no casts), so the result type and the
 * compute dtype are derived from their types once they are resolved. That also lets the Column API
 * ({@link LossColumns#perRow}) build the expression over unresolved columns.
 */
public final class RowLoss extends Expression implements CodegenFallback, Serializable {
  private static final long serialVersionUID = 1L;

  private final LossRecipe recipe;
  private final Seq<Expression> children;
  private transient volatile RowSignature signature;
  private transient Expression[] data;
  /** y_true and y_pred readers when both are numbers and the loss has a scalar-row kernel; else empty. */
  private transient ScalarColumn[] scalarRow;
  private transient RowKernel kernel;
  private static final ScalarColumn[] NO_SCALAR_ROW = new ScalarColumn[0];

  /** Spark's constructor (also used reflectively by {@code TreeNode.makeCopy}): the recipe and the 2 or 4 data children. */
  public RowLoss(LossRecipe recipe, Seq<Expression> children) {
    this.recipe = recipe;
    this.children = children;
    int n = children.size();
    if (n != 2 && !(n == 4 && recipe.loss() instanceof Circle)) {
      throw new IllegalArgumentException(recipe.loss().spec().sqlName() + " takes y_true and y_pred"
          + (recipe.loss() instanceof Circle ? " (and optionally ref_labels, ref_embeddings)" : "") + ", got " + n
          + " data arguments");
    }
  }

  /** The expression of {@code loss} over {@code data} (y_true, y_pred[, ref_labels, ref_embeddings]). */
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
  public Seq<Expression> children() {
    return children;
  }

  @Override
  public Expression withNewChildrenInternal(scala.collection.IndexedSeq<Expression> newChildren) {
    return new RowLoss(recipe, newChildren.toList());
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
    RowSignature s = signature();
    String fn = fn();
    NdArray yTrue = RowReader.read(values[0], s.yTrue(), fn, RowSignature.argument(0));
    NdArray yPred = RowReader.read(values[1], s.yPred(), fn, RowSignature.argument(1));
    s.checkRowShapes(fn, yTrue, yPred);
    PerSample ps;
    try {
      if (values.length == 4) {
        NdArray refLabels = RowReader.read(values[2], s.refLabels(), fn, RowSignature.argument(2));
        NdArray refEmbeddings = RowReader.read(values[3], s.refEmbeddings(), fn, RowSignature.argument(3));
        ps = ((Circle) recipe.loss()).function(yTrue.reshape(1), yPred.reshape(1, yPred.size()), refLabels,
            refEmbeddings, s.dtype());
      } else {
        ps = recipe.loss().functionOnRow(yTrue, yPred, s.dtype());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(fn + ": " + e.getMessage(), e);
    }
    return RowResult.of(ps, s.outRank(), fn);
  }

  @Override
  public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
    return CodegenFallback.super.doGenCode(ctx, ev);
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
