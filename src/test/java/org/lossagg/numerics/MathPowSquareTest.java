package org.lossagg.numerics;

import org.junit.jupiter.api.Test;

/**
 * {@code (float) Math.pow(x, 2.0)} is the float32 product {@code x * x} for every float32 x: the
 * exact square of a float fits in a double and Math.pow returns it (FdLibm and HotSpot's pow stub
 * special-case y == 2), so BinaryFocalCrossentropy's batch loop squares for gamma 2.
 */
class MathPowSquareTest {
  /** Not a constant, so C2 cannot turn the call into x * x itself and the stub is what is checked. */
  private static volatile double two = 2.0;

  @Test
  void everyFloatSquaredIsPowTwo() {
    EveryFloat.assertSameBits("pow2", 0L, 1L << 32, x -> x * x, x -> (float) Math.pow(x, two));
  }
}
