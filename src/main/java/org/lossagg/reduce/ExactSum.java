package org.lossagg.reduce;

import java.util.Arrays;

/**
 * An exact sum of doubles (a superaccumulator). {@link #doubleValue()} is the exact real sum of all
 * terms, rounded once to the nearest double (ties to even), so any split of the same terms into
 * partial sums, merged in any order, gives the identical double.
 *
 * <p>The finite part is a fixed-point integer in units of 2^-1074 (the smallest subnormal), held as
 * 32-bit digits in 64-bit words: {@code value = Σ digit[i] · 2^(32·i − 1074)}. {@link #add} adds a
 * term's signed, shifted significand into two words (the low 32 bits and the signed rest) and defers
 * carries; the headroom of the words absorbs 2^10 additions before carries must be propagated.
 * Normalised, digits 0..{@code N−2} lie in [0, 2^32) and the top digit carries the sign (two's
 * complement).
 *
 * <p>Special values: any NaN term gives NaN; +∞ and −∞ together give NaN; otherwise an infinity
 * wins over any finite part. A finite exact sum beyond the double range rounds to ±∞, and stays
 * exact, so later terms of the opposite sign can bring it back into range. An exact zero gives
 * {@code +0.0}, whatever the signs of zero terms.
 *
 * <p>Capacity: exact for sums whose magnitude stays below 2^1100 (about 2^76 terms of
 * {@link Double#MAX_VALUE}); beyond that {@link ArithmeticException} is thrown. Instances are
 * mutable and not thread-safe (reading methods normalise the digits in place).
 */
public final class ExactSum {
  /** Digits 0..65 hold every double (bits 0..2097); 66 and 67 are carry headroom and sign. */
  private static final int N = 68;
  private static final long DIGIT_MASK = 0xFFFF_FFFFL;
  private static final long FRACTION_MASK = (1L << 52) - 1;
  /**
   * Additions between normalisations. Each add changes a word by at most 2^52, so after 2^10 adds a
   * word stays below 2^32 + 2^10 · 2^52 < 2^63; normalising costs ~70 word
   * operations per 1024 adds.
   */
  private static final int PENDING_LIMIT = 1 << 10;
  /** Normalised top digit bound: |value| < 2^(32·67 + 30) units = 2^1100. */
  private static final long TOP_LIMIT = 1L << 30;
  /** Units of 2^-1074 at the first finite magnitude that is not a double: 2^1024 = 2^2098 units. */
  private static final int OVERFLOW_BIT = 2098;

  private static final int NAN = 1;
  private static final int POS_INF = 2;
  private static final int NEG_INF = 4;

  private static final int FORMAT_VERSION = 1;
  private static final int NEGATIVE = 8;

  /**
   * Terms per chunk of {@link #addAll}: each exponent sum adds at most this many significands
   * below 2^53, so it stays below 2^63.
   */
  private static final int EXPONENT_SUM_CHUNK = 1 << 10;

  private final long[] digits = new long[N];
  /**
   * {@link #addAll}'s per-exponent sums, one array per thread (a state per group must not carry
   * 16 KB), all zero between calls.
   */
  private static final ThreadLocal<long[]> EXPONENT_SUMS = ThreadLocal.withInitial(() -> new long[2048]);
  private int pending;
  private int specials;

  /** Adds one term. Allocation-free; carries are deferred. */
  public void add(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int e = (int) (bits >>> 52) & 0x7FF;
    if (e == 0x7FF) {
      addSpecial(bits);
      return;
    }
    // |x| = m · 2^s units: normal numbers carry the implicit bit and s = e − 1; subnormals s = 0.
    long m = (bits & FRACTION_MASK) | ((long) ((-e) >>> 31) << 52);
    int s = e - 1 + ((e - 1) >>> 31);
    int i = s >>> 5;
    int off = s & 31;
    long sign = bits >> 63;
    long sm = (m ^ sign) - sign;
    // sm·2^off = low + 2^32·high with low in [0, 2^32) and high = floor(sm·2^off / 2^32), |high| <= 2^52.
    long[] d = digits;
    d[i] += (sm << off) & DIGIT_MASK;
    d[i + 1] += sm >> (32 - off);
    if (++pending == PENDING_LIMIT) {
      normalize();
    }
  }

