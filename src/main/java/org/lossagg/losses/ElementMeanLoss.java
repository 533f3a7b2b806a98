package org.lossagg.losses;

import java.util.Arrays;
import java.util.Optional;
import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Base of the losses that average an element-wise term over one axis (MSE, MAE, BCE, Huber, …):
 * {@code mean_axis(term(y_true, y_pred))}. The mean is Keras' {@code ops.mean}: the sum in the compute
 * dtype, then one division by the axis length.
 */
public abstract class ElementMeanLoss extends Loss implements RowKernel.Scalar {
  protected ElementMeanLoss(LossOptions options) {
    super(options);
  }

  /** The element-wise term; {@code t} and {@code p} are already in the compute dtype. */
  protected abstract double term(double t, double p, Numerics n);

  /** The axis averaged over (-1 unless the loss has an {@code axis} option). */
  protected int axis() {
    return -1;
  }

  /** The numerics the terms compute in, given the caller's (tf.keras 2.x Huber always uses floatx). */
  protected Numerics termNumerics(Numerics n) {
    return n;
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    requireSameShape(yTrue, yPred);
    Numerics num = termNumerics(n);
    return PerSample.of(Lanes.reduce(yTrue, yPred, axis(), (t, p, off, stride, len) -> {
      double sum = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        sum = num.add(sum, term(t[i], p[i], num));
      }
      return num.div(sum, len);
    }));
  }

  /**
   * Scalar rows ({@link #rowValue}, batched by {@link #float32RowValues}) when the mean is over the
   * last axis of a (1, 1) batch.
   */
  @Override
  public Optional<RowKernel> rowKernel() {
    return axis() == -1 || axis() == 1 ? Optional.of(RowKernel.scalarRows(this, this, this::float32RowValues))
        : Optional.empty();
  }

  /**
   * The scalar-row kernel ({@link #rowKernel}'s {@link RowKernel#scalar()}: {@link #rowValue}) on a
   * row already rounded to {@code n}'s dtype. The loss is its own kernel object, so generated code
   * that holds it as its own (final) class lets the JIT bind {@link #rowValue} to this loss' own and
   * inline it, where the kernel's shared call site, having seen every loss that ran in the JVM, stays
   * a virtual call.
   */
  @Override
  public final double scalarRowValue(double yTrue, double yPred, Numerics n) {
    return rowValue(yTrue, yPred, n);
  }

  /**
   * The mean over the one-element axis, exactly as {@link #perSample} forms it for a (1, 1) batch.
   * A subclass that changes {@link #perSample} changes this too (ScalarRowKernelTest pins each).
   */
  protected double rowValue(double yTrue, double yPred, Numerics n) {
    Numerics num = termNumerics(n);
    return oneElementMean(term(yTrue, yPred, num), num);
  }

  /**
   * {@link #rowValue} of {@code count} float32 rows at once, into {@code out}: the same bits
   * ({@code n} is float32 numerics). Losses override it with a loop the JIT can pipeline; the row
   * values of float32 arithmetic are floats, so nothing is lost in {@code out}.
   */
  protected void float32RowValues(float[] yTrue, float[] yPred, int count, float[] out, Numerics n) {
    for (int i = 0; i < count; i++) {
      out[i] = (float) rowValue(yTrue[i], yPred[i], n);
    }
  }

  /** {@code sum / 1} over one term, with the sum starting at 0 as in {@link #perSample}. */
  protected static double oneElementMean(double term, Numerics n) {
    return n.div(n.add(0.0, term), 1);
  }

  /** Keras' shape check for y_true and y_pred after rank alignment. */
  protected final void requireSameShape(NdArray yTrue, NdArray yPred) {
    if (!yTrue.sameShape(yPred)) {
      throw new IllegalArgumentException(spec().className() + ": y_true and y_pred must have the same shape, got "
          + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()));
    }
    if (yPred.rank() == 0) {
      throw new IllegalArgumentException(spec().className() + ": inputs must have at least one axis, got scalars");
    }
  }
}
