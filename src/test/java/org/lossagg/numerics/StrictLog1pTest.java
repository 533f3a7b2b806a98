package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link StrictLog1p#log1p} against {@code StrictMath.log1p}: the raw bits, NaN payloads included. */
class StrictLog1pTest {
  /** High words where fdlibm's log1p changes branch (x's, and 1 + x's significand at sqrt(2)). */
  private static final int[] BRANCH_HIGH_WORDS = {0x3FDA827A, 0x3FF00000, 0x3E200000, 0x3C900000, 0xBFD2BEC3 & 0x7FFFFFFF,
      0x7FF00000, 0x43400000, 0x3FF6A09E, 0x3FE6A09E, 0x00100000, 0x00000000};

  @Test
  void branchBoundariesGiveStrictMathsBits() {
    int[] lowWords = {0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678};
    for (int high : BRANCH_HIGH_WORDS) {
      for (int dh = -2; dh <= 2; dh++) {
        for (int low : lowWords) {
          for (int sign : new int[] {0, 0x80000000}) {
            long bits = ((long) ((high + dh) | sign) << 32) | (low & 0xFFFFFFFFL);
            check(Double.longBitsToDouble(bits));
          }
        }
      }
    }
  }

  @Test
  void onePlusXNearPowersOfTwoGivesStrictMathsBits() {
    // 1 + x = 2^k exactly (f == 0), and within 2^-20 of it (the short series branch).
    for (int k = -60; k <= 1030; k++) {
      double x = Math.scalb(1.0, k) - 1.0;
      for (int ulps = -3; ulps <= 3; ulps++) {
        double y = x;
        for (int i = 0; i < Math.abs(ulps); i++) {
          y = ulps > 0 ? Math.nextUp(y) : Math.nextDown(y);
        }
        check(y);
        check(y + Math.scalb(1.0, k - 21));
        check(y - Math.scalb(1.0, k - 22));
      }
    }
  }

  /**
   * exp(-|logit|)'s range, densely: 10,000 consecutive doubles around 2^-29, fdlibm's route boundary
   * (x's high word 0x3FDA827A, where the reduction of 1 + x starts), 0.5, 1 - 2^-17 and 1, and random
   * doubles in (2^-29, 1) and around the boundary.
   */
  @Test
  void sigmoidRangeGivesStrictMathsBits() {
    double boundary = Double.longBitsToDouble(0x3FDA827AL << 32);
    for (double at : new double[] {0x1p-29, 1.0 - 0x1p-17, boundary, 0.5, 1.0}) {
      double y = at;
      for (int i = 0; i < 5000; i++) {
        y = Math.nextDown(y);
      }
      for (int i = 0; i < 10_000; i++) {
        check(y);
        y = Math.nextUp(y);
      }
    }
    SplittableRandom random = new SplittableRandom(42L);
    for (int i = 0; i < 1 << 21; i++) {
      check(random.nextDouble(0x1p-29, 1.0));
      check(random.nextDouble(0.40, 0.43));
    }
  }

  @Test
  void specialValuesGiveStrictMathsBits() {
    double[] xs = {0.0, -0.0, -1.0, 1.0, Double.NaN, Double.longBitsToDouble(0xFFF8_0000_0000_0001L),
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(-1.0), Math.nextUp(-1.0), 0x1p-29, 0x1p-54, 0x1p53};
    for (double x : xs) {
      check(x);
    }
    assertEquals(Double.NEGATIVE_INFINITY, StrictLog1p.log1p(-1.0));
    assertEquals(Math.log(2.0), StrictLog1p.log1p(1.0));
  }

  @Test
  void randomDoublesOfEveryRangeGiveStrictMathsBits() {
    SplittableRandom random = new SplittableRandom(20261204L);
    for (int i = 0; i < 1 << 20; i++) {
      check(Double.longBitsToDouble(random.nextLong()));
      check(random.nextDouble(-1.0, 1.0));
      check(Math.exp(-40.0 * random.nextDouble())); // exp(-|logit|) of a sigmoid cross-entropy
      check(Math.scalb(random.nextDouble(), random.nextInt(-1080, 1030)));
    }
  }

  private static void check(double x) {
    long expected = Double.doubleToRawLongBits(StrictMath.log1p(x));
    long actual = Double.doubleToRawLongBits(StrictLog1p.log1p(x));
    if (expected != actual) {
      fail("log1p(" + x + " = " + Double.toHexString(x) + "): StrictMath gives " + Double.longBitsToDouble(expected)
          + " (0x" + Long.toHexString(expected) + "), StrictLog1p gives " + Double.longBitsToDouble(actual) + " (0x"
          + Long.toHexString(actual) + ")");
    }
  }
}
