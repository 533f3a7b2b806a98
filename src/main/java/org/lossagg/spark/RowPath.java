package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataType;
import org.lossagg.losses.Loss;
import org.lossagg.losses.RowKernel;

/**
 * How a bound {@code keras_loss} adds its rows, decided once from the loss' {@link RowKernel} and
 * the argument types: {@link Kind#SCALAR} when every argument is a number and the kernel takes
 * scalar rows; {@link Kind#VECTOR} when y_pred is an ARRAY of primitive numbers, y_true one too (or
 * a number, for a class-id kernel), the weight (if any) a primitive number and the kernel has a
 * float32 vector-row kernel; {@link Kind#GENERAL} otherwise. Kernel paths keep their state as the
 * kernel's {@link org.lossagg.losses.PerSampleAggregation}.
 */
record RowPath(Kind kind, RowKernel kernel, ScalarColumn[] scalars, VectorRows vectors) {
  enum Kind { GENERAL, SCALAR, VECTOR }

  static RowPath choose(Loss loss, List<Expression> args) {
    RowKernel k = loss.rowKernel().orElse(null);
    Kind kind = kind(k, args.stream().map(Expression::dataType).toList());
    return switch (kind) {
      case SCALAR -> new RowPath(kind, k, args.stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new), null);
      case VECTOR -> new RowPath(kind, k, null, new VectorRows(args.get(0).dataType(), args.get(1).dataType()));
      case GENERAL -> new RowPath(kind, k, null, null);
    };
  }

  /** The path of rows of these argument types (y_true, y_pred, optionally the weight) for kernel {@code k} (null: none). */
  static Kind kind(RowKernel k, List<DataType> types) {
    if (k == null) {
      return Kind.GENERAL;
    }
    if (k.takesScalarRows() && types.stream().allMatch(t -> AggregateInputs.depth(t) == 0)) {
      return Kind.SCALAR;
    }
    if (k.vectorRows().isPresent() && NumberType.isPrimitiveArray(types.get(1))
        && (k.vectorScalarTrue() ? NumberType.isPrimitive(types.get(0)) : NumberType.isPrimitiveArray(types.get(0)))
        && (types.size() == 2 || NumberType.isPrimitive(types.get(2)))) {
      return Kind.VECTOR;
    }
    return Kind.GENERAL;
  }

  /** The kernel of a kernel path; null on the general path. */
  @Override
  public RowKernel kernel() {
    return kind == Kind.GENERAL ? null : kernel;
  }
}
