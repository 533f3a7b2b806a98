package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;

/**
 * Base of {@link Dice} and {@link Tversky}: a ratio of sums of element terms taken over {@code axis}.
 * With Keras' default {@code axis=None} every axis, the batch axis included, is summed, so the loss is
 * ONE value for the whole batch; with an axis list it is one value per remaining index (per sample
 * for {@code axis=(1, ..., r-1)}).
 *
 * <p>Each sum is the exact sum of the element terms (each term rounded to the dtype, as the tensor
 * product is), rounded once to the dtype. A float32 {@code reduce_sum} differs from that by rounding
 * only, and exact sums make the value independent of how a table is split: {@link #newAggregation}
 * (for {@code axis=None}) keeps the three exact sums of the table and gives bit for bit what
 * {@link #call} gives on the whole table as one batch.
 */
abstract class OverlapLoss extends Loss {
  /** Reduced axes as given ({@code null}: all axes). */
  private final int[] axes;

  OverlapLoss(LossOptions options) {
    super(options);
    Object a = options.get("axis");
    this.axes = a == null ? null : a instanceof Integer ? new int[] {(Integer) a} : ((int[]) a).clone();
  }

  /** Adds the element terms of one element pair to the loss' three sums. */
  abstract void addTerms(double t, double p, Numerics n, ExactSum[] sums);

  /** The loss from the three sums, each already rounded to the dtype. */
  abstract double lossOf(double s0, double s1, double s2, Numerics n);

  /** Whether the loss is one value for the whole batch ({@code axis=None}). */
  final boolean reducesAllAxes() {
    return axes == null;
  }

  @Override
  protected boolean reducesThroughAggregation() {
    return axes == null;
  }

  @Override
  public LossAggregation newAggregation() {
    return axes == null ? new OverlapAggregation(this) : new PerSampleAggregation(this);
  }

  @Override
  public LossAggregation aggregationFromBytes(byte[] bytes) {
    return axes == null ? OverlapAggregation.fromBytes(this, bytes) : super.aggregationFromBytes(bytes);
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    requireSameShape(yTrue, yPred);
    if (axes == null) {
      ExactSum[] sums = newSums();
      addAll(yTrue, yPred, n, sums);
      return PerSample.of(NdArray.scalar(lossOf(sums, n)));
    }
    int[] shape = yPred.shape();
    boolean[] reduced = reducedAxes(shape.length);
    int[] outShape = keptShape(shape, reduced);
    int groups = NdArray.sizeOf(outShape);
    ExactSum[][] sums = new ExactSum[groups][];
    for (int g = 0; g < groups; g++) {
      sums[g] = newSums();
    }
    int[] group = groupOfElement(shape, reduced);
    double[] t = yTrue.data();
    double[] p = yPred.data();
    for (int i = 0; i < t.length; i++) {
      addTerms(t[i], p[i], n, sums[group[i]]);
    }
    double[] out = new double[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = lossOf(sums[g], n);
    }
    return PerSample.of(NdArray.of(out, outShape));
  }

  private static ExactSum[] newSums() {
    return new ExactSum[] {new ExactSum(), new ExactSum(), new ExactSum()};
  }

  final void addAll(NdArray yTrue, NdArray yPred, Numerics n, ExactSum[] sums) {
    double[] t = yTrue.data();
    double[] p = yPred.data();
    for (int i = 0; i < t.length; i++) {
      addTerms(t[i], p[i], n, sums);
    }
  }

  final double lossOf(ExactSum[] sums, Numerics n) {
    return lossOf(n.r(sums[0].doubleValue()), n.r(sums[1].doubleValue()), n.r(sums[2].doubleValue()), n);
  }

  /** Keras casts y_true to y_pred's dtype and multiplies element-wise; lossagg requires equal shapes. */
  final void requireSameShape(NdArray yTrue, NdArray yPred) {
    if (!yTrue.sameShape(yPred)) {
      throw new IllegalArgumentException(spec().className() + ": y_true and y_pred must have the same shape (after "
          + "rank alignment), got " + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()));
    }
  }

  /** The axes that are summed, as flags; rejects out-of-range and repeated axes as TF's reduce_sum does. */
  private boolean[] reducedAxes(int rank) {
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      if (a < -rank || a >= rank) {
        throw new IllegalArgumentException(spec().className() + ": option 'axis' got " + Arrays.toString(axes)
            + "; axis " + a + " is out of range for inputs of rank " + rank + " (allowed: " + (-rank) + ".." + (rank - 1) + ")");
      }
      int k = a < 0 ? a + rank : a;
      if (reduced[k]) {
        throw new IllegalArgumentException(spec().className() + ": option 'axis' got " + Arrays.toString(axes)
            + "; axis " + k + " is listed twice");
      }
      reduced[k] = true;
    }
    return reduced;
  }

  private static int[] keptShape(int[] shape, boolean[] reduced) {
    int kept = 0;
    for (boolean r : reduced) {
      kept += r ? 0 : 1;
    }
    int[] out = new int[kept];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (!reduced[i]) {
        out[j++] = shape[i];
      }
    }
    return out;
  }

  /** For each element (row-major), the row-major index of its output element once {@code reduced} axes are summed. */
  private static int[] groupOfElement(int[] shape, boolean[] reduced) {
    int rank = shape.length;
    int[] outStride = new int[rank];
    int stride = 1;
    for (int k = rank - 1; k >= 0; k--) {
      if (!reduced[k]) {
        outStride[k] = stride;
        stride *= shape[k];
      }
    }
    int size = NdArray.sizeOf(shape);
    int[] group = new int[size];
    int[] idx = new int[rank];
    int o = 0;
    for (int i = 0; i < size; i++) {
      group[i] = o;
      for (int k = rank - 1; k >= 0; k--) {
        idx[k]++;
        o += outStride[k];
        if (idx[k] < shape[k]) {
          break;
        }
        o -= outStride[k] * idx[k];
        idx[k] = 0;
      }
    }
    return group;
  }
}