  /**
   * {@link #add} for {@code x[0..count)}, cheaper per term: the signed significands of a chunk of
   * terms are first summed per biased exponent (one 64-bit addition each, no shifts or carries),
   * then each non-zero exponent sum enters the digits once. The integer sum is the same, so the
   * state is exactly {@link #add}'s.
   */
  public void addAll(double[] x, int count) {
    addChunks(x, null, count);
  }

  /**
   * {@link #add}{@code (x[k] * y[k])} for k in {@code [0, count)}: each product rounded to double
   * as Java's {@code *} rounds it, then summed exactly as {@link #addAll} sums.
   */
  public void addProducts(double[] x, double[] y, int count) {
    addChunks(x, y, count);
  }

  /** {@link #addAll} of {@code x}, or of the products {@code x[k] * y[k]} when {@code y} is not null. */
  private void addChunks(double[] x, double[] y, int count) {
    long[] b = EXPONENT_SUMS.get();
    for (int from = 0; from < count; from += EXPONENT_SUM_CHUNK) {
      int to = Math.min(count, from + EXPONENT_SUM_CHUNK);
      int lo = 0x7FF;
      int hi = 0;
      for (int k = from; k < to; k++) {
        long bits = Double.doubleToRawLongBits(y == null ? x[k] : x[k] * y[k]);
        int e = (int) (bits >>> 52) & 0x7FF;
        long m = (bits & FRACTION_MASK) | ((long) ((-e) >>> 31) << 52);
        long sign = bits >> 63;
        b[e] += (m ^ sign) - sign;
        lo = Math.min(lo, e);
        hi = Math.max(hi, e);
      }
      if (hi == 0x7FF) {
        // NaN and infinities: their bin is garbage; the flags come from the terms themselves.
        b[0x7FF] = 0;
        for (int k = from; k < to; k++) {
          long bits = Double.doubleToRawLongBits(y == null ? x[k] : x[k] * y[k]);
          if (((int) (bits >>> 52) & 0x7FF) == 0x7FF) {
            addSpecial(bits);
          }
        }
        hi = 0x7FE;
      }
      for (int e = lo; e <= hi; e++) {
        long v = b[e];
        if (v != 0) {
          b[e] = 0;
          addScaled(v, e - 1 + ((e - 1) >>> 31));
        }
      }
    }
  }

  /**
   * Adds {@code v · 2^s} units ({@code |v| < 2^63}) over three words: the low 32 bits of
   * {@code v · 2^(s mod 32)} into word {@code s / 32}, the rest as a digit and a signed remainder into
   * the next two. Each word changes by less than 2^32, within what one {@link #add} may change.
   */
  private void addScaled(long v, int s) {
    long[] d = digits;
    int i = s >>> 5;
    int off = s & 31;
    long rest = v >> (32 - off);
    d[i] += (v << off) & DIGIT_MASK;
    d[i + 1] += rest & DIGIT_MASK;
    d[i + 2] += rest >> 32;
    if (++pending == PENDING_LIMIT) {
      normalize();
    }
  }

  private void addSpecial(long bits) {
    if ((bits & FRACTION_MASK) != 0) {
      specials |= NAN;
    } else {
      specials |= bits < 0 ? NEG_INF : POS_INF;
    }
  }

  /** Adds every term of {@code o} to this sum; {@code o} is left unchanged. */
  public void merge(ExactSum o) {
    normalize();
    long[] d = digits;
    long[] od = o.digits;
    long carry = 0;
    // this is normalised (digits < 2^32), o's words are below 2^62 + 2^32: no overflow.
    for (int k = 0; k < N - 1; k++) {
      long t = d[k] + od[k] + carry;
      d[k] = t & DIGIT_MASK;
      carry = t >> 32;
    }
    d[N - 1] += od[N - 1] + carry;
    specials |= o.specials;
    checkTop();
  }

  /** Propagates deferred carries; the value is unchanged. */
  private void normalize() {
    pending = 0;
    long[] d = digits;
    long carry = 0;
    for (int k = 0; k < N - 1; k++) {
      long t = d[k] + carry;
      d[k] = t & DIGIT_MASK;
      carry = t >> 32;
    }
    d[N - 1] += carry;
    checkTop();
  }

