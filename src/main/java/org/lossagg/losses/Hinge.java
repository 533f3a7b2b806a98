package org.lossagg.losses;

import org.lossagg.numerics.Numerics;

/**
 * Keras {@code Hinge}: {@code mean_{-1} max(1 - y * y_pred, 0)}, where {@code y = 2 y_true - 1} if
 * every label of the call is 0 or 1, else {@code y = y_true} (see {@link BinaryLabelHingeLoss}; the
 * aggregation of a table makes that decision for the whole table). No options beyond
 * {@code reduction}, {@code name} (default {@code hinge}) and {@code dtype}. tf.keras 2.x computes
 * the same formula.
 *
 * <pre>{@code
 * Loss hinge = Hinge.builder().build();
 * hinge.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *            NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));   // 1.3
 * }</pre>
 */
public final class Hinge extends BinaryLabelHingeLoss {
  public static final LossSpec SPEC = LossSpec.builder("Hinge", "hinge")
      .formula("mean(max(1 - y_true * y_pred, 0)) over the last axis; 0/1 labels become -1/1 when all labels are 0 or 1")
      .note(ROW_LABELS_NOTE)
      .sqlExample("SELECT loss_hinge(array(0, 1), array(0.6, 0.4));",
          "1.1")
      .factory(o -> new Hinge(o, null));

  private Hinge(LossOptions options, Boolean forcedConversion) {
    super(options, forcedConversion);
  }

  public static Builder<?, Hinge> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  BinaryLabelHingeLoss withConversion(boolean convert) {
    return new Hinge(options(), convert);
  }

  @Override
  protected double ofMargin(double h, Numerics n) {
    return h;
  }
}
