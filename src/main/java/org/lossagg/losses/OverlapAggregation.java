package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.numerics.RankAlignment;
import org.lossagg.reduce.ExactSum;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.RowShape;
import org.lossagg.reduce.Reduction;
import org.lossagg.reduce.SampleWeighting;

/**
 * The table-wide reduction of {@link Dice} / {@link Tversky} with {@code axis=None}, where Keras
 * computes ONE loss value {@code L} from three sums over the whole batch and only then applies the
 * sample weights. The state is the three exact sums (Dice: Σ y·ŷ, Σ y, Σ ŷ; Tversky: TP, FP, FN)
 * plus what Keras' weighting needs afterwards:
 *
 * <ul>
 *   <li>no weights and no mask, or a scalar weight {@code w}: Keras' weighted value is the scalar
 *       {@code L·w} ({@code L} without weights), returned as is whatever the reduction;
 *   <li>per-row weights (B,) or (B,1), per-element weights, and/or a mask: the scalar broadcasts
 *       against them, giving {@code L·m_e} for every weight element {@code m_e} (mask folded in).
 *       The state keeps the exact {@code Σ m_e} over unmasked elements, the element and masked
 *       counts, and the exact weight sum, so the result is {@code L·Σm / valid count}
 *       (sum_over_batch_size, mean), {@code L·Σm} (sum) or {@code L·Σm / Σw}
 *       (mean_with_sample_weight). A whole table of one row with a (1,) weight is again a
 *       scalar {@code L·w}, as in Keras.
 * </ul>
 *
 * <p>Keras rounds each {@code L·m_e} to float32 before summing; here {@code L·Σm} is formed once,
 * which differs by rounding only and needs no per-row state. {@link Loss#call} on a batch goes
 * through this class too, so any split of a batch into row chunks, merged in any order, gives
 * exactly the class form's value. All chunks of one table must weigh rows the same way (all
 * unweighted, all the same scalar weight, or all per-row weights/masks).
 */
final class OverlapAggregation implements LossAggregation {
  private static final int EMPTY = 0;
  /** Chunks without a batch axis in their weights: no weights, or a scalar weight (and scalar mask). */
  private static final int SCALAR = 1;
  /** Chunks with per-row or per-element weights and/or a mask. */
  private static final int BATCHED = 2;

  private final OverlapLoss loss;
  private final Numerics n;
  private final ExactSum[] sums = {new ExactSum(), new ExactSum(), new ExactSum()};
  private int kind = EMPTY;
  private long rows;
  /** SCALAR: the factor Keras multiplies the scalar loss by (1 without weights). */
  private double scalarFactor = 1.0;
  /**
   * BATCHED: the reduction state of the weighting factors m_e (the weighted value of a scalar 1):
   * Σm over unmasked elements, element and masked counts, and the weight sum.
   */
  private final LossAccumulator factors = new LossAccumulator();
  /** BATCHED: whether every chunk's weighted value was a scalar (a one-row chunk with (1,) weights). */
  private boolean allScalarValues = true;
  /** The y_pred row shape: Keras sums a batch of one shape, so ragged rows have no value. */
  private final RowShape rowShape = new RowShape();

  OverlapAggregation(OverlapLoss loss) {
    this.loss = loss;
    this.n = loss.numerics();
  }

