package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Float32Log#log} against {@code (float) Math.log(x)} on every float32 value. */
class Float32LogTest {
  @Test
  void everyFloatGivesMathLogsBits() {
    // All 2^31 non-negative bit patterns: zero, subnormals, normals, infinity and NaNs (negative
    // inputs take Math.log itself; specialValues covers them).
    EveryFloat.assertSameBits("log", 0L, 1L << 31, Float32Log::log, x -> (float) Math.log(x));
  }

  @Test
  void specialValues() {
    assertEquals(Float.NEGATIVE_INFINITY, Float32Log.log(0.0f));
    assertEquals(Float.NEGATIVE_INFINITY, Float32Log.log(-0.0f));
    assertEquals(Float.POSITIVE_INFINITY, Float32Log.log(Float.POSITIVE_INFINITY));
    assertEquals(Float.NaN, Float32Log.log(-1.0f));
    assertEquals(Float.NaN, Float32Log.log(-Float.MIN_VALUE));
    assertEquals(Float.NaN, Float32Log.log(Float.NEGATIVE_INFINITY));
    assertEquals(Float.NaN, Float32Log.log(Float.NaN));
    assertEquals(0.0f, Float32Log.log(1.0f));
    assertEquals(Float.floatToIntBits(-16.118095f), Float.floatToIntBits(Float32Log.log(1e-7f)));
  }
}
