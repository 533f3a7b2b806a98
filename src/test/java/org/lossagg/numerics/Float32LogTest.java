package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Float32Log#log} against {@code (float) Math.log(x)} on every float32 value. */
class Float32LogTest {
  private static final int CHUNKS = 1 << 11;

  @Test
  void everyFloatGivesMathLogsBits() {
    AtomicLong checked = new AtomicLong();
    AtomicReference<String> first = new AtomicReference<>();
    // All 2^31 non-negative bit patterns: zero, subnormals, normals, infinity and NaNs (negative
    // inputs take Math.log itself; specialValues covers them).
    IntStream.range(0, CHUNKS).parallel().forEach(c -> {
      long from = (long) c << 20;
      long n = 0;
      for (long b = from; b < from + (1L << 20); b++) {
        float x = Float.intBitsToFloat((int) b);
        int want = Float.floatToIntBits((float) Math.log(x));
        int got = Float.floatToIntBits(Float32Log.log(x));
        if (want != got) {
          first.compareAndSet(null, "log(" + x + " = 0x" + Long.toHexString(b) + "): want " + Float.intBitsToFloat(want)
              + ", got " + Float.intBitsToFloat(got));
        }
        n++;
      }
      checked.addAndGet(n);
    });
    assertEquals(null, first.get());
    assertEquals(1L << 31, checked.get());
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
