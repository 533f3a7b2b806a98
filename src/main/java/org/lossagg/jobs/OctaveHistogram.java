package org.lossagg.jobs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.lossagg.jobs.EvaluationSummary.Bin;
import org.lossagg.jobs.EvaluationSummary.Histogram;

/**
 * The histogram of one slice's per-row losses, in bins fixed in advance so that it comes out of the
 * same pass as the reductions: one bin per octave of magnitude on each side of zero, and one for zero.
 *
 * <ul>
 *   <li>positive octave {@code e}: {@code 2^e <= v < 2^(e+1)};
 *   <li>negative octave {@code e}: {@code -2^(e+1) < v <= -2^e};
 *   <li>zero: {@code v == 0} (0.0 and -0.0),
 * </ul>
 *
 * for every integer {@code e} from -1074 ({@code Double.MIN_VALUE}) to 1023 (the last bin runs to
 * {@code 2^1024}, i.e. to the largest double). Every finite value falls in exactly one bin, found from
 * its bits (no logarithm, no rounding); NaN and infinities are counted apart. Counts are exact and a
 * state merges with another by adding counts, so any split of a slice merged in any order gives the
 * same histogram. Also keeps the smallest and largest finite value.
 */
final class OctaveHistogram {
  /** The octave of {@code Double.MIN_VALUE}, 2^-1074. */
  static final int LOWEST_OCTAVE = -1074;

  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long nonFinite;
  private long zeros;
  private final OctaveCounts positive = new OctaveCounts();
  private final OctaveCounts negative = new OctaveCounts();

  /** {@code floor(log2(magnitude))}, exactly, for a finite {@code magnitude > 0}. */
  static int octave(double magnitude) {
    long bits = Double.doubleToRawLongBits(magnitude);
    int biased = (int) (bits >>> 52) & 0x7ff;
    if (biased != 0) {
      return biased - 1023;
    }
    // Subnormal: the value is bits * 2^-1074, so its octave is the top set bit's position - 1074.
    return LOWEST_OCTAVE + 63 - Long.numberOfLeadingZeros(bits);
  }

  /** {@code 2^octave}, the magnitude where an octave starts (exact; 2^1024 is +Infinity). */
  static double edge(int octave) {
    return Math.scalb(1.0, octave);
  }

