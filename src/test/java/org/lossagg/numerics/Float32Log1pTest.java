package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Float32Log1p#log1p} against {@code (float) Math.log1p(x)} on every float32 value. */
class Float32Log1pTest {
  @Test
  void everyFloatGivesMathLog1psBits() {
    // All 2^32 bit patterns: the fast range [2^-60, 1] and everything Math.log1p takes itself.
    EveryFloat.assertSameBits("log1p", 0L, 1L << 32, Float32Log1p::log1p, x -> (float) Math.log1p(x));
  }

  @Test
  void specialValues() {
    assertEquals(0.0f, Float32Log1p.log1p(0.0f));
    assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(Float32Log1p.log1p(-0.0f)));
    assertEquals(Float.NEGATIVE_INFINITY, Float32Log1p.log1p(-1.0f));
    assertEquals(Float.NaN, Float32Log1p.log1p(-2.0f));
    assertEquals(Float.NaN, Float32Log1p.log1p(Float.NaN));
    assertEquals(Float.POSITIVE_INFINITY, Float32Log1p.log1p(Float.POSITIVE_INFINITY));
    assertEquals((float) Math.log(2.0), Float32Log1p.log1p(1.0f));
    assertEquals(0x1p-61f, Float32Log1p.log1p(0x1p-61f));
  }
}
