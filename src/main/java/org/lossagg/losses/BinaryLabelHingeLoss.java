package org.lossagg.losses;

import java.util.Optional;

import org.lossagg.reduce.Reduction;
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

  /**
   * The table-wide reduction: two exact per-sample aggregations (labels converted / unchanged) and
   * the AND of every chunk's "all labels are 0 or 1". Any split of a batch into row chunks, merged
   * in any order, gives exactly {@link Loss#call} on the whole batch.
   */
  static final class HingeAggregation implements LossAggregation {
    private final BinaryLabelHingeLoss loss;
    private final Numerics numerics;
    private final PerSampleAggregation converted;
    private final PerSampleAggregation unconverted;
    private boolean allBinary = true;

    HingeAggregation(BinaryLabelHingeLoss loss) {
      this.loss = loss;
      this.numerics = loss.numerics();
      this.converted = new PerSampleAggregation(loss.withConversion(true));
      this.unconverted = new PerSampleAggregation(loss.withConversion(false));
    }

    @Override
    public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
      // The class form casts labels to the loss dtype before Keras tests them for 0/1.
      allBinary &= labelsAreBinary(yTrue.data(), numerics);
      if (allBinary) {
        converted.add(yTrue, yPred, sampleWeight, mask);
      }
      // Once a non-binary label has been seen the converted sum can never be the answer, so it is
      // no longer fed; the unconverted one always is (a later chunk may still break the flag).
      unconverted.add(yTrue, yPred, sampleWeight, mask);
    }

    @Override
    public void merge(LossAggregation other) {
      if (!(other instanceof HingeAggregation)) {
        throw new IllegalArgumentException(loss.spec().className() + ": can only merge an aggregation of "
            + loss + " (dtype " + loss.dtype().kerasName() + ", keras_version " + loss.kerasVersion() + "), got " + other);
      }
      HingeAggregation o = (HingeAggregation) other;
      if (!loss.mergesWith(o.loss)) {
        throw loss.cannotMerge(o.loss);
      }
      allBinary &= o.allBinary;
      if (allBinary) {
        converted.merge(o.converted);
      }
      unconverted.merge(o.unconverted);
    }

    /** Whether every label seen so far is 0 or 1, i.e. whether Keras would convert them. */
    boolean labelsConverted() {
      return allBinary;
    }

    @Override
    public double result() {
      return (allBinary ? converted : unconverted).result();
    }

    @Override
    public double result(Reduction reduction) {
      return (allBinary ? converted : unconverted).result(reduction);
    }

    /**
     * Kind byte, the "all labels are 0 or 1" flag, the converted sums (empty once the flag is off:
     * they can no longer be the answer) and the unconverted sums.
     */
    @Override
    public byte[] toBytes() {
      return StateBytes.writer(StateBytes.HINGE).putBoolean(allBinary)
          .putBlock(allBinary ? converted.accumulator().toBytes() : new byte[0])
          .putBlock(unconverted.accumulator().toBytes()).toBytes();
    }

    static HingeAggregation fromBytes(BinaryLabelHingeLoss loss, byte[] bytes) {
      String what = loss.spec().className() + " aggregation";
      StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.HINGE, what);
      HingeAggregation agg = new HingeAggregation(loss);
      agg.allBinary = r.getBoolean();
      byte[] conv = r.getBlock();
      if (agg.allBinary != (conv.length > 0)) {
        throw new IllegalArgumentException(what + ": state bytes hold " + (conv.length > 0 ? "" : "no ")
            + "converted sums with the all-labels-binary flag " + agg.allBinary);
      }
      if (agg.allBinary) {
        agg.converted.accumulator().merge(PerSampleAggregation.accumulator(conv, what));
      }
      agg.unconverted.accumulator().merge(PerSampleAggregation.accumulator(r.getBlock(), what));
      r.end();
      return agg;
    }

    @Override
    public String toString() {
      return "HingeAggregation[" + loss.spec().className() + ", allBinary=" + allBinary + "]";
    }
  }
}