  void add(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      nonFinite++;
      return;
    }
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (v == 0) {
      zeros++;
    } else if (v > 0) {
      positive.add(octave(v), 1);
    } else {
      negative.add(octave(-v), 1);
    }
  }

  void merge(OctaveHistogram other) {
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    nonFinite += other.nonFinite;
    zeros += other.zeros;
    positive.merge(other.positive);
    negative.merge(other.negative);
  }

  long finiteCount() {
    return zeros + positive.total() + negative.total();
  }

  double min() {
    return finiteCount() == 0 ? Double.NaN : min;
  }

  double max() {
    return finiteCount() == 0 ? Double.NaN : max;
  }

  long nonFinite() {
    return nonFinite;
  }

  long zeros() {
    return zeros;
  }

  OctaveCounts positive() {
    return positive;
  }

  OctaveCounts negative() {
    return negative;
  }

  /** Restores the finite range and counts read back from the aggregate's result (a row, on the driver). */
  static OctaveHistogram of(double min, double max, long nonFinite, long zeros, OctaveCounts negative,
      OctaveCounts positive) {
    OctaveHistogram h = new OctaveHistogram();
    h.min = Double.isNaN(min) ? Double.POSITIVE_INFINITY : min;
    h.max = Double.isNaN(max) ? Double.NEGATIVE_INFINITY : max;
    h.nonFinite = nonFinite;
    h.zeros = zeros;
    h.negative.merge(negative);
    h.positive.merge(positive);
    return h;
  }

  /**
   * The bins in value order, for drawing: the negative octaves from the largest magnitude counted to
   * the smallest, the zero bin if it counted a row, then the positive octaves from the smallest to the
   * largest. Empty octaves between counted ones are included, so equal-width bars make a log axis.
   * Each side has at most {@link #BINS_PER_SIDE} bins: when its counted octaves span more, the octaves
   * nearest zero are drawn as one bin, from {@code 2^lowest} to the first octave drawn on its own.
   */
  Histogram toHistogram() {
    List<Bin> bins = new ArrayList<>();
    if (!negative.isEmpty()) {
      int merged = mergedBelow(negative);
      for (int e = negative.highest(); e >= merged; e--) {
        bins.add(new Bin(-edge(e + 1), -edge(e), negative.count(e)));
      }
      if (merged > negative.lowest()) {
        bins.add(new Bin(-edge(merged), -edge(negative.lowest()), negative.sum(negative.lowest(), merged - 1)));
      }
    }
    if (zeros > 0) {
      bins.add(new Bin(0.0, 0.0, zeros));
    }
    if (!positive.isEmpty()) {
      int merged = mergedBelow(positive);
      if (merged > positive.lowest()) {
        bins.add(new Bin(edge(positive.lowest()), edge(merged), positive.sum(positive.lowest(), merged - 1)));
      }
      for (int e = merged; e <= positive.highest(); e++) {
        bins.add(new Bin(edge(e), edge(e + 1), positive.count(e)));
      }
    }
    return new Histogram(min(), max(), bins, nonFinite);
  }

  /** Bins drawn per side of zero at most: 39 octaves of their own and one for those below. */
  static final int BINS_PER_SIDE = 40;

  /** The lowest octave drawn as a bin of its own (lower ones share one bin). */
  private static int mergedBelow(OctaveCounts counts) {
    return Math.max(counts.lowest(), counts.highest() - (BINS_PER_SIDE - 2));
  }

  void write(DataOutputStream out) throws IOException {
    out.writeDouble(min);
    out.writeDouble(max);
    out.writeLong(nonFinite);
    out.writeLong(zeros);
    positive.write(out);
    negative.write(out);
  }

  static OctaveHistogram read(DataInputStream in) throws IOException {
    OctaveHistogram h = new OctaveHistogram();
    h.min = in.readDouble();
    h.max = in.readDouble();
    h.nonFinite = in.readLong();
    h.zeros = in.readLong();
    h.positive.readFrom(in);
    h.negative.readFrom(in);
    return h;
  }

  /** Counts per octave on one side of zero: a window of consecutive octaves that grows as needed. */
  static final class OctaveCounts {
    private int first;
    private long[] counts = new long[0];

    void add(int octave, long n) {
      if (counts.length == 0) {
        first = octave;
        counts = new long[4];
      } else if (octave < first) {
        int grow = Math.max(first - octave, counts.length / 2);
        long[] wider = new long[counts.length + grow];
        System.arraycopy(counts, 0, wider, grow, counts.length);
        counts = wider;
        first -= grow;
      } else if (octave >= first + counts.length) {
        counts = java.util.Arrays.copyOf(counts, Math.max(octave - first + 1, counts.length + counts.length / 2));
      }
      counts[octave - first] += n;
    }

    void merge(OctaveCounts other) {
      for (int i = 0; i < other.counts.length; i++) {
        if (other.counts[i] != 0) {
          add(other.first + i, other.counts[i]);
        }
      }
    }

    boolean isEmpty() {
      return total() == 0;
    }

    long total() {
      long t = 0;
      for (long c : counts) {
        t += c;
      }
      return t;
    }

    /** The lowest octave with a count; only when not empty. */
    int lowest() {
      int i = 0;
      while (counts[i] == 0) {
        i++;
      }
      return first + i;
    }

    /** The highest octave with a count; only when not empty. */
    int highest() {
      int i = counts.length - 1;
      while (counts[i] == 0) {
        i--;
      }
      return first + i;
    }

    /** The count of octaves {@code from..to}, both included. */
    long sum(int from, int to) {
      long t = 0;
      for (int e = from; e <= to; e++) {
        t += count(e);
      }
      return t;
    }

    long count(int octave) {
      int i = octave - first;
      return i < 0 || i >= counts.length ? 0 : counts[i];
    }

    private void write(DataOutputStream out) throws IOException {
      if (isEmpty()) {
        out.writeInt(0);
        return;
      }
      int lo = lowest();
      int hi = highest();
      out.writeInt(hi - lo + 1);
      out.writeInt(lo);
      for (int e = lo; e <= hi; e++) {
        out.writeLong(count(e));
      }
    }

    private void readFrom(DataInputStream in) throws IOException {
      int n = in.readInt();
      if (n == 0) {
        return;
      }
      first = in.readInt();
      counts = new long[n];
      for (int i = 0; i < n; i++) {
        counts[i] = in.readLong();
      }
    }
  }
}
