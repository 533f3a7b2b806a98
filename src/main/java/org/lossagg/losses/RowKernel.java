package org.lossagg.losses;

import java.util.Optional;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.Numerics;

/**
 * A loss' primitive kernels for rows of one sample, bit for bit what its general {@code perSample}
 * gives for a batch of one: the one optional fast-path capability of a {@link Loss}
 * ({@link Loss#rowKernel()}). Each loss writes its kernels right under its general formula.
 *
 * <ul>
 *   <li>scalar rows (y_true and y_pred single numbers, Keras shape (1, 1)): a kernel for any dtype,
 *       and a float32 batch kernel (many rows at once, the same bits per row);
 *   <li>vector rows (y_pred a 1-D array, y_true as long or a class id): an optional kernel, in float32
 *       and in float64.
 * </ul>
 *
 * Inputs are already rounded to the dtype the kernel computes in. Rows go into a loss' state through
 * {@link PerSampleAggregation}, which is the state of every loss that has a kernel
 * ({@link #newAggregation()}).
 */
public final class RowKernel {
  /** The per-sample value of a (1, 1) batch, y_true and y_pred already rounded to {@code n}'s dtype. */
  @FunctionalInterface
  public interface Scalar {
    double scalarRowValue(double yTrue, double yPred, Numerics n);
  }

  /** {@link Scalar} of {@code count} float32 rows at once, into {@code out}, in float32 numerics {@code n}. */
  @FunctionalInterface
  public interface Float32Batch {
    void values(float[] yTrue, float[] yPred, int count, float[] out, Numerics n);
  }

  /** The per-sample value of a (1, width) batch, in float32 and in float64. */
  public interface Vector {
    /** Whether y_true is a single number (a class id) rather than an array as long as y_pred. */
    boolean scalarTrue();

    /** Whether this kernel takes the row; the general path adds the others, or refuses them with its message. */
    boolean takes(float[] yTrue, int width);

    /**
     * The value of the row whose y_pred is the first {@code width} values of {@code yPred} (float32,
     * no NULLs) and whose y_true is as many values of {@code yTrue}, or its first for
     * {@link #scalarTrue()}; only for rows it {@link #takes}.
     */
    float value(float[] yTrue, float[] yPred, int width, Numerics n);

    /** {@link #takes(float[], int)} for a float64 row. */
    boolean takes(double[] yTrue, int width);

    /** {@link #value(float[], float[], int, Numerics)} for a float64 row, in float64 numerics {@code n}. */
    double value(double[] yTrue, double[] yPred, int width, Numerics n);
  }

  private final Loss loss;
  private final Scalar scalar;
  private final Float32Batch float32Batch;
  private final Vector vector;
  private final Numerics float32;
  private final Numerics float64;

  private RowKernel(Loss loss, Scalar scalar, Float32Batch float32Batch, Vector vector) {
    this.loss = loss;
    this.scalar = scalar;
    this.float32Batch = float32Batch;
    this.vector = vector;
    this.float32 = Numerics.of(DType.FLOAT32, loss.keras2());
    this.float64 = Numerics.of(DType.FLOAT64, loss.keras2());
  }

  /** Kernels for scalar rows: {@code scalar}, and {@code float32Batch} giving its bits many rows at a time. */
  public static RowKernel scalarRows(Loss loss, Scalar scalar, Float32Batch float32Batch) {
    return new RowKernel(loss, scalar, float32Batch, null);
  }

  /** Kernels for scalar rows whose float32 batches loop over {@code scalar}. */
  public static RowKernel scalarRows(Loss loss, Scalar scalar) {
    return scalarRows(loss, scalar, (t, p, count, out, n) -> {
      for (int i = 0; i < count; i++) {
        out[i] = (float) scalar.scalarRowValue(t[i], p[i], n);
      }
    });
  }

  /** A kernel for vector rows only. */
  public static RowKernel vectorRows(Loss loss, Vector vector) {
    return new RowKernel(loss, null, null, vector);
  }