  @Override
  public void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    RankAlignment.Pair a = loss.castAndAlign(yTrue, yPred);
    NdArray t = a.first();
    NdArray p = a.second();
    loss.requireSameShape(t, p);
    long chunkRows = p.rank() == 0 ? 1 : p.dim(0);
    if (chunkRows == 0) {
      return;
    }
    if (p.rank() > 0) {
      rowShape.noteFrom(p.shape(), 1, loss.spec().className(), "y_pred");
    }
    loss.addAll(t, p, n, sums);
    rows += chunkRows;
    // The weighting of a scalar value 1: its elements are the factors m_e the loss is multiplied by.
    SampleWeighting.Weighted w = SampleWeighting.apply(NdArray.scalar(1.0), sampleWeight, mask, null, n);
    boolean batched = (sampleWeight != null && sampleWeight.rank() > 0) || (mask != null && mask.rank() > 0);
    if (!batched) {
      joinScalar(w.values().item());
      return;
    }
    join(BATCHED);
    allScalarValues &= w.values().rank() == 0;
    w.addTo(factors);
  }

  private void joinScalar(double factor) {
    if (kind == SCALAR && Double.doubleToLongBits(factor) != Double.doubleToLongBits(scalarFactor)) {
      throw new IllegalArgumentException(loss.spec().className() + " (axis=None): chunks of one table were given "
          + "different scalar sample weights (" + scalarFactor + " and " + factor + "); Keras applies one scalar "
          + "weight to the whole batch: give the same scalar, or per-row weights");
    }
    join(SCALAR);
    scalarFactor = factor;
  }

  private void join(int k) {
    if (kind != EMPTY && kind != k) {
      throw new IllegalArgumentException(loss.spec().className() + " (axis=None): chunks of one table mix per-row "
          + "sample weights or masks with chunks that have none (or only a scalar weight); give every chunk "
          + "per-row weights/masks, or none of them");
    }
    kind = k;
  }

  @Override
  public void merge(LossAggregation other) {
    OverlapAggregation o = MergeCheck.sameLoss(loss, OverlapAggregation.class, other, a -> a.loss);
    rowShape.merge(o.rowShape, loss.spec().className(), "y_pred");
    if (o.kind == SCALAR) {
      joinScalar(o.scalarFactor);
    } else if (o.kind == BATCHED) {
      join(BATCHED);
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i].merge(o.sums[i]);
    }
    rows += o.rows;
    factors.merge(o.factors);
    allScalarValues &= o.allScalarValues;
  }

  /** The table's loss value {@code L} before weighting (one value for all rows). */
  double unweightedLoss() {
    return loss.lossOf(sums, n);
  }

  @Override
  public double result() {
    return result(loss.reduction());
  }

  @Override
  public double result(Reduction reduction) {
    if (reduction == Reduction.NONE) {
      throw new IllegalArgumentException(loss.spec().className()
          + ": reduction 'none' keeps per-sample values and has no reduced result; use sum, sum_over_batch_size, "
          + "mean or mean_with_sample_weight");
    }
    double l = unweightedLoss();
    if (kind != BATCHED) {
      // Keras returns a scalar weighted value as is, whatever the reduction.
      return n.r(l * scalarFactor);
    }
    double lm = l * factors.weightedSum();
    if (allScalarValues && rows == 1) {
      return n.r(lm);
    }
    // L·Σm / divisor: the loss is linear in the factors, so the weighted mean of L·m_e is formed once.
    return n.r(LossAccumulator.divideNoNan(lm, factors.divisor(reduction)));
  }

  /**
   * Kind byte, the weighting kind, row count, scalar factor (exact bits), the all-scalar-values flag,
   * the three exact sums, the factors' accumulator and the row shape.
   */
  @Override
  public byte[] toBytes() {
    StateBytes.Writer w = StateBytes.writer(StateBytes.OVERLAP).putInt(kind).putLong(rows).putDouble(scalarFactor)
        .putBoolean(allScalarValues);
    for (ExactSum s : sums) {
      w.putBlock(s.toBytes());
    }
    return w.putBlock(factors.toBytes()).putBlock(rowShape.toBytes()).toBytes();
  }

  static OverlapAggregation fromBytes(OverlapLoss loss, byte[] bytes) {
    String what = loss.spec().className() + " aggregation (axis=None)";
    StateBytes.Reader r = StateBytes.reader(bytes, StateBytes.OVERLAP, what);
    OverlapAggregation agg = new OverlapAggregation(loss);
    agg.kind = r.getInt();
    agg.rows = r.getLong();
    if (agg.kind < EMPTY || agg.kind > BATCHED || agg.rows < 0 || (agg.kind == EMPTY) != (agg.rows == 0)) {
      throw new IllegalArgumentException(what + ": state bytes hold weighting kind " + agg.kind + " with " + agg.rows
          + " rows; expected kind 0 (empty) with 0 rows, or kind 1 or 2 with rows");
    }
    agg.scalarFactor = r.getDouble();
    agg.allScalarValues = r.getBoolean();
    for (ExactSum s : agg.sums) {
      byte[] b = r.getBlock();
      try {
        s.merge(ExactSum.fromBytes(b));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
      }
    }
    agg.factors.merge(PerSampleAggregation.accumulator(r.getBlock(), what));
    if (r.hasMore()) { // states written before lossagg kept the row shape end here
      agg.rowShape.merge(PerSampleAggregation.rowShape(r.getBlock(), what), what, "y_pred");
    }
    r.end();
    return agg;
  }

  @Override
  public String toString() {
    return "OverlapAggregation[" + loss + ", rows=" + rows + ", sums=" + Arrays.toString(new double[] {
        sums[0].doubleValue(), sums[1].doubleValue(), sums[2].doubleValue()}) + "]";
  }
}
