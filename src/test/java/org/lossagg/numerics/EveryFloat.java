package org.lossagg.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/** Exhaustive checks of float32 functions: every bit pattern in a range, on all cores. */
final class EveryFloat {
  private static final long CHUNK = 1L << 20;

  interface FloatFunction {
    float apply(float x);
  }

  private EveryFloat() {}

  /**
   * Asserts that {@code fast} and {@code reference} give the same bits for every float whose bit
   * pattern (as an unsigned int) lies in [from, to), a multiple of 2^20 each; names the first
   * difference.
   */
  static void assertSameBits(String name, long from, long to, FloatFunction fast, FloatFunction reference) {
    AtomicLong checked = new AtomicLong();
    AtomicReference<String> first = new AtomicReference<>();
    LongStream.range(from / CHUNK, to / CHUNK).parallel().forEach(c -> {
      for (long b = c * CHUNK; b < (c + 1) * CHUNK; b++) {
        float x = Float.intBitsToFloat((int) b);
        int want = Float.floatToIntBits(reference.apply(x));
        int got = Float.floatToIntBits(fast.apply(x));
        if (want != got) {
          first.compareAndSet(null, name + "(" + x + " = 0x" + Long.toHexString(b) + "): want "
              + Float.intBitsToFloat(want) + ", got " + Float.intBitsToFloat(got));
        }
      }
      checked.addAndGet(CHUNK);
    });
    assertEquals(null, first.get());
    assertEquals(to - from, checked.get());
  }
}
