package org.lossagg.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.CategoricalCrossentropy;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.losses.PerSampleAggregation;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loss kernels through lossagg's public core API, in nanoseconds per row: the per-row functional
 * form Spark's per-row SQL functions use, the class form on a batch, a mergeable aggregation fed
 * batches or single rows (as the fused Spark plan feeds it), and CategoricalCrossentropy over 1,000
 * classes in the class form and as float rows (as Spark's array rows feed it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelBenchmarks {
  static final int ROWS = 1024;
  static final int CCE_ROWS = 16;
  static final int CLASSES = 1000;

  private final BinaryCrossentropy bce = BinaryCrossentropy.builder().build();
  private final Loss cceLogits = CategoricalCrossentropy.builder().fromLogits(true).build();
  private double[] labels;
  private double[] probs;
  private NdArray yTrue;
  private NdArray yPred;
  private NdArray weights;
  private NdArray cceTrue;
  private NdArray cceLogitsIn;
  private float[][] cceTrueRows;
  private float[][] cceLogitRows;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    labels = new double[ROWS];
    probs = new double[ROWS];
    double[] w = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      labels[i] = r.nextDouble() < 0.3 ? 1 : 0;
      probs[i] = 1 / (1 + Math.exp(-(2 * labels[i] - 1) * 1.5 - 1.5 * r.nextGaussian()));
      w[i] = 2 * r.nextDouble();
    }
    yTrue = NdArray.of(labels.clone(), ROWS, 1);
    yPred = NdArray.of(probs.clone(), ROWS, 1);
    weights = NdArray.of(w, ROWS);
    double[] t = new double[CCE_ROWS * CLASSES];
    double[] z = new double[CCE_ROWS * CLASSES];
    for (int i = 0; i < CCE_ROWS; i++) {
      int cls = r.nextInt(CLASSES);
      t[i * CLASSES + cls] = 1;
      for (int j = 0; j < CLASSES; j++) {
        z[i * CLASSES + j] = 4 * r.nextDouble() - 2 + (j == cls ? 3 : 0);
      }
    }
    cceTrueRows = new float[CCE_ROWS][CLASSES];
    cceLogitRows = new float[CCE_ROWS][CLASSES];
    for (int i = 0; i < CCE_ROWS; i++) {
      for (int j = 0; j < CLASSES; j++) {
        cceTrueRows[i][j] = (float) t[i * CLASSES + j];
        cceLogitRows[i][j] = (float) z[i * CLASSES + j];
      }
    }
    cceTrue = NdArray.of(t, CCE_ROWS, CLASSES);
    cceLogitsIn = NdArray.of(z, CCE_ROWS, CLASSES);
  }

  /** loss_binary_crossentropy's path: one scalar row at a time through {@code functionOnRow}. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double bcePerRowFunction() {
    double s = 0;
    for (int i = 0; i < ROWS; i++) {
      s += bce.functionOnRow(NdArray.scalar(labels[i]), NdArray.scalar(probs[i]), DType.FLOAT32).values().item();
    }
    return s;
  }

  /** The class form on a batch of 1,024 rows with sample weights (sum_over_batch_size). */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double bceClassFormWeightedBatch() {
    return bce.call(yTrue, yPred, weights).item();
  }

  /** A mergeable aggregation fed one batch of 1,024 weighted rows, then read. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double bceAggregationWeightedBatch() {
    LossAggregation agg = bce.newAggregation();
    agg.add(yTrue, yPred, weights, null);
    return agg.result();
  }

  /** A mergeable aggregation fed the same 1,024 rows one row at a time (how a row-wise aggregate feeds it). */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double bceAggregationWeightedRowByRow() {
    LossAggregation agg = bce.newAggregation();
    for (int i = 0; i < ROWS; i++) {
      agg.add(yTrue.rows(i, i + 1), yPred.rows(i, i + 1), weights.rows(i, i + 1), null);
    }
    return agg.result();
  }

  /** CategoricalCrossentropy from logits over 1,000 classes, class form, per row of 1,000 values. */
  @Benchmark
  @OperationsPerInvocation(CCE_ROWS)
  public double cce1000ClassFormBatch() {
    return cceLogits.call(cceTrue, cceLogitsIn).item();
  }

  /** The fused plan's entry: 1,024 weighted rows of single numbers as two float32 batches of 512, then read. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double bceAggregationWeightedScalarRows() {
    PerSampleAggregation agg = bce.rowKernel().orElseThrow().newAggregation();
    float[] t = new float[512];
    float[] p = new float[512];
    float[] w = new float[512];
    double[] wd = weights.data();
    for (int start = 0; start < ROWS; start += 512) {
      for (int i = 0; i < 512; i++) {
        t[i] = (float) labels[start + i];
        p[i] = (float) probs[start + i];
        w[i] = (float) wd[start + i];
      }
      agg.addFloat32Batch(t, p, w, 512);
    }
    return agg.result();
  }

  /** Spark's array-row entry: rows of 1,000 float logits through {@code addVectorRow}, then read. */
  @Benchmark
  @OperationsPerInvocation(CCE_ROWS)
  public double cce1000AggregationVectorRows() {
    PerSampleAggregation agg = cceLogits.rowKernel().orElseThrow().newAggregation();
    for (int i = 0; i < CCE_ROWS; i++) {
      agg.addVectorRow(cceTrueRows[i], cceLogitRows[i], CLASSES, false, 1.0);
    }
    return agg.result();
  }
}
