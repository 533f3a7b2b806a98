package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
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
    if (k == null) {
      return new RowPath(Kind.GENERAL, null, null, null);
    }
    if (k.takesScalarRows() && args.stream().allMatch(e -> AggregateInputs.depth(e.dataType()) == 0)) {
      return new RowPath(Kind.SCALAR, k, args.stream().map(ScalarColumn::of).toArray(ScalarColumn[]::new), null);
    }
    if (k.vectorRows().isPresent() && NumberType.isPrimitiveArray(args.get(1).dataType())
        && (k.vectorScalarTrue() ? NumberType.isPrimitive(args.get(0).dataType())
            : NumberType.isPrimitiveArray(args.get(0).dataType()))
        && (args.size() == 2 || NumberType.isPrimitive(args.get(2).dataType()))) {
      return new RowPath(Kind.VECTOR, k, null, new VectorRows());
    }
    return new RowPath(Kind.GENERAL, k, null, null);
  }

  /** The kernel of a kernel path; null on the general path. */
  @Override
  public RowKernel kernel() {
    return kind == Kind.GENERAL ? null : kernel;
  }
}
