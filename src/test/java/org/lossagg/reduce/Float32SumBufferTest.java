package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bucketed float32 sum is the exact sum: converted to an {@link ExactSum} it equals the
 * ExactSum of the same values, whatever the normalisations and merges in between, across the whole
 * float32 range (subnormals, the largest finite values, cancellation) and with NaN and infinities.
 */
class Float32SumBufferTest {
  private static final int AT = 24;

  @Test
  void bucketSumsEqualExactSumsThroughNormalisationAndMerges() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      byte[] a = new byte[AT + 8 * Float32SumBuffer.LONGS];
      byte[] b = new byte[8 * Float32SumBuffer.LONGS];
      ExactSum expected = new ExactSum();
      boolean specials = trial % 5 == 0;
      for (int i = 0; i < 2000; i++) {
        float f = value(rnd, specials);
        expected.add(f);
        if (rnd.nextBoolean()) {
          Float32SumBuffer.add(a, AT, f);
        } else {
          Float32SumBuffer.add(b, 0, f);
        }
        if (rnd.nextInt(300) == 0) {
          Float32SumBuffer.normalize(a, AT);
        }
      }
      Float32SumBuffer.merge(a, AT, b, 0);
      ExactSum got = new ExactSum();
      Float32SumBuffer.addTo(a, AT, got);
      assertEquals(expected, got, "trial " + trial);
      assertEquals(Double.valueOf(expected.doubleValue()), Double.valueOf(got.doubleValue()));
    }
  }

  @Test
  void carriesFromManyLargeSignificandsStayExact() {
    byte[] a = new byte[8 * Float32SumBuffer.LONGS];
    ExactSum expected = new ExactSum();
    float big = Float.MAX_VALUE;
    float tiny = Float.MIN_VALUE;
    for (int i = 0; i < 100_000; i++) {
      float f = i % 3 == 0 ? big : i % 3 == 1 ? tiny : -Math.nextDown(1.0f);
      Float32SumBuffer.add(a, 0, f);
      expected.add(f);
      if (i % 997 == 0) {
        Float32SumBuffer.normalize(a, 0);
      }
    }
    ExactSum got = new ExactSum();
    Float32SumBuffer.addTo(a, 0, got);
    assertEquals(expected, got);
  }

  private static float value(Random rnd, boolean specials) {
    if (specials && rnd.nextInt(50) == 0) {
      float[] s = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
      return s[rnd.nextInt(3)];
    }
    switch (rnd.nextInt(5)) {
      case 0:
        return Float.intBitsToFloat(rnd.nextInt() & 0x7F7FFFFF) * (rnd.nextBoolean() ? 1 : -1);
      case 1:
        return Float.MIN_VALUE * rnd.nextInt(1 << 23) * (rnd.nextBoolean() ? 1 : -1);
      case 2:
        return rnd.nextFloat() * 16;
      case 3:
        return -rnd.nextFloat();
      default:
        return (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(256) - 128));
    }
  }
}
