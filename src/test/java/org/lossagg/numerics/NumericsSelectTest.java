package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The branch-free select returns exactly the chosen value's bits: signed zeros, NaN payloads, infinities. */
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
}
