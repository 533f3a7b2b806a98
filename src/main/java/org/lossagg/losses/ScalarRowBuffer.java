package org.lossagg.losses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.Numerics;
import org.lossagg.reduce.ExactSum;
import org.lossagg.reduce.Float32SumBuffer;

/**
 * The class-form reduction of rows whose y_true and y_pred are single numbers, for a float32 loss
 * with a scalar-row kernel, kept in one flat {@code byte[]} that a caller can hold as a BINARY
 * value and update in place: the row counts and two {@link Float32SumBuffer} exact sums (weighted
 * values, weights). Every per-row value and rounded weight of a float32 loss is a float32 value,
 * so the sums are exact; {@link #toAggregation} gives the {@link PerSampleAggregation} the same rows
 * added one by one would give, bit for bit.
 *
 * <p>Layout (little-endian longs): rows, left-out rows, the weighted-value sum, the weight sum.
 */
public final class ScalarRowBuffer {
  private static final int VALUES_AT = 16;
  private static final int WEIGHTS_AT = VALUES_AT + 8 * Float32SumBuffer.LONGS;
  /** Bytes of a buffer. */
  public static final int BYTES = WEIGHTS_AT + 8 * Float32SumBuffer.LONGS;

  private static final VarHandle LONGS_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Loss loss;
  private final Numerics n;

  private ScalarRowBuffer(Loss loss) {
    this.loss = loss;
    this.n = loss.numerics();
  }

  /** Whether {@code loss} can be reduced this way: float32, a scalar-row kernel, per-sample sums. */
  public static boolean supports(Loss loss) {
    return loss.dtype() == DType.FLOAT32 && loss.numerics().dtype() == DType.FLOAT32 && loss.hasScalarRowKernel()
        && loss.newAggregation() instanceof PerSampleAggregation;
  }

  /** The buffer operations for {@code loss}; see {@link #supports}. */
  public static ScalarRowBuffer of(Loss loss) {
    if (!supports(loss)) {
      throw new IllegalArgumentException(loss.spec().className() + " in " + loss.dtype().kerasName()
          + " has no float32 scalar-row reduction; use loss.newAggregation()");
    }
    return new ScalarRowBuffer(loss);
  }

  public Loss loss() {
    return loss;
  }

  /** A fresh buffer: no rows. */
  public static byte[] newBuffer() {
    return new byte[BYTES];
  }

  /** Adds an unweighted row, as {@code add((1, 1) y_true, (1, 1) y_pred, null, null)} does. */
  public void addRow(byte[] b, double yTrue, double yPred) {
    Float32SumBuffer.add(b, VALUES_AT, loss.scalarRowValue(n.r(yTrue), n.r(yPred), n));
    countRow(b);
  }

  /** Adds a weighted row, as {@code add((1, 1) y_true, (1, 1) y_pred, (1,) weight, null)} does. */
  public void addRow(byte[] b, double yTrue, double yPred, double sampleWeight) {
    double w = n.r(sampleWeight);
    Float32SumBuffer.add(b, VALUES_AT, n.mul(loss.scalarRowValue(n.r(yTrue), n.r(yPred), n), w));
    Float32SumBuffer.add(b, WEIGHTS_AT, w);
    countRow(b);
  }

  private static void countRow(byte[] b) {
    long rows = rows(b) + 1;
    set(b, 0, rows);
    if ((rows & (Float32SumBuffer.NORMALIZE_EVERY - 1)) == 0) {
      Float32SumBuffer.normalize(b, VALUES_AT);
      Float32SumBuffer.normalize(b, WEIGHTS_AT);
    }
  }

  /** Counts a row left out (NULL y_true or y_pred). */
  public static void addLeftOutRow(byte[] b) {
    set(b, 8, leftOutRows(b) + 1);
  }

  /** Adds {@code other}'s rows into {@code b}. */
  public static void merge(byte[] b, byte[] other) {
    set(b, 0, rows(b) + rows(other));
    set(b, 8, leftOutRows(b) + leftOutRows(other));
    Float32SumBuffer.merge(b, VALUES_AT, other, VALUES_AT);
    Float32SumBuffer.merge(b, WEIGHTS_AT, other, WEIGHTS_AT);
  }

  public static long rows(byte[] b) {
    return get(b, 0);
  }

  public static long leftOutRows(byte[] b) {
    return get(b, 8);
  }

  /** The aggregation these rows give; {@code weighted} says whether they came with sample weights. */
  public PerSampleAggregation toAggregation(byte[] b, boolean weighted) {
    PerSampleAggregation agg = new PerSampleAggregation(loss);
    ExactSum values = new ExactSum();
    Float32SumBuffer.addTo(b, VALUES_AT, values);
    ExactSum weights = null;
    if (weighted && rows(b) > 0) {
      weights = new ExactSum();
      Float32SumBuffer.addTo(b, WEIGHTS_AT, weights);
    }
    agg.accumulator().addSums(values, rows(b), weights);
    return agg;
  }

  private static long get(byte[] b, int at) {
    return (long) LONGS_LE.get(b, at);
  }

  private static void set(byte[] b, int at, long v) {
    LONGS_LE.set(b, at, v);
  }
}
