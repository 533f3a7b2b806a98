package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Float32Exp#exp} against {@code (float) Math.exp(x)} on every float32 value. */
class Float32ExpTest {
  @Test
  void everyFloatGivesMathExpsBits() {
    // All 2^32 bit patterns (both signs: a softmax feeds exp values <= 0).
    EveryFloat.assertSameBits("exp", 0L, 1L << 32, Float32Exp::exp, x -> (float) Math.exp(x));
  }

  @Test
  void specialValues() {
    assertEquals(1.0f, Float32Exp.exp(0.0f));
    assertEquals(1.0f, Float32Exp.exp(-0.0f));
    assertEquals(0.0f, Float32Exp.exp(Float.NEGATIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, Float32Exp.exp(Float.POSITIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, Float32Exp.exp(89f));
    assertEquals(Float.NaN, Float32Exp.exp(Float.NaN));
    assertEquals(Float.floatToIntBits((float) Math.E), Float.floatToIntBits(Float32Exp.exp(1f)));
  }
}
