package org.lossagg.reduce;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An exact sum of float32 values kept in a region of a {@code byte[]} (so that it can live in a
 * Spark BINARY aggregation buffer and be updated in place by generated code). A float32 value is
 * {@code m · 2^(k − 149)} with an integer significand {@code |m| < 2^24} and a bucket
 * {@code k = max(exponent field − 1, 0)} in [0, 253]: adding it is one signed 64-bit addition into
 * bucket k, no shifts and no carries. {@link #normalize} moves each bucket's bits above 2^24 into
 * the bucket 24 higher (an exact rewrite of the same integer sum); callers normalise at least every
 * 2^36 additions so no bucket overflows. NaN and infinities are kept as flags, with
 * {@link ExactSum}'s rules. {@link #addTo} converts to an {@link ExactSum} exactly.
 *
 * <p>Layout (little-endian longs from {@code at}): {@link #BUCKETS} buckets, then the flags.
 */
public final class Float32SumBuffer {
  /** Buckets 0..253 take values; carries climb in steps of 24 up to bucket 319, which absorbs them. */
  public static final int BUCKETS = 320;
  /** Longs a sum occupies. */
  public static final int LONGS = BUCKETS + 1;
  /** Additions between normalisations that keep every bucket below 2^62 in magnitude. */
  public static final long NORMALIZE_EVERY = 1L << 36;

  private static final int CARRY_STEP = 24;
  private static final long NAN = 1;
  private static final long POS_INF = 2;
  private static final long NEG_INF = 4;
  private static final VarHandle LONGS_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Float32SumBuffer() {}

  /** The long at index {@code i} of a layout starting at byte {@code at}. */
  static long get(byte[] b, int at, int i) {
    return (long) LONGS_LE.get(b, at + 8 * i);
  }

  static void set(byte[] b, int at, int i, long v) {
    LONGS_LE.set(b, at + 8 * i, v);
  }

  /** Adds {@code x}, which must be a float32 value (a double that {@code (float)} keeps unchanged). */
  public static void add(byte[] b, int at, double x) {
    int bits = Float.floatToRawIntBits((float) x);
    int e = (bits >>> 23) & 0xFF;
    if (e == 0xFF) {
      long flag = (bits & 0x7FFFFF) != 0 ? NAN : bits < 0 ? NEG_INF : POS_INF;
      set(b, at, BUCKETS, get(b, at, BUCKETS) | flag);
      return;
    }
    long m = (bits & 0x7FFFFF) | (e == 0 ? 0 : 0x800000);
    int k = e == 0 ? 0 : e - 1;
    int pos = at + 8 * k;
    LONGS_LE.set(b, pos, (long) LONGS_LE.get(b, pos) + (bits < 0 ? -m : m));
  }

  /** Rewrites the buckets so that all but the top 24 lie in (-2^24, 2^24); the sum is unchanged. */
  public static void normalize(byte[] b, int at) {
    for (int k = 0; k < BUCKETS - CARRY_STEP; k++) {
      long v = get(b, at, k);
      if (v != 0) {
        long carry = v >> CARRY_STEP;
        if (carry != 0) {
          set(b, at, k, v - (carry << CARRY_STEP));
          set(b, at, k + CARRY_STEP, get(b, at, k + CARRY_STEP) + carry);
        }
      }
    }
  }

  /** Adds the sum at {@code (o, oat)} into the sum at {@code (b, at)}; both are normalised first. */
  public static void merge(byte[] b, int at, byte[] o, int oat) {
    normalize(b, at);
    normalize(o, oat);
    for (int k = 0; k < BUCKETS; k++) {
      set(b, at, k, Math.addExact(get(b, at, k), get(o, oat, k)));
    }
    set(b, at, BUCKETS, get(b, at, BUCKETS) | get(o, oat, BUCKETS));
  }

  /** Adds this sum to {@code s} exactly: each bucket as two doubles that hold its halves exactly. */
  public static void addTo(byte[] b, int at, ExactSum s) {
    for (int k = 0; k < BUCKETS; k++) {
      long v = get(b, at, k);
      if (v != 0) {
        s.add(Math.scalb((double) (v >> 32), k - 149 + 32));
        s.add(Math.scalb((double) (v & 0xFFFF_FFFFL), k - 149));
      }
    }
    long flags = get(b, at, BUCKETS);
    if ((flags & NAN) != 0) {
      s.add(Double.NaN);
    }
    if ((flags & POS_INF) != 0) {
      s.add(Double.POSITIVE_INFINITY);
    }
    if ((flags & NEG_INF) != 0) {
      s.add(Double.NEGATIVE_INFINITY);
    }
  }
}
