package org.lossagg.numerics;

/**
 * Arithmetic in a loss' compute dtype, plus the Keras constants that depend on it.
 *
 * <p>Kernels compute with Java doubles and round every intermediate result with {@link #r}. For
 * float32 this reproduces float32 arithmetic exactly for {@code + - * /} and {@code sqrt} (a double
 * has more than 2·24+2 significand bits, so the double rounding is innocuous), and gives correctly
 * rounded float32 {@code log}/{@code exp}. For float64 {@link #r} is the identity.
 *
 * <p>{@code keras2} selects tf.keras 2.x numerics where they differ (see the loss classes).
 */
public final class Numerics {
  /** {@code keras.config.epsilon()}: the Python double 1e-7. */
  public static final double EPSILON = 1e-7;

  private static final Numerics F32 = new Numerics(DType.FLOAT32, false);
  private static final Numerics F64 = new Numerics(DType.FLOAT64, false);
  private static final Numerics F32_K2 = new Numerics(DType.FLOAT32, true);
  private static final Numerics F64_K2 = new Numerics(DType.FLOAT64, true);

  private final DType dtype;
  private final boolean keras2;
  private final boolean f32;
  /** eps in the compute dtype: 1.00000001e-07 for float32. */
  public final double eps;
  /** The upper clip bound {@code 1 - eps} computed in the compute dtype: 0.99999988 for float32. */
  public final double hi;

  private Numerics(DType dtype, boolean keras2) {
    this.dtype = dtype;
    this.keras2 = keras2;
    this.f32 = dtype == DType.FLOAT32;
    this.eps = dtype.round(EPSILON);
    this.hi = dtype.round(1.0 - eps);
  }

  public static Numerics of(DType dtype, boolean keras2) {
    if (dtype == DType.FLOAT32) {
      return keras2 ? F32_K2 : F32;
    }
    return keras2 ? F64_K2 : F64;
  }

  public DType dtype() {
    return dtype;
  }

  public boolean keras2() {
    return keras2;
  }

  /** Rounds to the compute dtype. */
  public double r(double x) {
    return f32 ? (double) (float) x : x;
  }

  public double add(double a, double b) {
    return r(a + b);
  }

  public double sub(double a, double b) {
    return r(a - b);
  }

  public double mul(double a, double b) {
    return r(a * b);
  }

  public double div(double a, double b) {
    return r(a / b);
  }

  /** For a float32 argument, {@link Float32Log} (the same bits as rounding Math.log, faster). */
  public double log(double x) {
    if (f32) {
      float xf = (float) x;
      if (xf == x) {
        return Float32Log.log(xf);
      }
    }
    return r(Math.log(x));
  }

  /** {@code Math.log1p}'s bits, without its JNI call on Java 17 ({@link StrictLog1p}). */
  public double log1p(double x) {
    return r(StrictLog1p.log1p(x));
  }

  public double exp(double x) {
    return r(Math.exp(x));
  }

  public double sqrt(double x) {
    return r(Math.sqrt(x));
  }

  public double pow(double x, double y) {
    return r(Math.pow(x, y));
  }

  /** {@code clip(x, lo, hi)} as Keras' {@code ops.clip}: NaN stays NaN. */
  public static double clip(double x, double lo, double hi) {
    return x < lo ? lo : (x > hi ? hi : x);
  }

  /**
   * {@code condition ? a : b} without a branch. A float ternary compiles to a jump on x86 (no
   * conditional move for SSE registers), which mispredicts about as often as the condition mixes,
   * e.g. on a mix of 0 and 1 labels; selecting the bits with an integer mask does not.
   */
  public static float select(boolean condition, float a, float b) {
    int mask = condition ? -1 : 0;
    return Float.intBitsToFloat(Float.floatToRawIntBits(a) & mask | Float.floatToRawIntBits(b) & ~mask);
  }

  /** {@link #select(boolean, float, float)} for doubles. */
  public static double select(boolean condition, double a, double b) {
    long mask = condition ? -1L : 0L;
    return Double.longBitsToDouble(Double.doubleToRawLongBits(a) & mask | Double.doubleToRawLongBits(b) & ~mask);
  }

  /**
   * Whether {@code y} is a hard binary label: 0 (either sign) or 1. One comparison that stays
   * predictable on any mix of 0 and 1 labels, where {@code y == 0 || y == 1} branches on which one
   * it is. {@code y(1 - y)} is zero only there: 1 - y is exact near 1 (at least 2^-53 in magnitude),
   * a tiny y gives y, a huge one overflows, NaN stays NaN.
   */
  public static boolean hardLabel(double y) {
    return y * (1.0 - y) == 0.0;
  }

  /** {@link #hardLabel(double)} in float arithmetic (the same argument with 2^-24). */
  public static boolean hardLabel(float y) {
    return y * (1f - y) == 0f;
  }

  /** Numerically stable {@code log(1 + exp(x))}, rounded to the compute dtype. */
  public double softplus(double x) {
    // log1p(exp(-|x|)) + max(x, 0): no overflow for large |x|.
    return add(Math.max(x, 0.0), log1p(exp(-Math.abs(x))));
  }

  /** Sigmoid as {@code 1 / (1 + exp(-x))} in the compute dtype. */
  public double sigmoid(double x) {
    return div(1.0, add(1.0, exp(-x)));
  }
}
