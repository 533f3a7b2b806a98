package org.lossagg.differential;

import java.util.Random;

/**
 * Seeded random inputs for the differential test: small batch shapes and values drawn from a mix
 * of ordinary distributions and the edge values where float32 loss code goes wrong (exact 0 and 1,
 * values below the clip epsilon, the float32 clip bound itself, saturated logits, zero weights).
 */
final class CaseGen {
  /** 1 - 1e-7 in float32 (the Keras clip bound 0.99999988) and the float just below 1. */
  static final float HI = 1f - 1e-7f;
  static final float BELOW_ONE = Math.nextDown(1f);

  private static final float[] PROB_EDGES = {0f, 1f, 1e-9f, 1e-7f, 5e-8f, 0.5f, HI, BELOW_ONE, 1e-30f};
  private static final float[] LOGIT_EDGES = {0f, 100f, -100f, 30f, -30f, 1e-9f, -1e-9f, 88.5f, -88.5f, 17f, -17f};
  private static final float[] REAL_EDGES = {0f, 1f, -1f, 1e-9f, -1e-9f, 100f, -100f, 1e4f, -1e4f, 0.5f};

  final Random r;

  CaseGen(Random r) {
    this.r = r;
  }

  boolean chance(double p) {
    return r.nextDouble() < p;
  }

  int between(int lo, int hiInclusive) {
    return lo + r.nextInt(hiInclusive - lo + 1);
  }

  <T> T pick(T[] options) {
    return options[r.nextInt(options.length)];
  }

  float pick(float[] options) {
    return options[r.nextInt(options.length)];
  }

  /** (B, C), or (B, T, C) with probability {@code rank3}: B in 1..5, T in 1..3, C in minC..6. */
  int[] shape(int minC, double rank3) {
    int b = between(1, 5);
    int c = between(minC, 6);
    return chance(rank3) ? new int[] {b, between(1, 3), c} : new int[] {b, c};
  }

  /** The per-sample shape of a loss reducing the last axis. */
  static int[] dropLast(int[] shape) {
    int[] s = new int[shape.length - 1];
    System.arraycopy(shape, 0, s, 0, s.length);
    return s;
  }

  static int sizeOf(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** A probability in [0, 1]: edges, tiny log-uniform values, or uniform. */
  float prob() {
    double u = r.nextDouble();
    if (u < 0.2) {
      return pick(PROB_EDGES);
    }
    if (u < 0.3) {
      return (float) Math.pow(10, -1 - 9 * r.nextDouble());
    }
    if (u < 0.35) {
      return (float) (1 - Math.pow(10, -1 - 7 * r.nextDouble()));
    }
    return r.nextFloat();
  }

  /** A logit: edges (saturating at ±100), or Gaussian with scale 5. */
  float logit() {
    return chance(0.2) ? pick(LOGIT_EDGES) : (float) (5 * r.nextGaussian());
  }

  /** A regression value: edges, or Gaussian with scale 3. */
  float real() {
    return chance(0.15) ? pick(REAL_EDGES) : (float) (3 * r.nextGaussian());
  }

  /** A sample weight: 0, 1, or uniform in [0, 3). */
  float weight() {
    double u = r.nextDouble();
    return u < 0.2 ? 0f : (u < 0.3 ? 1f : 3 * r.nextFloat());
  }

  F32Array fill(int[] shape, FloatSource source) {
    float[] d = new float[sizeOf(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = source.next();
    }
    return new F32Array(d, shape.clone());
  }

  /**
   * Sample weights for per-sample values of shape {@code lossShape} (B) or (B, T): a scalar, (B),
   * (B, 1), or the full per-sample shape. (B) against (B, T) exercises tf.keras 2.x's expand rule.
   */
  F32Array weights(int[] lossShape) {
    int b = lossShape[0];
    int kind = r.nextInt(lossShape.length == 2 ? 4 : 3);
    switch (kind) {
      case 0:
        return F32Array.scalar(weight());
      case 1:
        return fill(new int[] {b}, this::weight);
      case 2:
        return fill(new int[] {b, 1}, this::weight);
      default:
        return fill(lossShape, this::weight);
    }
  }

  /** A label-smoothing value: mostly 0, else a common or uniform float32 value in [0, 1]. */
  double labelSmoothing() {
    double u = r.nextDouble();
    if (u < 0.5) {
      return 0.0;
    }
    if (u < 0.85) {
      return pick(new float[] {0.1f, 0.2f, 0.5f, 1f, 1e-7f});
    }
    return r.nextFloat();
  }

  /** A float value source. */
  @FunctionalInterface
  interface FloatSource {
    float next();
  }
}
