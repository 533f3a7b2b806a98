package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.Numerics;

/**
 * BinaryFocalCrossentropy's float32 batch loop ({@link RowKernel#float32Values}) gives every row the bits of
 * {@link RowKernel#scalarValue} (NaN compared as NaN), on 300,000 rows drawn from edge values, probabilities
 * and logits, for the default options, from_logits and class balancing.
 */
class BinaryFocalCrossentropyBatchLoopTest {
  private static final float[] EDGES = {0f, -0f, 1f, 1e-7f, 0.99999988f, 0.9999999f, 0.99999994f, 1e-30f,
      Float.MIN_VALUE, 0.5f, 2f, -1f, 100f, -100f, 88.7f, -103f, 1e30f, -1e30f, Float.MAX_VALUE, Float.NaN,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
  private static final float[] LABELS = {0f, 1f, 0.3f, -0f, 0.5f, 1e-7f, 2f, Float.NaN, Float.POSITIVE_INFINITY};

  @Test
  void defaultOptions() {
    check(BinaryFocalCrossentropy.builder().build(), 1);
  }

  @Test
  void fromLogits() {
    check(BinaryFocalCrossentropy.builder().fromLogits(true).build(), 2);
  }

  @Test
  void classBalancingAndOtherGammas() {
    check(BinaryFocalCrossentropy.builder().applyClassBalancing(true).alpha(0.3).gamma(3.7).build(), 3);
    check(BinaryFocalCrossentropy.builder().fromLogits(true).applyClassBalancing(true).gamma(0.5).build(), 4);
  }

  @Test
  void keras2() {
    check(BinaryFocalCrossentropy.builder().keras2(true).build(), 5);
    check(BinaryFocalCrossentropy.builder().keras2(true).fromLogits(true).build(), 6);
  }

  private static void check(Loss loss, long seed) {
    Numerics n = loss.numerics();
    Random rnd = new Random(seed);
    int count = 512;
    float[] t = new float[count];
    float[] p = new float[count];
    float[] out = new float[count];
    for (int batch = 0; batch < 300_000 / count; batch++) {
      for (int i = 0; i < count; i++) {
        t[i] = rnd.nextInt(3) == 0 ? LABELS[rnd.nextInt(LABELS.length)] : rnd.nextInt(2);
        p[i] = draw(rnd);
      }
      loss.rowKernel().orElseThrow().float32Values(t, p, count, out);
      for (int i = 0; i < count; i++) {
        float want = (float) loss.rowKernel().orElseThrow().scalarValue(t[i], p[i], n);
        if (Float.floatToIntBits(want) != Float.floatToIntBits(out[i])) {
          fail(loss + " at y_true=" + t[i] + ", y_pred=" + p[i] + ": " + want + " != " + out[i]);
        }
      }
    }
  }

  /** Edge values, probabilities (some next to 0 and 1) and logits up to about ±2^11. */
  private static float draw(Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return EDGES[rnd.nextInt(EDGES.length)];
      case 1:
        return rnd.nextFloat();
      case 2:
        float tiny = (float) Math.pow(2, -rnd.nextInt(30));
        return rnd.nextBoolean() ? tiny : 1f - tiny;
      default:
        return (float) ((rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(12)));
    }
  }
}
