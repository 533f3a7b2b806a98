package org.lossagg.numerics;

/**
 * {@code (float) Math.exp(x)} for a float32 {@code x}, bit for bit, faster: the companion of
 * {@link Float32Log}, built the same way.
 *
 * <p>For x in [-87, 88] (results normal floats), x = (256m + j)·ln2/256 + r with |r| ≤ ln2/512, so
 * exp x = 2^m · 2^(j/256) · exp(r); the table holds 2^(j/256) correctly rounded, ln2/256 is split so
 * that r is computed with a few ulps of error, and exp(r) is its Taylor series to r^3 (truncation
 * below 2^-42 relative). Where the double result lies within 2^13 ulps of a rounding midpoint
 * between two floats, or x is outside [-87, 88] or NaN, Math.exp decides. {@code Float32ExpTest}
 * checks every float.
 */
public final class Float32Exp {
  private static final int TABLE_BITS = 8;
  private static final int SIZE = 1 << TABLE_BITS;
  private static final double SCALE = SIZE / Math.log(2.0);
  /** ln2/256 split: HI has its low 20 bits clear, so n·HI is exact for |n| < 2^20. */
  private static final double STEP_HI;
  private static final double STEP_LO;
  private static final int MARGIN = 1 << 13;
  private static final int MIDPOINT = 1 << 28;
  /**
   * Adding 1.5·2^52 rounds a double of magnitude below 2^51 to an integer, ties to even, as Math.rint
   * does, and leaves that integer in two's complement in the low bits of the sum.
   */
  private static final double ROUND = 0x1.8p52;
  /** Bits of 2^(j/256), correctly rounded; adding m << 52 multiplies by 2^m. */
  private static final long[] POW2_BITS = new long[SIZE];

  static {
    double step = Math.log(2.0) / SIZE;
    STEP_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(step) & ~((1L << 20) - 1));
    // ln2/256 - STEP_HI to double precision: ln2 = 0.693147180559945309417232121458...
    STEP_LO = (new java.math.BigDecimal("0.6931471805599453094172321214581765680755")
        .divide(java.math.BigDecimal.valueOf(SIZE), java.math.MathContext.DECIMAL128)
        .subtract(new java.math.BigDecimal(STEP_HI))).doubleValue();
    for (int j = 0; j < SIZE; j++) {
      POW2_BITS[j] = Double.doubleToRawLongBits(Math.pow(2.0, (double) j / SIZE));
    }
  }

  private Float32Exp() {}

  /** {@code (float) Math.exp(x)}. */
  public static float exp(float x) {
    if (!(x >= -87f && x <= 88f)) {
      return (float) Math.exp(x);
    }
    double shifted = x * SCALE + ROUND;
    int n = (int) Double.doubleToRawLongBits(shifted);
    double nd = shifted - ROUND;
    double r = (x - nd * STEP_HI) - nd * STEP_LO;
    // 2^m · 2^(j/256) is exact (a normal double for these x), so scaling before the product with
    // the series rounds the same as scaling after it.
    double scale = Double.longBitsToDouble(POW2_BITS[n & (SIZE - 1)] + ((long) (n >> TABLE_BITS) << 52));
    double p = 1.0 + r + r * r * (0.5 + r * (1.0 / 6));
    double y = scale * p;
    // Float32Log.nearMidpoint is the same test; calling it here tipped C2's inlining of the softmax
    // loop in CategoricalCrossentropy (4.0 -> 11.3 us per 1,000-class row), so it stays inline.
    int dropped = (int) (Double.doubleToRawLongBits(y) & 0x1FFFFFFF);
    if (Math.abs(dropped - MIDPOINT) <= MARGIN) {
      return (float) Math.exp(x);
    }
    return (float) y;
  }
}
