package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  private static double sum(double... terms) {
    ExactSum s = new ExactSum();
    for (double x : terms) {
      s.add(x);
    }
    return s.doubleValue();
  }

  private static void assertBits(double expected, double actual) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
        () -> "expected " + expected + " (" + Double.toHexString(expected) + ") got " + actual + " ("
            + Double.toHexString(actual) + ")");
  }

  @Test
  void emptyAndExactCancellationGivePositiveZero() {
    assertBits(0.0, new ExactSum().doubleValue());
    assertBits(0.0, sum(-0.0));
    assertBits(0.0, sum(-0.0, -0.0));
    assertBits(0.0, sum(1e308, 0.1, -1e308, -0.1));
    assertBits(0.0, sum(Double.MIN_VALUE, -Double.MIN_VALUE));
    assertBits(0.0, sum(-Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE));
    ExactSum s = new ExactSum();
    s.add(3.5);
    s.add(-3.5);
    assertTrue(s.isZero());
    assertEquals(new ExactSum(), s);
    s.add(Double.MIN_VALUE);
    assertFalse(s.isZero());
  }

  @Test
  void hugeTermsDoNotSwallowSmallOnes() {
    assertBits(1.0, sum(1e308, 1.0, -1e308));
    assertBits(1.0, sum(1e308, 1.0, -1e308));
    assertBits(Double.MIN_VALUE, sum(Double.MAX_VALUE, Double.MIN_VALUE, -Double.MAX_VALUE));
    assertBits(0.1, sum(1e300, 0.1, 1e300, -2e300));
  }

  @Test
  void nanAndInfinities() {
    assertBits(Double.NaN, sum(1.0, Double.NaN, 2.0));
    assertBits(Double.NaN, sum(Double.POSITIVE_INFINITY, Double.NaN));
    assertBits(Double.NaN, sum(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    assertBits(Double.POSITIVE_INFINITY, sum(Double.POSITIVE_INFINITY, -Double.MAX_VALUE, -Double.MAX_VALUE));
    assertBits(Double.NEGATIVE_INFINITY, sum(1.0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
    // A NaN payload or sign does not matter: the result is the canonical NaN.
    assertBits(Double.NaN, sum(Double.longBitsToDouble(0xFFF8_0000_0000_0001L)));

    ExactSum plus = new ExactSum();
    plus.add(Double.POSITIVE_INFINITY);
    ExactSum minus = new ExactSum();
    minus.add(Double.NEGATIVE_INFINITY);
    ExactSum merged = plus.copy();
    merged.merge(minus);
    assertBits(Double.NaN, merged.doubleValue());
    assertBits(Double.POSITIVE_INFINITY, plus.doubleValue());
    assertFalse(plus.isZero());
  }

  @Test
  void overflowRoundsToInfinityButStaysExact() {
    ExactSum s = new ExactSum();
    s.add(Double.MAX_VALUE);
    s.add(Double.MAX_VALUE);
    assertBits(Double.POSITIVE_INFINITY, s.doubleValue());
    s.add(-Double.MAX_VALUE);
    assertBits(Double.MAX_VALUE, s.doubleValue());
    assertBits(Double.NEGATIVE_INFINITY, sum(-Double.MAX_VALUE, -Double.MAX_VALUE));
    assertBits(-Double.MAX_VALUE, sum(-Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE));
    ExactSum many = new ExactSum();
    for (int i = 0; i < 1000; i++) {
      many.add(Double.MAX_VALUE);
    }
    for (int i = 0; i < 999; i++) {
      many.add(-Double.MAX_VALUE);
    }
    assertBits(Double.MAX_VALUE, many.doubleValue());
  }

  @Test
  void overflowBoundaryIsTheHalfUlpAboveMaxValue() {
    double halfUlp = Math.ulp(Double.MAX_VALUE) / 2; // 2^970
    // MAX's significand is odd, so the tie at MAX + 2^970 rounds up, to 2^1024 = Infinity.
    assertBits(Double.POSITIVE_INFINITY, sum(Double.MAX_VALUE, halfUlp));
    assertBits(Double.MAX_VALUE, sum(Double.MAX_VALUE, halfUlp, -Double.MIN_VALUE));
    assertBits(Double.MAX_VALUE, sum(Double.MAX_VALUE, halfUlp / 2));
    assertBits(Double.NEGATIVE_INFINITY, sum(-Double.MAX_VALUE, -halfUlp));
  }

  @Test
  void subnormalSums() {
    assertBits(2 * Double.MIN_VALUE, sum(Double.MIN_VALUE, Double.MIN_VALUE));
    assertBits(-Double.MIN_VALUE, sum(Double.MIN_VALUE, -2 * Double.MIN_VALUE));
    double maxSub = Math.nextDown(Double.MIN_NORMAL);
    assertBits(Double.MIN_NORMAL, sum(maxSub, Double.MIN_VALUE));
    assertBits(2 * Double.MIN_NORMAL, sum(maxSub, maxSub, 2 * Double.MIN_VALUE));
    assertBits(maxSub, sum(Double.MIN_NORMAL, -Double.MIN_VALUE));
    assertBits(0x1p-1060, sum(0x1p-1061, 0x1p-1062, 0x1p-1062));
    // Subnormal results are exact: no rounding below 2^53 units of 2^-1074.
    assertBits(Double.longBitsToDouble(0x000F_FFFF_FFFF_FFFDL),
        sum(Double.longBitsToDouble(0x000F_FFFF_FFFF_FFFFL), -2 * Double.MIN_VALUE));
  }

  @Test
  void tiesRoundToEven() {
    assertBits(0x1p53, sum(0x1p53, 1.0)); // 2^53 + 1: tie, 2^53 is even
    assertBits(0x1p53 + 4, sum(0x1p53, 3.0)); // 2^53 + 3: tie, 2^53 + 2 is odd, so up
    assertBits(0x1p53 + 2, sum(0x1p53, 1.0, Double.MIN_VALUE)); // just above the tie
    assertBits(0x1p53, sum(0x1p53, 1.0, -Double.MIN_VALUE)); // just below the tie
    assertBits(-0x1p53, sum(-0x1p53, -1.0));
    assertBits(-(0x1p53 + 4), sum(-0x1p53, -3.0));
    assertBits(1.0, sum(1.0, 0x1p-53));
    assertBits(Math.nextUp(1.0), sum(1.0, 0x1p-53, 0x1p-1074));
    assertBits(1.0 + 0x1p-51, sum(Math.nextUp(1.0), 0x1p-53)); // odd significand: up
    // A tie whose sticky bit sits ~1100 binades lower.
    assertBits(Math.nextUp(0x1p60), sum(0x1p60, 0x1p7, Double.MIN_VALUE));
    // Crossing into the next binade on round-up.
    assertBits(0x1p54, sum(Math.nextDown(0x1p54), 1.0));
  }

  @Test
  void correctlyRoundedWhereNaiveSummationIsNot() {
    double[] terms = {0.1, 0.2, 0.3};
    BigDecimal exact = new BigDecimal(0.1).add(new BigDecimal(0.2)).add(new BigDecimal(0.3));
    assertBits(ExactOracle.roundHalfEven(exact), sum(terms));
    assertBits(0.6, sum(terms)); // naive (0.1 + 0.2) + 0.3 is 0.6000000000000001
  }

  /**
   * 10^7 seeded positive terms (1 + f)·2^e, e in [-30, 30]. The exact reference counts the terms in
   * integer units of 2^-82 (exact for these exponents) and converts with BigDecimal.
   */
  @Test
  void tenMillionPositiveTermsMatchBigDecimal() {
    Random r = new Random(20240611L);
    int n = 10_000_000;
    ExactSum s = new ExactSum();
    ExactSum[] parts = {new ExactSum(), new ExactSum(), new ExactSum(), new ExactSum()};
    double naive = 0.0;
    long[] bucket = new long[61];
    int[] inBucket = new int[61];
    BigInteger units = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      int e = r.nextInt(61) - 30;
      double x = Math.scalb(1.0 + r.nextDouble(), e);
      s.add(x);
      parts[i % 4].add(x);
      naive += x;
      int b = e + 30;
      // x = M·2^(e−52) = M·2^b units of 2^-82, M < 2^53: 512 of them fit a long.
      bucket[b] += (Double.doubleToRawLongBits(x) & ((1L << 52) - 1)) | (1L << 52);
      if (++inBucket[b] == 512) {
        units = units.add(BigInteger.valueOf(bucket[b]).shiftLeft(b));
        bucket[b] = 0;
        inBucket[b] = 0;
      }
    }
    for (int b = 0; b < bucket.length; b++) {
      units = units.add(BigInteger.valueOf(bucket[b]).shiftLeft(b));
    }
    BigDecimal exact = new BigDecimal(units).multiply(new BigDecimal(0x1p-82));
    double expected = ExactOracle.roundHalfEven(exact);
    assertBits(expected, s.doubleValue());
    parts[3].merge(parts[1]);
    parts[0].merge(parts[2]);
    parts[3].merge(parts[0]);
    assertBits(expected, parts[3].doubleValue());
    assertEquals(s, parts[3]);
    // The seeded data is hard enough that naive left-to-right summation misses the rounded sum.
    assertNotEquals(expected, naive);
  }

  /**
   * Worst case for the deferred carries: every add puts the largest possible high part (2^52) into
   * the same word, and the sums are read or merged with 1023 adds pending (one short of the
   * normalisation point), so unnormalised words near 2^62 meet in merge.
   */
  @Test
  void deferredCarriesAtTheirWorstStayExact() {
    // All-ones significand at bit offset 31 within a digit (units exponent 13 + 1074 = 31 mod 32).
    double x = -Math.scalb((double) ((1L << 53) - 1), 13);
    long n = (1L << 22) + 1023;
    ExactSum neg = new ExactSum();
    ExactSum neg2 = new ExactSum();
    ExactSum pos = new ExactSum();
    for (long i = 0; i < n; i++) {
      neg.add(x);
      neg2.add(x);
      pos.add(-x);
    }
    BigDecimal exact = new BigDecimal(x).multiply(BigDecimal.valueOf(n));
    assertBits(ExactOracle.roundHalfEven(exact.negate()), pos.copy().doubleValue());
    neg.merge(neg2);
    assertBits(ExactOracle.roundHalfEven(exact.multiply(BigDecimal.valueOf(2))), neg.doubleValue());
    pos.add(-x);
    neg.merge(pos);
    assertBits(ExactOracle.roundHalfEven(exact.subtract(new BigDecimal(x))), neg.doubleValue());
    assertEquals(neg, ExactSum.fromBytes(neg.toBytes()));
  }

  @Test
  void capacityOverflowIsReportedNotWrapped() {
    ExactSum s = new ExactSum();
    s.add(Double.MAX_VALUE);
    // Each self-merge doubles the exact value; from 2^1024 it passes 2^1100 within 77 doublings.
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> {
      for (int i = 0; i < 80; i++) {
        s.merge(s);
      }
    });
    assertTrue(e.getMessage().contains("2^1100"), e.getMessage());
    ExactSum ok = new ExactSum();
    ok.add(Double.MAX_VALUE);
    for (int i = 0; i < 70; i++) {
      ok.merge(ok);
    }
    ExactSum neg = new ExactSum();
    neg.add(-Double.MAX_VALUE);
    for (int i = 0; i < 70; i++) {
      neg.merge(neg);
    }
    assertBits(Double.POSITIVE_INFINITY, ok.doubleValue());
    assertBits(Double.NEGATIVE_INFINITY, neg.doubleValue());
    ok.merge(neg);
    assertTrue(ok.isZero());
  }

  @Test
  void bytesAreCompactAndCanonical() {
    assertArrayEquals(new byte[] {0x10}, new ExactSum().toBytes());
    ExactSum one = new ExactSum();
    one.add(1.0);
    // 1.0 = 2^1074 units: digit 33 holds 2^18.
    assertArrayEquals(new byte[] {0x10, 33, 0, 4, 0, 0}, one.toBytes());
    ExactSum minusOne = new ExactSum();
    minusOne.add(-1.0);
    assertArrayEquals(new byte[] {0x18, 33, 0, 4, 0, 0}, minusOne.toBytes());
    ExactSum nan = new ExactSum();
    nan.add(Double.NaN);
    nan.add(Double.NEGATIVE_INFINITY);
    assertArrayEquals(new byte[] {0x15}, nan.toBytes());
    ExactSum spread = new ExactSum();
    spread.add(Double.MAX_VALUE);
    spread.add(-Double.MIN_VALUE);
    assertEquals(2 + 4 * 66, spread.toBytes().length);
    ExactSum back = ExactSum.fromBytes(spread.toBytes());
    assertEquals(spread, back);
    assertBits(Double.MAX_VALUE, back.doubleValue());
    back.add(Double.MIN_VALUE);
    back.add(-Double.MAX_VALUE);
    assertTrue(back.isZero());
  }

  @Test
  void fromBytesRejectsMalformedInput() {
    assertRejects(new byte[0], "empty");
    assertRejects(new byte[] {0x20}, "version 2");
    assertRejects(new byte[] {0x18}, "sign flag");
    assertRejects(new byte[] {0x10, 33, 0, 4, 0}, "length 5");
    assertRejects(new byte[] {0x10, 67, 0, 0, 0, 1, 0, 0, 0, 1}, "length 10");
    assertRejects(new byte[] {0x10, 33, 0, 0, 0, 0}, "not canonical");
    assertRejects(new byte[] {0x10, 32, 0, 0, 0, 1, 0, 0, 0, 0}, "not canonical");
    assertRejects(new byte[] {0x10, 67, 0x40, 0, 0, 0}, "not canonical");
  }

  private static void assertRejects(byte[] bytes, String messagePart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(bytes));
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void equalityIsOnTheExactValueAndTheSpecials() {
    ExactSum a = new ExactSum();
    a.add(0.1);
    a.add(0.2);
    ExactSum b = new ExactSum();
    b.add(0.2);
    b.add(0.1);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    ExactSum c = new ExactSum();
    c.add(0.1 + 0.2);
    assertEquals(a.doubleValue(), c.doubleValue());
    assertNotEquals(a, c, "same rounded double, different exact sums");
    ExactSum d = a.copy();
    d.add(Double.POSITIVE_INFINITY);
    assertNotEquals(a, d);
    assertNotEquals(a, d.copy());
    assertEquals(d, d.copy());
  }

  @Test
  void copyIsIndependent() {
    ExactSum a = new ExactSum();
    a.add(1.0);
    ExactSum c = a.copy();
    c.add(1.0);
    assertBits(1.0, a.doubleValue());
    assertBits(2.0, c.doubleValue());
  }

  @Test
  void oracleHandlesItsOwnEdges() {
    assertBits(Double.POSITIVE_INFINITY, ExactOracle.roundHalfEven(ExactOracle.OVERFLOW_THRESHOLD));
    assertBits(Double.MAX_VALUE,
        ExactOracle.roundHalfEven(ExactOracle.OVERFLOW_THRESHOLD.subtract(new BigDecimal(Double.MIN_VALUE))));
    assertBits(0.0, ExactOracle.roundHalfEven(new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.valueOf(2))));
    assertBits(Double.MIN_VALUE,
        ExactOracle.roundHalfEven(new BigDecimal(Double.MIN_VALUE).multiply(new BigDecimal("0.5000001"))));
    assertBits(2 * Double.MIN_VALUE,
        ExactOracle.roundHalfEven(new BigDecimal(Double.MIN_VALUE).multiply(new BigDecimal("1.5"))));
    assertBits(-0x1p53, ExactOracle.roundHalfEven(new BigDecimal(0x1p53).add(BigDecimal.ONE).negate()));
  }
}
