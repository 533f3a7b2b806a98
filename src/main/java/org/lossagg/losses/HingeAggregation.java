package org.lossagg.losses;

import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.Reduction;

/**
 * The mergeable state of {@link Hinge} and {@link SquaredHinge} ({@link BinaryLabelHingeLoss}), whose
 * 0/1 label decision is table-wide: two exact per-sample aggregations (labels converted / unchanged) and
 * the AND of every chunk's "all labels are 0 or 1". Any split of a batch into row chunks, merged
 * in any order, gives exactly {@link Loss#call} on the whole batch.
 */
final class HingeAggregation implements LossAggregation {
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
    allBinary &= BinaryLabelHingeLoss.labelsAreBinary(yTrue.data(), numerics);
    if (allBinary) {
      converted.add(yTrue, yPred, sampleWeight, mask);
    }
    // Once a non-binary label has been seen the converted sum can never be the answer, so it is
    // no longer fed; the unconverted one always is (a later chunk may still break the flag).
    unconverted.add(yTrue, yPred, sampleWeight, mask);
  }

  @Override
  public void merge(LossAggregation other) {
    HingeAggregation o = MergeCheck.sameLoss(loss, HingeAggregation.class, other, a -> a.loss);
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
