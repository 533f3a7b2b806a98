package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * A LossAccumulator fed a stream of events, split into partial states, serialised or not, and merged
 * in a random order, gives bit-identical results for every reduction, the same counts and weight
 * sum, and the values an exact BigDecimal computation predicts.
 */
class LossAccumulatorPropertiesTest {

  enum Kind { VALUE, MASKED, WEIGHT, MARK }

  record Event(Kind kind, double x) {
    void applyTo(LossAccumulator acc) {
      switch (kind) {
        case VALUE -> acc.addValue(x);
        case MASKED -> acc.addMasked();
        case WEIGHT -> acc.addWeight(x);
        case MARK -> acc.markWeighted();
        default -> throw new IllegalStateException(kind.toString());
      }
    }
  }

  @Provide
  Arbitrary<List<Event>> events() {
    Arbitrary<Double> values = Arbitraries.frequencyOf(
        Tuple.of(60, Terms.finiteTerm()),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    Arbitrary<Double> weights = Arbitraries.frequencyOf(
        Tuple.of(4, Terms.normals(-10, 10)),
        Tuple.of(2, Arbitraries.of(0.0, 1.0, -1.0)),
        Tuple.of(1, Terms.finiteTerm()));
    Arbitrary<Event> event = Arbitraries.frequencyOf(
        Tuple.of(8, values.map(v -> new Event(Kind.VALUE, v))),
        Tuple.of(2, Arbitraries.just(new Event(Kind.MASKED, 0.0))),
        Tuple.of(4, weights.map(w -> new Event(Kind.WEIGHT, w))),
        Tuple.of(1, Arbitraries.just(new Event(Kind.MARK, 0.0))));
    return Arbitraries.frequencyOf(
        Tuple.of(3, event.list().ofMaxSize(50)),
        // Value-only streams: mean_with_sample_weight divides by the element count.
        Tuple.of(1, event.filter(e -> e.kind() == Kind.VALUE || e.kind() == Kind.MASKED).list().ofMaxSize(50)));
  }

  @Property(tries = 1000)
  void splitMergeGivesIdenticalResults(@ForAll("events") List<Event> events,
      @ForAll @IntRange(min = 1, max = 8) int k, @ForAll long seed, @ForAll boolean viaBytes) {
    LossAccumulator seq = new LossAccumulator();
    for (Event e : events) {
      e.applyTo(seq);
    }
    LossAccumulator split = splitAndMerge(events, k, seed, viaBytes);

    assertEquals(seq, split);
    assertEquals(seq.hashCode(), split.hashCode());
    assertEquals(seq, LossAccumulator.fromBytes(split.toBytes()));
    assertSameState(seq, split);
    assertMatchesOracle(events, split);
  }

  /** addValues / addWeightedValues in batches of any size give the state of one addValue / addWeightedValue per element. */
  @Property(tries = 300)
  void batchesGiveTheStateOfOneElementAtATime(@ForAll("events") List<Event> events, @ForAll boolean weighted,
      @ForAll @IntRange(min = 1, max = 9) int batch) {
    List<Double> values = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (Event e : events) {
      if (e.kind() == Kind.VALUE) {
        values.add(e.x());
        weights.add(weights.size() % 3 == 0 ? 0.5 + values.size() : -values.size() * 0.25);
      }
    }
    LossAccumulator one = new LossAccumulator();
    for (int i = 0; i < values.size(); i++) {
      if (weighted) {
        one.addWeightedValue(values.get(i), weights.get(i));
      } else {
        one.addValue(values.get(i));
      }
    }
    LossAccumulator batched = new LossAccumulator();
    double[] v = new double[batch + 2];
    double[] w = new double[batch + 2];
    for (int from = 0; from < values.size(); from += batch) {
      int n = Math.min(batch, values.size() - from);
      for (int i = 0; i < n; i++) {
        v[i] = values.get(from + i);
        w[i] = weights.get(from + i);
      }
      v[n] = 1e300; // past count: must be ignored
      w[n] = 1e300;
      if (weighted) {
        batched.addWeightedValues(v, w, n);
      } else {
        batched.addValues(v, n);
      }
    }
    assertEquals(one, batched);
    assertSameState(one, batched);
  }

  private static LossAccumulator splitAndMerge(List<Event> events, int k, long seed, boolean viaBytes) {
    Random r = new Random(seed);
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, r);
    List<LossAccumulator> parts = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      parts.add(new LossAccumulator());
    }
    for (Event e : shuffled) {
      e.applyTo(parts.get(r.nextInt(k)));
    }
    if (viaBytes) {
      parts.replaceAll(p -> LossAccumulator.fromBytes(p.toBytes()));
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

  private static void assertSameState(LossAccumulator a, LossAccumulator b) {
    assertEquals(a.elementCount(), b.elementCount());
    assertEquals(a.maskedCount(), b.maskedCount());
    assertEquals(a.validCount(), b.validCount());
    assertEquals(a.weighted(), b.weighted());
    assertBits(a.weightedSum(), b.weightedSum(), "weightedSum");
    assertBits(a.weightSum(), b.weightSum(), "weightSum");
    for (Reduction red : Reduction.values()) {
      if (red == Reduction.NONE) {
        assertThrows(IllegalArgumentException.class, () -> b.result(red));
      } else {
        assertBits(a.result(red), b.result(red), red.kerasName());
      }
    }
  }

  private static void assertMatchesOracle(List<Event> events, LossAccumulator acc) {
    List<Double> values = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    long masked = 0;
    boolean weighted = false;
    for (Event e : events) {
      switch (e.kind()) {
        case VALUE -> values.add(e.x());
        case MASKED -> masked++;
        case WEIGHT -> {
          weights.add(e.x());
          weighted = true;
        }
        case MARK -> weighted = true;
        default -> throw new IllegalStateException();
      }
    }
    double sum = ExactOracle.expectedSum(values);
    double wsum = ExactOracle.expectedSum(weights);
    long elements = values.size() + masked;
    assertEquals(elements, acc.elementCount());
    assertEquals(masked, acc.maskedCount());
    assertEquals(weighted, acc.weighted());
    assertBits(sum, acc.weightedSum(), "weightedSum");
    assertBits(wsum, acc.weightSum(), "weightSum");
    assertBits(sum, acc.result(Reduction.SUM), "sum");
    double mean = values.isEmpty() ? 0.0 : sum / values.size();
    assertBits(mean, acc.result(Reduction.SUM_OVER_BATCH_SIZE), "sum_over_batch_size");
    assertBits(mean, acc.result(Reduction.MEAN), "mean");
    assertBits(mean, acc.result(Reduction.AUTO), "auto");
    double divisor = weighted ? wsum : values.size();
    assertBits(divisor == 0.0 ? 0.0 : sum / divisor, acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT),
        "mean_with_sample_weight");
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
        () -> what + ": expected " + expected + " got " + actual);
  }
}
