package org.lossagg.losses;

import java.util.Optional;

import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Base of {@link Hinge} and {@link SquaredHinge}: the mean over the last axis of a function of the
 * margin {@code max(1 - y * y_pred, 0)}, where Keras' {@code convert_binary_labels_to_hinge} maps
 * labels to {@code y = 2 y_true - 1} only if EVERY y_true value of the call is 0 or 1 (so {-1, 1}
 * labels pass through, and a mix of {0, 1, -1} keeps its zeros).
 *
 * <p>Because that decision looks at the whole tensor, a table reduced chunk by chunk needs more than
 * a sum of per-sample terms: {@link #newAggregation} keeps one sum as if converted, one as if not,
 * and the table-wide "all labels are 0 or 1" flag, and picks at the end.
 */
abstract class BinaryLabelHingeLoss extends ElementMeanLoss {
  /** The per-row functions' note on the 0/1 label decision. */
  static final String ROW_LABELS_NOTE = "Labels 0/1 become -1/1 when every label of the row is 0 or 1: Keras decides "
      + "per call, here per row (keras_loss decides for the whole table).";

  /** null: decide per call, as Keras does; true/false: always/never convert (the aggregation's two sums). */
  private final Boolean forcedConversion;

  BinaryLabelHingeLoss(LossOptions options, Boolean forcedConversion) {
    super(options);
    this.forcedConversion = forcedConversion;
  }

  /** This loss with the same options, always ({@code true}) or never converting labels. */
  abstract BinaryLabelHingeLoss withConversion(boolean convert);

  /** The element term as a function of the margin {@code h = max(1 - y * y_pred, 0)}. */
  protected abstract double ofMargin(double h, Numerics n);

  @Override
  protected final double term(double t, double p, Numerics n) {
    return ofMargin(Math.max(n.sub(1.0, n.mul(t, p)), 0.0), n);
  }

  /** The label conversion looks at the whole batch, so a row on its own takes the general path. */
  @Override
  public final Optional<RowKernel> rowKernel() {
    return Optional.empty();
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    boolean convert = forcedConversion != null ? forcedConversion : labelsAreBinary(yTrue.data(), n);
    NdArray labels = convert ? yTrue.map(y -> n.sub(n.mul(2.0, y), 1.0)) : yTrue;
    return super.perSample(labels, yPred, n);
  }

  /**
   * Whether every label, in the compute dtype, is 0 or 1 (vacuously true for no labels, like
   * {@code ops.all} of an empty tensor). NaN is neither, so it disables the conversion.
   */
  static boolean labelsAreBinary(double[] yTrue, Numerics n) {
    for (double y : yTrue) {
      double v = n.r(y);
      if (v != 0.0 && v != 1.0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public LossAggregation newAggregation() {
    return new HingeAggregation(this);
  }

  @Override
  public LossAggregation aggregationFromBytes(byte[] bytes) {
    return HingeAggregation.fromBytes(this, bytes);
  }
}
