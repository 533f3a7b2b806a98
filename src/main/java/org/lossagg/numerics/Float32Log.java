package org.lossagg.numerics;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * {@code (float) Math.log(x)} for a float32 {@code x}, bit for bit, about twice as fast.
 *
 * <p>For a normal positive x = 2^k·z with z in [0.699, 1.398) (the split of musl's {@code logf}),
 * a table indexed by the top 8 bits of z gives {@code invc} ≈ 1/z with at most 29 significant bits,
 * so {@code r = z·invc − 1} is exact in double, and log x = k·ln2 − log(invc) + log1p(r) with
 * |r| ≤ 2^-8. log1p(r) is its Taylor series to r^5 (truncation below 2^-42 relative); the two
 * intervals next to z = 1 use invc = 1, so there is no cancellation near x = 1. The double result
 * and Math.log's (1 ulp) both round to the same float unless the true value lies within about
 * 2^-39 (relative) of a rounding midpoint between two floats. The result's 29 bits below float
 * precision tell when that might be; then (about 3 rows in 10^5) Math.log itself decides. Zero, negatives, subnormals, infinities and NaN also go to Math.log.
 * {@code Float32LogTest} checks every float.
 */
public final class Float32Log {
  private static final int TABLE_BITS = 8;
  private static final int SIZE = 1 << TABLE_BITS;
  /** Bits of 0.69921875: z = x / 2^k lies in [OFF, 2·OFF). */
  private static final int OFF = 0x3f330000;
  /** The same split point as a double: the same table serves {@link #logOneToTwo}. */
  private static final long OFF_DOUBLE = Double.doubleToRawLongBits(0.69921875);
  private static final double LN2 = Math.log(2.0);
  /**
   * Distance (in units of the 29 dropped bits, double ulps) from a rounding midpoint below which
   * Math.log decides: 2^13 ulps, above the series' 2^-42 relative error (2^11 ulps) plus roundings.
   */
  private static final int MARGIN = 1 << 13;
  private static final int MIDPOINT = 1 << 28;
  private static final double[] INVC = new double[SIZE];
  private static final double[] LOGC = new double[SIZE];

  static {
    for (int i = 0; i < SIZE; i++) {
      float lo = Float.intBitsToFloat(OFF + (i << (23 - TABLE_BITS)));
      float hi = Float.intBitsToFloat(OFF + ((i + 1) << (23 - TABLE_BITS)));
      boolean nextToOne = lo == 1.0f || hi == 1.0f;
      double invc = nextToOne ? 1.0 : roundTo29SignificantBits(2.0 / ((double) lo + (double) hi));
      INVC[i] = invc;
      // -log(invc), correctly rounded from a 40-digit evaluation.
      LOGC[i] = nextToOne ? 0.0 : -ln(new BigDecimal(invc)).doubleValue();
    }
  }

  private Float32Log() {}

  /** {@code (float) Math.log(x)}. */
  public static float log(float x) {
    int ix = Float.floatToRawIntBits(x);
    if (ix < 0x00800000 || ix >= 0x7f800000) {
      return (float) Math.log(x);
    }
    int tmp = ix - OFF;
    int i = (tmp >>> (23 - TABLE_BITS)) & (SIZE - 1);
    double z = Float.intBitsToFloat(ix - (tmp & 0xff800000));
    double y = reduced(tmp >> 23, i, z * INVC[i] - 1.0);
    return nearMidpoint(y) ? (float) Math.log(x) : (float) y;
  }

  /**
   * The natural log of a double {@code z} in [1, 2] to within 2^-45 relative (with
   * {@link #nearMidpoint}, for {@link Float32Log1p}): z·invc − 1 is not exact for a 53-bit z, but
   * its rounding error (2^-53) is 2^-45 of the smallest log here (log(1 + 2^-7)).
   */
  static double logOneToTwo(double z) {
    long iz = Double.doubleToRawLongBits(z);
    long tmp = iz - OFF_DOUBLE;
    int i = (int) (tmp >>> (52 - TABLE_BITS)) & (SIZE - 1);
    double zz = Double.longBitsToDouble(iz - (tmp & 0xfff0000000000000L));
    return reduced((int) (tmp >> 52), i, zz * INVC[i] - 1.0);
  }

  /** k·ln2 − log(invc_i) + log1p(r), log1p(r) as its series to r^5. */
  private static double reduced(int k, int i, double r) {
    double r2 = r * r;
    return (k * LN2 + LOGC[i]) + (r + r2 * ((-0.5 + r * (1.0 / 3)) + r2 * (-0.25 + r * 0.2)));
  }

  /**
   * Whether the float rounding of {@code y} (a value in the normal float range, within 2^-42 of
   * the true result) might differ from the correctly rounded result's: its 29 bits below float
   * precision lie within {@link #MARGIN} of the rounding midpoint.
   */
  static boolean nearMidpoint(double y) {
    int dropped = (int) (Double.doubleToRawLongBits(y) & 0x1FFFFFFF);
    return Math.abs(dropped - MIDPOINT) <= MARGIN;
  }

  private static double roundTo29SignificantBits(double v) {
    long bits = Double.doubleToRawLongBits(v);
    long half = 1L << (52 - 28 - 1);
    return Double.longBitsToDouble((bits + half) & ~((1L << (52 - 28)) - 1));
  }

  /** ln(v) for v in (0.5, 1.5) to 40 digits: 2·atanh((v−1)/(v+1)) as a series. */
  private static BigDecimal ln(BigDecimal v) {
    MathContext mc = new MathContext(40);
    BigDecimal s = v.subtract(BigDecimal.ONE).divide(v.add(BigDecimal.ONE), mc);
    BigDecimal s2 = s.multiply(s, mc);
    BigDecimal term = s;
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 1; n < 200; n += 2) {
      BigDecimal add = term.divide(BigDecimal.valueOf(n), mc);
      sum = sum.add(add, mc);
      if (add.abs().compareTo(new BigDecimal("1e-45")) < 0) {
        break;
      }
      term = term.multiply(s2, mc);
    }
    return sum.multiply(BigDecimal.valueOf(2), mc);
  }
}
