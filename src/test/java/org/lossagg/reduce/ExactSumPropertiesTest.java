package org.lossagg.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Order independence: every split of the same terms into partial sums, merged in any order and
 * optionally serialised in between, gives the bits of the sequential sum and of the exact sum
 * correctly rounded.
 */
class ExactSumPropertiesTest {

  @Provide
  Arbitrary<List<Double>> finiteLists() {
    return Terms.finiteLists();
  }

  @Provide
  Arbitrary<List<Double>> listsWithSpecials() {
    return Terms.listsWithSpecials();
  }

  @Property(tries = 2000)
  void splitMergeIsBitIdenticalToSequentialAndExact(@ForAll("finiteLists") List<Double> terms,
      @ForAll @IntRange(min = 1, max = 9) int k, @ForAll long seed, @ForAll boolean viaBytes) {
    assertSameAsOracle(terms, k, seed, viaBytes);
  }

  @Property(tries = 500)
  void specialsFollowIeeeRulesUnderAnySplit(@ForAll("listsWithSpecials") List<Double> terms,
      @ForAll @IntRange(min = 1, max = 9) int k, @ForAll long seed, @ForAll boolean viaBytes) {
    assertSameAsOracle(terms, k, seed, viaBytes);
  }

  private static void assertSameAsOracle(List<Double> terms, int k, long seed, boolean viaBytes) {
    ExactSum seq = Terms.sequential(terms);
    ExactSum split = Terms.splitAndMerge(terms, k, seed, viaBytes);
    double expected = ExactOracle.expectedSum(terms);
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(seq.doubleValue()),
        () -> "sequential " + seq.doubleValue() + " vs exact " + expected + " for " + terms);
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(split.doubleValue()),
        () -> "split " + split.doubleValue() + " vs exact " + expected + " for " + terms);
    assertEquals(seq, split);
    assertEquals(seq.hashCode(), split.hashCode());
    assertArrayEquals(seq.toBytes(), split.toBytes());
    ExactSum back = ExactSum.fromBytes(seq.toBytes());
    assertEquals(seq, back);
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(back.doubleValue()));
  }

  /** The batch addAll (per-exponent sums first) leaves the state one add per term leaves, at any offset into a state. */
  @Property(tries = 1000)
  void addAllIsBitIdenticalToOneAddPerTerm(@ForAll("listsWithSpecials") List<Double> terms,
      @ForAll("finiteLists") List<Double> before) {
    ExactSum one = Terms.sequential(before);
    ExactSum batch = Terms.sequential(before);
    for (double t : terms) {
      one.add(t);
    }
    batch.addAll(terms.stream().mapToDouble(Double::doubleValue).toArray(), terms.size());
    assertEquals(one, batch);
    assertArrayEquals(one.toBytes(), batch.toBytes());
    assertEquals(Double.doubleToLongBits(one.doubleValue()), Double.doubleToLongBits(batch.doubleValue()));
  }

  /**
   * addProducts leaves the state one add per rounded product leaves: products that overflow to an
   * infinity, underflow to subnormals or zero, and NaN from 0 · ∞ among them.
   */
  @Property(tries = 1000)
  void addProductsIsBitIdenticalToOneAddPerProduct(@ForAll("listsWithSpecials") List<Double> x,
      @ForAll("listsWithSpecials") List<Double> y, @ForAll("finiteLists") List<Double> before) {
    int count = Math.min(x.size(), y.size());
    double[] a = x.stream().mapToDouble(Double::doubleValue).toArray();
    double[] b = y.stream().mapToDouble(Double::doubleValue).toArray();
    ExactSum one = Terms.sequential(before);
    ExactSum batch = Terms.sequential(before);
    for (int k = 0; k < count; k++) {
      one.add(a[k] * b[k]);
    }
    batch.addProducts(a, b, count);
    assertEquals(one, batch);
    assertArrayEquals(one.toBytes(), batch.toBytes());
    assertEquals(Double.doubleToLongBits(one.doubleValue()), Double.doubleToLongBits(batch.doubleValue()));
  }

  /**
   * Thousands of terms with the largest significand in one binade fill an exponent sum to its
   * bound in each chunk; the chunks (and the digits' deferred carries) keep it exact, for either
   * sign, with a subnormal and the top binade among them.
   */
  @Property(tries = 30)
  void addAllOfManyEqualExponentsStaysExact(@ForAll @IntRange(min = -1074, max = 1023) int exponent,
      @ForAll boolean negative, @ForAll @IntRange(min = 1, max = 5000) int count) {
    double big = Math.scalb(2.0 - 0x1p-52, Math.min(exponent, 1022)) * (negative ? -1 : 1);
    double[] x = new double[count + 2];
    java.util.Arrays.fill(x, 0, count, big);
    x[count] = Double.MIN_VALUE;
    x[count + 1] = -Double.MAX_VALUE;
    ExactSum one = new ExactSum();
    for (double t : x) {
      one.add(t);
    }
    ExactSum batch = new ExactSum();
    batch.addAll(x, x.length);
    assertEquals(one, batch);
    List<Double> terms = java.util.Arrays.stream(x).boxed().toList();
    assertEquals(Double.doubleToLongBits(ExactOracle.expectedSum(terms)), Double.doubleToLongBits(batch.doubleValue()));
  }

  /** Merging a copy into its original doubles the exact value (a self-merge must read before writing). */
  @Property(tries = 300)
  void mergingWithItselfDoublesTheExactSum(@ForAll("finiteLists") List<Double> terms) {
    ExactSum s = Terms.sequential(terms);
    ExactSum viaCopy = s.copy();
    viaCopy.merge(s.copy());
    s.merge(s);
    BigDecimal twice = ExactOracle.exactSum(terms).multiply(BigDecimal.valueOf(2));
    assertEquals(Double.doubleToLongBits(ExactOracle.roundHalfEven(twice)), Double.doubleToLongBits(s.doubleValue()));
    assertEquals(viaCopy, s);
  }

  /** Cross-checks the test oracle against the JDK's own conversion on the same exact sums. */
  @Property(tries = 1000)
  void oracleRoundingAgreesWithJdkBigDecimal(@ForAll("finiteLists") List<Double> terms) {
    BigDecimal exact = ExactOracle.exactSum(terms);
    assertEquals(Double.doubleToLongBits(exact.doubleValue()),
        Double.doubleToLongBits(ExactOracle.roundHalfEven(exact)), () -> "exact sum " + exact);
  }
}