  /**
   * The scalar kernel object. Generated code may hold it as its own class and call
   * {@link Scalar#scalarRowValue} directly when that class is public and final (the JIT then inlines
   * that kernel alone). Only when {@link #takesScalarRows()}.
   */
  public Scalar scalar() {
    return scalar;
  }

  /** Whether rows whose y_true and y_pred are single numbers have kernels. */
  public boolean takesScalarRows() {
    return scalar != null;
  }

  /**
   * Whether the loss' class form adds scalar rows as float32 batches ({@link
   * PerSampleAggregation#addFloat32Batch}): a float32 loss with scalar-row kernels.
   */
  public boolean batchesFloat32Rows() {
    return scalar != null && loss.numerics().dtype() == DType.FLOAT32;
  }

  /**
   * The float32 vector-row kernel of the loss' class form: present when the loss has one and
   * computes in float32 (also what the functional form on FLOAT arrays uses).
   */
  public Optional<Vector> vectorRows() {
    return vector != null && loss.numerics().dtype() == DType.FLOAT32 ? Optional.of(vector) : Optional.empty();
  }

  /** Whether the functional form on 1-D arrays (float32 or float64) has {@link #vectorRowFunction}. */
  public boolean hasVectorRowFunction() {
    return vector != null;
  }

  /**
   * The functional form on a scalar row computing in {@code computeDtype}: the scalar
   * {@link Loss#functionOnRow} gives, without arrays. Only when {@link #takesScalarRows()}.
   */
  public double scalarFunction(double yTrue, double yPred, DType computeDtype) {
    Numerics n = Numerics.of(computeDtype, loss.keras2());
    return scalar.scalarRowValue(n.r(yTrue), n.r(yPred), n);
  }

  /** {@link #scalarFunction} with inputs already rounded to {@code n}'s dtype (n of the loss' Keras numerics). */
  public double scalarValue(double yTrue, double yPred, Numerics n) {
    return scalar.scalarRowValue(yTrue, yPred, n);
  }

  /** The float32 values of {@code count} scalar rows already in float32, into {@code out}. */
  public void float32Values(float[] yTrue, float[] yPred, int count, float[] out) {
    float32Batch.values(yTrue, yPred, count, out, float32);
  }

  /**
   * {@link #float32Values} each multiplied by its row's float32 weight (a float32 product, as Keras
   * weighs a float32 value); {@code weight} null: the values unweighted.
   */
  public void weightedFloat32Values(float[] yTrue, float[] yPred, float[] weight, int count, float[] out) {
    float32Values(yTrue, yPred, count, out);
    if (weight != null) {
      for (int i = 0; i < count; i++) {
        out[i] *= weight[i];
      }
    }
  }

  /**
   * The functional form in float32 on a row of 1-D arrays the kernel {@link Vector#takes}, or NaN
   * bits are not special: callers check {@link #vectorTakes} first. Only when {@link #hasVectorRowFunction()}.
   */
  public float vectorRowFunction(float[] yTrue, float[] yPred, int width) {
    return vector.value(yTrue, yPred, width, float32);
  }

  /** Whether the vector kernel takes the row (see {@link Vector#takes}). */
  public boolean vectorTakes(float[] yTrue, int width) {
    return vector.takes(yTrue, width);
  }

  /** {@link #vectorRowFunction(float[], float[], int)} for a float64 row, computing in float64. */
  public double vectorRowFunction(double[] yTrue, double[] yPred, int width) {
    return vector.value(yTrue, yPred, width, float64);
  }

  /** Whether the vector kernel takes the float64 row. */
  public boolean vectorTakes(double[] yTrue, int width) {
    return vector.takes(yTrue, width);
  }

  /** Whether the vector kernel's y_true is a class id. */
  public boolean vectorScalarTrue() {
    return vector.scalarTrue();
  }

  /** A fresh state of the loss' class form that rows enter through these kernels. */
  public PerSampleAggregation newAggregation() {
    return new PerSampleAggregation(loss);
  }

  /** {@link Loss#aggregationFromBytes} as the state rows enter through these kernels. */
  public PerSampleAggregation aggregationFromBytes(byte[] bytes) {
    return PerSampleAggregation.fromBytes(loss, bytes);
  }

  Loss loss() {
    return loss;
  }
}
