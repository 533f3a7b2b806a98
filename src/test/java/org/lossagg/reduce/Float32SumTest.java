package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bucketed float32 sum is the exact sum: handed to an {@link ExactSum} it equals the ExactSum
 * of the same values, with normalisations in between, across the whole float32 range (subnormals,
 * the largest finite values, cancellation) and with NaN and infinities.
 */
class Float32SumTest {
  @Test
  void bucketSumsEqualExactSumsThroughNormalisation() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      Float32Sum sum = new Float32Sum();
      ExactSum expected = new ExactSum();
      boolean specials = trial % 5 == 0;
      for (int i = 0; i < 2000; i++) {
        float f = value(rnd, specials);
        expected.add(f);
        sum.add(f);
        if (rnd.nextInt(300) == 0) {
          sum.normalize();
        }
      }
      ExactSum got = new ExactSum();
      sum.addTo(got);
      assertEquals(expected, got, "trial " + trial);
      assertEquals(Double.valueOf(expected.doubleValue()), Double.valueOf(got.doubleValue()));
    }
  }

  @Test
  void carriesFromManyLargeSignificandsStayExact() {
    Float32Sum sum = new Float32Sum();
    ExactSum expected = new ExactSum();
    for (int i = 0; i < 100_000; i++) {
      float f = i % 3 == 0 ? Float.MAX_VALUE : i % 3 == 1 ? Float.MIN_VALUE : -Math.nextDown(1.0f);
      sum.add(f);
      expected.add(f);
      if (i % 997 == 0) {
        sum.normalize();
      }
    }
    ExactSum got = new ExactSum();
    sum.addTo(got);
    assertEquals(expected, got);
  }

  @Test
  void reservedValuesAddExactlyAndCountTowardNormalisation() {
    Random rnd = new Random(5);
    Float32Sum sum = new Float32Sum();
    ExactSum expected = new ExactSum();
    long counted = 0;
    for (int batch = 0; batch < 400; batch++) {
      int count = rnd.nextInt(513);
      sum.reserve(count);
      counted += count;
      for (int i = 0; i < count; i++) {
        float f = value(rnd, batch % 7 == 0);
        sum.addReserved(f);
        expected.add(f);
      }
    }
    assertEquals(counted, sum.pendingAdds());
    // 2^36 = 32 (2^31 - 1) + 32: with the values above counted, the 32nd reservation of 2^31 - 1
    // would reach 2^36, so it normalises first and the count starts again from it.
    for (int i = 0; i < 32; i++) {
      sum.reserve(Integer.MAX_VALUE);
    }
    assertEquals(Integer.MAX_VALUE, sum.pendingAdds());
    ExactSum got = new ExactSum();
    sum.addTo(got);
    assertEquals(expected, got);
  }

  @Test
  void clearEmptiesTheSum() {
    Float32Sum sum = new Float32Sum();
    sum.add(1.5f);
    sum.add(Float.NaN);
    sum.clear();
    ExactSum got = new ExactSum();
    sum.addTo(got);
    assertEquals(new ExactSum(), got);
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
