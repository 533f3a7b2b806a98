package org.lossagg.reduce;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The test oracle: the exact sum of doubles in BigDecimal and a round-half-to-even conversion to
 * double that does not trust {@link BigDecimal#doubleValue()}.
 *
 * <p>Why not {@code BigDecimal.doubleValue()}: in JDK 17 it is exact only on a fast path (a compact
 * unscaled value below 2^52 and a scale within ±22, one IEEE division or multiplication); otherwise
 * it returns {@code Double.parseDouble(toString())}, whose correctness rests on FloatingDecimal's
 * correction loop (JDK 19 replaced the method, JDK-8205592). The helper below decides the rounding
 * itself by comparing the exact value with the exact midpoints between neighbouring doubles, so it
 * only uses {@code doubleValue()} as a starting guess. {@code ExactSumTest} checks the two agree.
 */
final class ExactOracle {
  private ExactOracle() {}

  /** 2^1024 − 2^970: the midpoint between MAX_VALUE and 2^1024; at or above it, round to infinity. */
  static final BigDecimal OVERFLOW_THRESHOLD =
      new BigDecimal(BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE.shiftLeft(970)));

  private static final BigDecimal HALF = new BigDecimal("0.5");

  /** x rounded to the nearest double, ties to the even significand; ±Infinity beyond the range. */
  static double roundHalfEven(BigDecimal x) {
    int sign = x.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigDecimal a = x.abs();
    if (a.compareTo(OVERFLOW_THRESHOLD) >= 0) {
      return sign > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    double c = Math.min(a.doubleValue(), Double.MAX_VALUE);
    while (true) {
      BigDecimal cv = new BigDecimal(c);
      BigDecimal up = c == Double.MAX_VALUE ? OVERFLOW_THRESHOLD : midpoint(cv, Math.nextUp(c));
      BigDecimal down = midpoint(cv, Math.nextDown(c));
      boolean odd = (Double.doubleToRawLongBits(c) & 1) != 0;
      int cu = a.compareTo(up);
      int cd = a.compareTo(down);
      if (cu > 0 || (cu == 0 && odd)) {
        c = Math.nextUp(c);
      } else if (cd < 0 || (cd == 0 && odd)) {
        c = Math.nextDown(c);
      } else {
        return sign > 0 ? c : -c;
      }
    }
  }

  private static BigDecimal midpoint(BigDecimal cv, double neighbour) {
    return cv.add(new BigDecimal(neighbour)).multiply(HALF);
  }

  /** The exact real sum of finite terms. */
  static BigDecimal exactSum(List<Double> terms) {
    BigDecimal s = BigDecimal.ZERO;
    for (double x : terms) {
      s = s.add(new BigDecimal(x));
    }
    return s;
  }

  /** What ExactSum must return for these terms, specials included. */
  static double expectedSum(List<Double> terms) {
    boolean nan = false;
    boolean pos = false;
    boolean neg = false;
    BigDecimal s = BigDecimal.ZERO;
    for (double x : terms) {
      if (Double.isNaN(x)) {
        nan = true;
      } else if (x == Double.POSITIVE_INFINITY) {
        pos = true;
      } else if (x == Double.NEGATIVE_INFINITY) {
        neg = true;
      } else {
        s = s.add(new BigDecimal(x));
      }
    }
    if (nan || (pos && neg)) {
      return Double.NaN;
    }
    if (pos) {
      return Double.POSITIVE_INFINITY;
    }
    if (neg) {
      return Double.NEGATIVE_INFINITY;
    }
    return roundHalfEven(s);
  }
}
