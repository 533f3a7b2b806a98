package org.lossagg.reduce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators of summation terms and the random split/merge used by the property tests. */
final class Terms {
  private Terms() {}

  private static final long FRACTION = (1L << 52) - 1;

  private static Arbitrary<Boolean> signs() {
    return Arbitraries.of(true, false);
  }

  /** ±(1.f)·2^e for e in [lo, hi]: a normal double in a chosen binade window. */
  static Arbitrary<Double> normals(int lo, int hi) {
    return Combinators.combine(Arbitraries.longs().between(0, FRACTION), Arbitraries.integers().between(lo, hi), signs())
        .as((f, e, neg) -> {
          double v = Math.scalb(1.0 + f * 0x1p-52, e);
          return neg ? -v : v;
        });
  }

  static Arbitrary<Double> subnormals() {
    return Combinators.combine(Arbitraries.longs().between(0, FRACTION), signs())
        .as((f, neg) -> neg ? -Double.longBitsToDouble(f) : Double.longBitsToDouble(f));
  }

  /** Any finite double, uniformly over bit patterns (so mostly far from 1). */
  static Arbitrary<Double> anyFinite() {
    return Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
  }

  static Arbitrary<Double> notable() {
    return Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 0.1, 1e308, -1e308, 0x1p53, -0x1p53);
  }

  static Arbitrary<Double> finiteTerm() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, normals(-60, 60)),
        Tuple.of(2, anyFinite()),
        Tuple.of(2, subnormals()),
        Tuple.of(1, normals(-1022, -1000)),
        Tuple.of(2, normals(1000, 1023)),
        Tuple.of(1, notable()));
  }

  /** base ++ −base ++ small, shuffled: the exact sum is the sum of the small terms. */
  static Arbitrary<List<Double>> cancelling() {
    return Combinators.combine(finiteTerm().list().ofMaxSize(25), normals(-80, 10).list().ofMaxSize(4),
            Arbitraries.longs())
        .as((base, small, seed) -> {
          List<Double> out = new ArrayList<>(base);
          for (double x : base) {
            out.add(-x);
          }
          out.addAll(small);
          Collections.shuffle(out, new Random(seed));
          return out;
        });
  }

  /**
   * x plus half an ulp of x in two quarters, with an optional tiny sticky term of either sign: the
   * exact sum sits on, just above or just below a rounding tie (and on the overflow tie for MAX).
   */
  static Arbitrary<List<Double>> ties() {
    Arbitrary<Double> x = Arbitraries.frequencyOf(
        Tuple.of(3, normals(-900, 900)),
        Tuple.of(1, normals(1020, 1023)),
        Tuple.of(1, Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, 0x1p53, 1.0, -1.0)));
    return Combinators.combine(x, Arbitraries.integers().between(-1, 1), Arbitraries.longs())
        .as((v, sticky, seed) -> {
          double quarter = Math.copySign(Math.ulp(v) / 4, v);
          List<Double> out = new ArrayList<>(List.of(v, quarter, quarter));
          if (sticky != 0) {
            out.add(sticky * Double.MIN_VALUE);
          }
          Collections.shuffle(out, new Random(seed));
          return out;
        });
  }

  /** A mix of term lists: general, single-class (to keep small classes from vanishing), cancelling, ties. */
  static Arbitrary<List<Double>> finiteLists() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, finiteTerm().list().ofMaxSize(60)),
        Tuple.of(2, normals(-30, 30).list().ofMaxSize(60)),
        Tuple.of(1, subnormals().list().ofMaxSize(40)),
        Tuple.of(2, normals(1015, 1023).list().ofMaxSize(20)),
        Tuple.of(3, cancelling()),
        Tuple.of(2, ties()));
  }

  /** Finite lists with an occasional NaN or infinity. */
  static Arbitrary<List<Double>> listsWithSpecials() {
    Arbitrary<Double> term = Arbitraries.frequencyOf(
        Tuple.of(40, finiteTerm()),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    return term.list().ofMaxSize(40);
  }

  /**
   * Adds the terms, shuffled, to k partial sums (some may stay empty), optionally passes each
   * partial through toBytes/fromBytes, and merges them pairwise in a random tree.
   */
  static ExactSum splitAndMerge(List<Double> terms, int k, long seed, boolean viaBytes) {
    Random r = new Random(seed);
    List<Double> shuffled = new ArrayList<>(terms);
    Collections.shuffle(shuffled, r);
    List<ExactSum> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      parts.add(new ExactSum());
    }
    for (double x : shuffled) {
      parts.get(r.nextInt(k)).add(x);
    }
    if (viaBytes) {
      parts.replaceAll(p -> ExactSum.fromBytes(p.toBytes()));
    }
    while (parts.size() > 1) {
      int i = r.nextInt(parts.size());
      int j = r.nextInt(parts.size() - 1);
      if (j >= i) {
        j++;
      }
      parts.get(i).merge(parts.get(j));
      parts.remove(j);
    }
    return parts.get(0);
  }

  static ExactSum sequential(List<Double> terms) {
    ExactSum s = new ExactSum();
    for (double x : terms) {
      s.add(x);
    }
    return s;
  }
}