  private void checkTop() {
    long top = digits[N - 1];
    if (top >= TOP_LIMIT || top <= -TOP_LIMIT) {
      throw new ArithmeticException(
          "ExactSum: the exact sum reached 2^1100 in magnitude; capacity is about 2^76 terms of Double.MAX_VALUE");
    }
  }

  /** Whether the state equals a fresh accumulator: no NaN or infinite term, exact finite sum 0. */
  public boolean isZero() {
    if (specials != 0) {
      return false;
    }
    normalize();
    for (long x : digits) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** The exact sum correctly rounded to double (round half to even), see the class comment. */
  public double doubleValue() {
    if ((specials & NAN) != 0 || specials == (POS_INF | NEG_INF)) {
      return Double.NaN;
    }
    if (specials == POS_INF) {
      return Double.POSITIVE_INFINITY;
    }
    if (specials == NEG_INF) {
      return Double.NEGATIVE_INFINITY;
    }
    normalize();
    boolean negative = digits[N - 1] < 0;
    long[] mag = magnitude(negative);
    int top = N - 1;
    while (top >= 0 && mag[top] == 0) {
      top--;
    }
    if (top < 0) {
      return 0.0;
    }
    int p = 32 * top + 63 - Long.numberOfLeadingZeros(mag[top]);
    double r;
    if (p >= OVERFLOW_BIT) {
      r = Double.POSITIVE_INFINITY;
    } else if (p < 53) {
      // Below 2^53 units the integer itself is the double's bit pattern (subnormal or smallest
      // binade), so no rounding happens.
      r = Double.longBitsToDouble(bitsFrom(mag, 0) & ((1L << 53) - 1));
    } else {
      int shift = p - 52;
      long m = bitsFrom(mag, shift) & ((1L << 53) - 1);
      boolean half = bitSet(mag, shift - 1);
      if (half && ((m & 1) != 0 || anyBelow(mag, shift - 1))) {
        m++;
      }
      // m holds the implicit bit at position 52, so adding it lifts the exponent field by one and
      // m == 2^53 after rounding carries into the next binade; 0x7FF0... is +Infinity.
      long bits = ((long) shift << 52) + m;
      r = Double.longBitsToDouble(Math.min(bits, 0x7FF0_0000_0000_0000L));
    }
    return negative ? -r : r;
  }

  /** |finite part| as 32-bit digits (top digit below 2^30 by {@link #checkTop}); needs normalised digits. */
  private long[] magnitude(boolean negative) {
    long[] mag = digits.clone();
    if (negative) {
      long carry = 0;
      for (int k = 0; k < N - 1; k++) {
        long t = -mag[k] + carry;
        mag[k] = t & DIGIT_MASK;
        carry = t >> 32;
      }
      mag[N - 1] = -mag[N - 1] + carry;
    }
    return mag;
  }

  /** The 64 bits of the magnitude starting at bit {@code pos}. */
  private static long bitsFrom(long[] mag, int pos) {
    int k = pos >>> 5;
    int off = pos & 31;
    long w = mag[k] | (k + 1 < N ? mag[k + 1] << 32 : 0);
    long r = w >>> off;
    if (off != 0 && k + 2 < N) {
      r |= mag[k + 2] << (64 - off);
    }
    return r;
  }

  private static boolean bitSet(long[] mag, int pos) {
    return ((mag[pos >>> 5] >>> (pos & 31)) & 1) != 0;
  }

  /** Whether any bit strictly below {@code pos} is set. */
  private static boolean anyBelow(long[] mag, int pos) {
    int k = pos >>> 5;
    if ((mag[k] & ((1L << (pos & 31)) - 1)) != 0) {
      return true;
    }
    for (int j = 0; j < k; j++) {
      if (mag[j] != 0) {
        return true;
      }
    }
    return false;
  }

  public ExactSum copy() {
    ExactSum c = new ExactSum();
    System.arraycopy(digits, 0, c.digits, 0, N);
    c.pending = pending;
    c.specials = specials;
    return c;
  }

  /**
   * A compact, canonical encoding: one header byte (format version in the high nibble; NaN, +∞, −∞
   * and sign flags in the low nibble), then, for a non-zero finite part, the index of the lowest
   * non-zero digit and the magnitude digits from there to the highest non-zero one, 4 bytes each,
   * big-endian. Equal states give equal bytes; at most 274 bytes.
   */
  public byte[] toBytes() {
    normalize();
    boolean negative = digits[N - 1] < 0;
    long[] mag = magnitude(negative);
    int lo = 0;
    while (lo < N && mag[lo] == 0) {
      lo++;
    }
    int header = (FORMAT_VERSION << 4) | specials;
    if (lo == N) {
      return new byte[] {(byte) header};
    }
    int hi = N - 1;
    while (mag[hi] == 0) {
      hi--;
    }
    byte[] out = new byte[2 + 4 * (hi - lo + 1)];
    out[0] = (byte) (header | (negative ? NEGATIVE : 0));
    out[1] = (byte) lo;
    int o = 2;
    for (int k = lo; k <= hi; k++) {
      long v = mag[k];
      out[o++] = (byte) (v >>> 24);
      out[o++] = (byte) (v >>> 16);
      out[o++] = (byte) (v >>> 8);
      out[o++] = (byte) v;
    }
    return out;
  }

  /** Decodes {@link #toBytes()}; rejects anything that is not a canonical encoding. */
  public static ExactSum fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("ExactSum.fromBytes: empty input; expected at least the header byte");
    }
    int header = bytes[0] & 0xFF;
    if (header >>> 4 != FORMAT_VERSION) {
      throw new IllegalArgumentException("ExactSum.fromBytes: format version " + (header >>> 4)
          + " in header byte 0x" + Integer.toHexString(header) + "; supported: " + FORMAT_VERSION);
    }
    ExactSum s = new ExactSum();
    s.specials = header & (NAN | POS_INF | NEG_INF);
    boolean negative = (header & NEGATIVE) != 0;
    if (bytes.length == 1) {
      if (negative) {
        throw new IllegalArgumentException("ExactSum.fromBytes: sign flag set on a zero finite part");
      }
      return s;
    }
    int count = (bytes.length - 2) / 4;
    int lo = bytes[1] & 0xFF;
    if (bytes.length < 6 || (bytes.length - 2) % 4 != 0 || lo + count > N) {
      throw new IllegalArgumentException("ExactSum.fromBytes: length " + bytes.length + " with lowest digit "
          + lo + " is not 1 or 2 + 4·k (1 <= k, lowest digit + k <= " + N + ")");
    }
    long[] mag = new long[N];
    int o = 2;
    for (int k = lo; k < lo + count; k++) {
      mag[k] = ((bytes[o] & 0xFFL) << 24) | ((bytes[o + 1] & 0xFFL) << 16) | ((bytes[o + 2] & 0xFFL) << 8)
          | (bytes[o + 3] & 0xFFL);
      o += 4;
    }
    if (mag[lo] == 0 || mag[lo + count - 1] == 0 || mag[N - 1] >= TOP_LIMIT) {
      throw new IllegalArgumentException("ExactSum.fromBytes: not canonical (zero end digit, or top digit "
          + mag[N - 1] + " not below " + TOP_LIMIT + ")");
    }
    long[] d = s.digits;
    if (negative) {
      long carry = 0;
      for (int k = 0; k < N - 1; k++) {
        long t = -mag[k] + carry;
        d[k] = t & DIGIT_MASK;
        carry = t >> 32;
      }
      d[N - 1] = -mag[N - 1] + carry;
    } else {
      System.arraycopy(mag, 0, d, 0, N);
    }
    return s;
  }

  /** Equal when both saw the same kinds of special value and have the same exact finite sum. */
  @Override
  public boolean equals(Object obj) {
    if (this == obj) {
      return true;
    }
    if (!(obj instanceof ExactSum)) {
      return false;
    }
    ExactSum o = (ExactSum) obj;
    normalize();
    o.normalize();
    return specials == o.specials && Arrays.equals(digits, o.digits);
  }

  @Override
  public int hashCode() {
    normalize();
    return 31 * specials + Arrays.hashCode(digits);
  }

  @Override
  public String toString() {
    return "ExactSum[" + doubleValue() + "]";
  }
}
