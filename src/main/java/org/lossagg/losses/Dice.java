package org.lossagg.losses;

import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;

/**
 * Keras {@code Dice}: {@code 1 - 2·Σ(y·ŷ) / (Σy + Σŷ + eps)}, the sums taken over {@code axis}.
 * Inputs are not clipped, so the value can be negative.
 *
 * <p>Options (Python positional order {@code reduction, name, axis, dtype}):
 * <ul>
 *   <li>{@code axis=None}: null sums every axis, the batch axis included, so the loss is ONE value
 *       for the whole batch (a (B,) sample weight then broadcasts that scalar to (B,): the default
 *       reduction gives {@code loss·mean(w)}); an integer or a list of axes gives one value per
 *       remaining index, e.g. per sample for {@code axis=(1, 2, 3)}.
 * </ul>
 * With {@code axis=None}, {@link #newAggregation()} reduces a table chunk by chunk from exact sums
 * (see {@link OverlapAggregation}); with an axis list, per-sample values are reduced as usual.
 *
 * <pre>{@code
 * Loss dice = Dice.builder().build();
 * dice.call(NdArray.matrix(new double[][] {{1, 0}, {1, 1}}),
 *           NdArray.matrix(new double[][] {{0.5, 0.5}, {1, 0}}));     // 0.39999998 (one value for the batch)
 * Dice.builder().axis(1).reduction(Reduction.NONE).build()
 *     .call(NdArray.matrix(new double[][] {{1, 0}, {1, 1}}),
 *           NdArray.matrix(new double[][] {{0.5, 0.5}, {1, 0}}));     // [0.5, 0.3333333]
 * }</pre>
 */
public final class Dice extends OverlapLoss {
  public static final LossSpec SPEC = LossSpec.builder("Dice", "dice")
      .option(OptionSpec.of("axis", OptionType.AXES, null,
          "axes summed over; None sums every axis (one value for the whole batch)"))
      .rowOutput(RowOutput.TABLE_OR_ROW)
      .formula("1 - 2*sum(y_true*y_pred) / (sum(y_true) + sum(y_pred) + eps) over axis (None: the whole batch)")
      .keras3Only(2)
      .sqlExample("SELECT loss_dice(array(0, 1, 1), array(0.2, 0.6, 0.7));",
          "0.2571428783673464")
      .sqlExample("SELECT loss_dice(array(array(0, 1), array(1, 1)), array(array(0.2, 0.6), array(0.7, 0.9)), array(2));",
          "[0.33333337037036836,0.11111113580246834]")
      .factory(Dice::new);

  private Dice(LossOptions options) {
    super(options);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  void addTerms(double t, double p, Numerics n, ExactSum[] sums) {
    sums[0].add(n.mul(t, p));
    sums[1].add(t);
    sums[2].add(p);
  }

  @Override
  double lossOf(double intersection, double sumTrue, double sumPred, Numerics n) {
    // keras: 1 - divide(2.0 * intersection, sum(y_true) + sum(y_pred) + epsilon()).
    double dice = n.div(n.mul(2.0, intersection), n.add(n.add(sumTrue, sumPred), n.eps));
    return n.sub(1.0, dice);
  }

  /** Builder with the Dice options. */
  public static final class Builder extends Loss.Builder<Builder, Dice> {
    private Builder() {
      super(SPEC);
    }

    /** One axis summed over. */
    public Builder axis(int axis) {
      return set("axis", axis);
    }

    /** Axes summed over; {@code null} (the default) sums every axis, batch included. */
    public Builder axis(int[] axes) {
      return set("axis", axes);
    }
  }
}
