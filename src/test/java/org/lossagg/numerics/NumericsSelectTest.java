package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The branch-free select returns exactly the chosen value's bits (signed zeros, NaN payloads,
 * infinities); the branch-free hard-label test agrees with {@code y == 0 || y == 1}.
 */
class NumericsSelectTest {
  private static final float[] FLOATS = {0f, -0f, 1f, -1f, Float.MIN_VALUE, Float.MAX_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xFFC0_1234), 0.3f};

  @Test
  void floatSelectKeepsTheChosenBits() {
    for (float a : FLOATS) {
      for (float b : FLOATS) {
        assertEquals(Float.floatToRawIntBits(a), Float.floatToRawIntBits(Numerics.select(true, a, b)));
        assertEquals(Float.floatToRawIntBits(b), Float.floatToRawIntBits(Numerics.select(false, a, b)));
      }
    }
  }

  private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
      Double.longBitsToDouble(0xFFF8_0000_0000_1234L), 0.3};

  @Test
  void doubleSelectKeepsTheChosenBits() {
    for (double a : DOUBLES) {
      for (double b : DOUBLES) {
        assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(Numerics.select(true, a, b)));
        assertEquals(Double.doubleToRawLongBits(b), Double.doubleToRawLongBits(Numerics.select(false, a, b)));
      }
    }
  }

  @Test
  void hardLabelIsExactlyZeroOrOne() {
    // Near 0 and 1 (where y(1 - y) could underflow or cancel), every float within 2^16 steps of
    // them on both sides, the specials, then random bits of every exponent.
    for (float c : new float[] {0f, -0f, 1f}) {
      float y = c;
      float z = c;
      for (int i = 0; i < 1 << 16; i++) {
        checkHardLabel(y);
        checkHardLabel(z);
        y = Math.nextUp(y);
        z = Math.nextDown(z);
      }
    }
    for (float y : FLOATS) {
      checkHardLabel(y);
    }
    for (double y : DOUBLES) {
      checkHardLabel(y);
    }
    for (double y : new double[] {Math.nextUp(1.0), Math.nextDown(1.0), Math.nextUp(0.0), -Math.nextUp(0.0),
        Math.nextUp(-1.0), 2.0, 0.5, 1e300, -1e300, 1e-300, 1.0000000000000002}) {
      checkHardLabel(y);
    }
    SplittableRandom r = new SplittableRandom(13);
    for (int i = 0; i < 1_000_000; i++) {
      checkHardLabel(Float.intBitsToFloat(r.nextInt()));
      checkHardLabel(Double.longBitsToDouble(r.nextLong()));
    }
  }

  private static void checkHardLabel(float y) {
    assertEquals(y == 0f || y == 1f, Numerics.hardLabel(y), () -> "float " + y);
    checkHardLabel((double) y);
  }

  private static void checkHardLabel(double y) {
    assertEquals(y == 0.0 || y == 1.0, Numerics.hardLabel(y), () -> "double " + y);
  }
}
