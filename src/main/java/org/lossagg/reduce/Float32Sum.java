package org.lossagg.reduce;

import java.util.Arrays;

/**
 * An exact sum of float32 values, cheaper per term than {@link ExactSum}: a float32 value is
 * {@code m · 2^(k − 149)} with an integer significand {@code |m| < 2^24} and a bucket
 * {@code k = max(exponent field − 1, 0)} in [0, 253], so adding it is one signed 64-bit addition
 * into bucket k (no shifts, no carries). Every 2^36 additions the buckets are normalised: each
 * bucket's bits from 2^24 up move to the bucket 24 higher, an exact rewrite of the same integer
 * sum that keeps every bucket far from overflow. NaN and infinities are flags, as in ExactSum.
 * {@link #addTo} hands the exact sum to an {@link ExactSum}.
 */
public final class Float32Sum {
  /** Values use buckets 0..253; carries climb in steps of 24 up to bucket 319, which keeps them. */
  private static final int BUCKETS = 320;
  private static final int CARRY_STEP = 24;
  private static final long NORMALIZE_EVERY = 1L << 36;

  private final long[] buckets = new long[BUCKETS];
  private long adds;
  private boolean nan;
  private boolean posInf;
  private boolean negInf;

  /** Adds {@code x}, which must be a float32 value (a double that {@code (float)} keeps unchanged). */
  public void add(double x) {
    add((float) x);
  }

  /** Adds the first {@code count} values of {@code xs}: {@link #reserve}, then each value. */
  public void addAll(float[] xs, int count) {
    reserve(count);
    for (int i = 0; i < count; i++) {
      addUncounted(xs[i]);
    }
  }

  /**
   * Counts {@code count} values the caller then adds with {@link #addReserved}, normalising first
   * when they would reach the bound (normalising a little early leaves the sum unchanged; specials
   * may be counted too). Lets a caller that knows how many values a sum takes skip the count per value.
   */
  public void reserve(int count) {
    if (adds + count >= NORMALIZE_EVERY) {
      normalize();
    }
    adds += count;
  }

  /** Adds {@code x}, one of the values counted by the last {@link #reserve}. */
  public void addReserved(float x) {
    addUncounted(x);
  }

  /** Adds {@code x}. */
  public void add(float x) {
    addUncounted(x);
    if (++adds == NORMALIZE_EVERY) {
      normalize();
    }
  }

  /** Adds {@code x} into its bucket (or the flags) without counting toward normalisation. */
  private void addUncounted(float x) {
    int bits = Float.floatToRawIntBits(x);
    int e = (bits >>> 23) & 0xFF;
    if (e == 0xFF) {
      addSpecial(bits);
      return;
    }
    long m = (bits & 0x7FFFFF) | (e == 0 ? 0 : 0x800000);
    buckets[e == 0 ? 0 : e - 1] += bits < 0 ? -m : m;
  }

  private void addSpecial(int bits) {
    if ((bits & 0x7FFFFF) != 0) {
      nan = true;
    } else if (bits < 0) {
      negInf = true;
    } else {
      posInf = true;
    }
  }

  /** Values counted since the last normalisation (tests). */
  long pendingAdds() {
    return adds;
  }

  /** Rewrites the buckets so that all but the top 24 lie in [0, 2^24); the sum is unchanged. */
  void normalize() {
    adds = 0;
    long[] b = buckets;
    for (int k = 0; k < BUCKETS - CARRY_STEP; k++) {
      long carry = b[k] >> CARRY_STEP;
      if (carry != 0) {
        b[k] -= carry << CARRY_STEP;
        b[k + CARRY_STEP] += carry;
      }
    }
  }

  /** Adds this sum to {@code s} exactly: each bucket as two doubles holding its halves exactly. */
  public void addTo(ExactSum s) {
    for (int k = 0; k < BUCKETS; k++) {
      long v = buckets[k];
      if (v != 0) {
        s.add(Math.scalb((double) (v >> 32), k - 149 + 32));
        s.add(Math.scalb((double) (v & 0xFFFF_FFFFL), k - 149));
      }
    }
    if (nan) {
      s.add(Double.NaN);
    }
    if (posInf) {
      s.add(Double.POSITIVE_INFINITY);
    }
    if (negInf) {
      s.add(Double.NEGATIVE_INFINITY);
    }
  }

  /** Back to the empty sum. */
  public void clear() {
    Arrays.fill(buckets, 0L);
    adds = 0;
    nan = false;
    posInf = false;
    negInf = false;
  }
}
