package org.lossagg.numerics;

/**
 * {@code StrictMath.log1p} (and so {@code Math.log1p}, which delegates to it) in plain Java, bit for
 * bit. On Java 17 StrictMath.log1p is a JNI call into the JDK's C fdlibm, about twice the cost of
 * this code inlined into a loop; every float64 softplus and sigmoid cross-entropy pays it per element.
 *
 * <p>The algorithm and coefficients are fdlibm 5.3's {@code s_log1p.c}, which the StrictMath
 * specification names as the reference: reduce 1 + x to 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2),
 * carrying the rounding error of 1 + x as a correction c, then log(1 + f) = f - s (f - R(z)) with
 * s = f / (2 + f), z = s^2 and R a degree-7 minimax polynomial in z. fdlibm is
 * Copyright (C) 1993 by Sun Microsystems, Inc.; permission to use, copy, modify, and distribute
 * this software is freely granted, provided that this notice is preserved.
 * {@code StrictLog1pTest} compares it with StrictMath.log1p on every branch and on random doubles of
 * every exponent.
 */
public final class StrictLog1p {
  private static final double LN2_HI = Double.longBitsToDouble(0x3FE62E42FEE00000L);
  private static final double LN2_LO = Double.longBitsToDouble(0x3DEA39EF35793C76L);
  private static final double LP1 = Double.longBitsToDouble(0x3FE5555555555593L);
  private static final double LP2 = Double.longBitsToDouble(0x3FD999999997FA04L);
  private static final double LP3 = Double.longBitsToDouble(0x3FD2492494229359L);
  private static final double LP4 = Double.longBitsToDouble(0x3FCC71C51D8E78AFL);
  private static final double LP5 = Double.longBitsToDouble(0x3FC7466496CB03DEL);
  private static final double LP6 = Double.longBitsToDouble(0x3FC39A09D078C69FL);
  private static final double LP7 = Double.longBitsToDouble(0x3FC2F112DF3E5244L);

  private StrictLog1p() {}

  /** {@code StrictMath.log1p(x)}, the same bits for every double. */
  public static double log1p(double x) {
    int hx = highWord(x);
    int ax = hx & 0x7FFFFFFF;
    int k = 1;
    int hu = 0;
    double f = 0.0;
    double c = 0.0;
    if (hx < 0x3FDA827A) { // x < 0.41422 (or negative)
      if (ax >= 0x3FF00000) { // x <= -1
        // fdlibm's (x - x) / (x - x): the NaN the hardware makes (or x's own), as StrictMath returns.
        return x == -1.0 ? Double.NEGATIVE_INFINITY : (x - x) / (x - x);
      }
      if (ax < 0x3E200000) { // |x| < 2^-29
        return ax < 0x3C900000 ? x : x - x * x * 0.5; // |x| < 2^-54: log1p(x) rounds to x
      }
      if (hx > 0 || hx <= 0xBFD2BEC3) { // -0.2929 < x < 0.41422: no reduction
        k = 0;
        f = x;
        hu = 1;
      }
    }
    if (hx >= 0x7FF00000) { // +Inf or NaN
      return x + x;
    }
    if (k != 0) {
      double u;
      if (hx < 0x43400000) { // x < 2^53: 1 + x rounds; c is its error relative to u
        u = 1.0 + x;
        hu = highWord(u);
        k = (hu >> 20) - 1023;
        c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
        c /= u;
      } else {
        u = x;
        hu = highWord(u);
        k = (hu >> 20) - 1023;
        c = 0.0;
      }
      hu &= 0x000FFFFF;
      if (hu < 0x6A09E) { // significand below sqrt(2): u in [1, sqrt(2))
        u = withHighWord(u, hu | 0x3FF00000);
      } else { // u/2 in [sqrt(2)/2, 1)
        k += 1;
        u = withHighWord(u, hu | 0x3FE00000);
        hu = (0x00100000 - hu) >> 2;
      }
      f = u - 1.0;
    }
    double hfsq = 0.5 * f * f;
    if (hu == 0) { // |f| < 2^-20
      if (f == 0.0) {
        if (k == 0) {
          return 0.0;
        }
        c += k * LN2_LO;
        return k * LN2_HI + c;
      }
      double r = hfsq * (1.0 - 0.66666666666666666 * f);
      return k == 0 ? f - r : k * LN2_HI - ((r - (k * LN2_LO + c)) - f);
    }
    double s = f / (2.0 + f);
    double z = s * s;
    double r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
    return k == 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - ((hfsq - (s * (hfsq + r) + (k * LN2_LO + c))) - f);
  }

  private static int highWord(double x) {
    return (int) (Double.doubleToRawLongBits(x) >>> 32);
  }

  private static double withHighWord(double x, int high) {
    return Double.longBitsToDouble(((long) high << 32) | (Double.doubleToRawLongBits(x) & 0xFFFFFFFFL));
  }
}
