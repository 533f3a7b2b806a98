package org.lossagg.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lossagg.reduce.ExactSum;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.Reduction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The exact reduction state: ExactSum additions, a LossAccumulator fed one weighted loss per row,
 * partial-state merges, and the byte round trip Spark's aggregation buffers make.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReductionBenchmarks {
  static final int TERMS = 1024;

  private double[] losses;
  private double[] weights;
  private LossAccumulator partialA;
  private LossAccumulator partialB;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    losses = new double[TERMS];
    weights = new double[TERMS];
    for (int i = 0; i < TERMS; i++) {
      losses[i] = -Math.log(r.nextDouble());
      weights[i] = 2 * r.nextDouble();
    }
    partialA = filled(r);
    partialB = filled(r);
  }

  private LossAccumulator filled(SplittableRandom r) {
    LossAccumulator a = new LossAccumulator();
    for (int i = 0; i < 100_000; i++) {
      double w = 2 * r.nextDouble();
      a.addValue(w * -Math.log(r.nextDouble()));
      a.addWeight(w);
    }
    return a;
  }

  /** ExactSum.add per term (carries deferred, normalised every 1,024 adds). */
  @Benchmark
  @OperationsPerInvocation(TERMS)
  public double exactSumAdd() {
    ExactSum s = new ExactSum();
    for (double x : losses) {
      s.add(x);
    }
    return s.doubleValue();
  }

  /** The per-row work of a weighted reduction: addValue(w·loss) and addWeight(w). */
  @Benchmark
  @OperationsPerInvocation(TERMS)
  public double lossAccumulatorAddWeighted() {
    LossAccumulator a = new LossAccumulator();
    for (int i = 0; i < TERMS; i++) {
      a.addValue(weights[i] * losses[i]);
      a.addWeight(weights[i]);
    }
    return a.result(Reduction.SUM_OVER_BATCH_SIZE);
  }

  /** Copying one partial state and merging another into it (a final aggregation's per-partition work). */
  @Benchmark
  public LossAccumulator lossAccumulatorCopyAndMerge() {
    LossAccumulator a = partialA.copy();
    a.merge(partialB);
    return a;
  }

  /** Serialising and restoring a partial state (Spark's aggregation buffer between stages). */
  @Benchmark
  public LossAccumulator lossAccumulatorBytesRoundTrip() {
    return LossAccumulator.fromBytes(partialA.toBytes());
  }
}
