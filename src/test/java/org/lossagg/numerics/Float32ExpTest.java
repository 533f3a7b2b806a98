package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Float32Exp#exp} against {@code (float) Math.exp(x)} on every float32 value. */
class Float32ExpTest {
  private static final int CHUNKS = 1 << 12;

  @Test
  void everyFloatGivesMathExpsBits() {
    AtomicLong checked = new AtomicLong();
    AtomicReference<String> first = new AtomicReference<>();
    // All 2^32 bit patterns (both signs: a softmax feeds exp values <= 0).
    IntStream.range(0, CHUNKS).parallel().forEach(c -> {
      long from = (long) c << 20;
      long n = 0;
      for (long b = from; b < from + (1L << 20); b++) {
        float x = Float.intBitsToFloat((int) b);
        int want = Float.floatToIntBits((float) Math.exp(x));
        int got = Float.floatToIntBits(Float32Exp.exp(x));
        if (want != got) {
          first.compareAndSet(null, "exp(" + x + " = 0x" + Long.toHexString(b) + "): want " + Float.intBitsToFloat(want)
              + ", got " + Float.intBitsToFloat(got));
        }
        n++;
      }
      checked.addAndGet(n);
    });
    assertEquals(null, first.get());
    assertEquals(1L << 32, checked.get());
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
