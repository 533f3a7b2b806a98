package org.lossagg.losses;

import org.lossagg.numerics.Numerics;

/**
 * Keras {@code SquaredHinge}: {@code mean_{-1} max(1 - y * y_pred, 0)^2}, where
 * {@code y = 2 y_true - 1} if every label of the call is 0 or 1, else {@code y = y_true} (see
 * {@link BinaryLabelHingeLoss}; the aggregation of a table makes that decision for the whole table).
 * No options beyond {@code reduction}, {@code name} (default {@code squared_hinge}) and
 * {@code dtype}. tf.keras 2.x computes the same formula.
 *
 * <pre>{@code
 * Loss squaredHinge = SquaredHinge.builder().build();
 * squaredHinge.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *                   NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));   // 1.86
 * }</pre>
 */
public final class SquaredHinge extends BinaryLabelHingeLoss {
  public static final LossSpec SPEC = LossSpec.builder("SquaredHinge", "squared_hinge")
      .formula("mean(max(1 - y_true * y_pred, 0)^2) over the last axis; 0/1 labels become -1/1 when all labels are 0 or 1")
      .note(ROW_LABELS_NOTE)
      .sqlExample("SELECT loss_squared_hinge(array(0, 1), array(0.6, 0.4));",
          "1.4600000000000002")
      .factory(o -> new SquaredHinge(o, null));

  private SquaredHinge(LossOptions options, Boolean forcedConversion) {
    super(options, forcedConversion);
  }

  public static Builder<?, SquaredHinge> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  BinaryLabelHingeLoss withConversion(boolean convert) {
    return new SquaredHinge(options(), convert);
  }

  @Override
  protected double ofMargin(double h, Numerics n) {
    return n.mul(h, h);
  }
}
