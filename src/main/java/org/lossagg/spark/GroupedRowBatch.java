package org.lossagg.spark;

import java.util.Arrays;
import org.lossagg.losses.RowKernel;
import org.lossagg.reduce.Float32Sum;

/**
 * The float32 rows of one {@code keras_loss} for all groups of a grouped fused aggregation
 * ({@link FusedKerasLossExec}), in one batch of {@link RowIntake#BATCH} rows with each row's group:
 * the kernel computes the whole batch at once, then each row's value enters its own group's
 * pending sum. Each group's state ends as its own {@link RowIntake} batches
 * would leave it (the sums are exact), but the rows are written one after another into three
 * arrays, as without grouping, instead of into one batch per group (with 16 groups taking turns row
 * by row, 16 sets of batch arrays and states competed for the cache), and the per-row code reads no
 * state. {@link FusedGroups} {@link #flush}es the batch before its groups move to the output.
 *
 * <p>Generated code fills {@link #group}, {@link #yTrue}, {@link #yPred}, {@link #weight} at
 * {@link #count} and calls {@link #addBatch} when the batch is full. Public for generated code.
 */
public final class GroupedRowBatch {
  public final int[] group = new int[RowIntake.BATCH];
  public final float[] yTrue = new float[RowIntake.BATCH];
  public final float[] yPred = new float[RowIntake.BATCH];
  /** Null for an unweighted aggregate. */
  public final float[] weight;
  /** Rows waiting in the batch. */
  public int count;

  private final FusedGroups groups;
  /** The aggregate's position among the fused aggregates (its state in each group's states). */
  private final int aggregate;
  private final RowKernel kernel;
  private final float[] values = new float[RowIntake.BATCH];
  /** Per group seen since the last flush: its state's pending sums (see PerSampleAggregation#float32ValueSum). */
  private final Float32Sum[] valueSums;
  private final Float32Sum[] weightSums;
  private final RowIntake[] intakes;
  /** Per group: its rows in the batch being added. */
  private final int[] batchRows;
  /** The groups with rows in the batch being added. */
  private final int[] batchGroups = new int[RowIntake.BATCH];

  GroupedRowBatch(FusedGroups groups, int aggregate, RowKernel kernel, boolean weighted, int maxGroups) {
    if (!kernel.batchesFloat32Rows()) {
      throw new IllegalArgumentException("a grouped row batch needs a loss whose kernel batches float32 rows");
    }
    this.groups = groups;
    this.aggregate = aggregate;
    this.kernel = kernel;
    this.weight = weighted ? new float[RowIntake.BATCH] : null;
    this.valueSums = new Float32Sum[maxGroups];
    this.weightSums = new Float32Sum[maxGroups];
    this.intakes = new RowIntake[maxGroups];
    this.batchRows = new int[maxGroups];
  }

  /**
   * Hands the {@link #count} waiting rows to their groups' states: the kernel computes all values,
   * each group reserves its rows' count in its pending sums once, each value (and weight) goes
   * straight into its group's sum, then each group counts its rows. Public for generated code.
   */
  public void addBatch() {
    int c = count;
    if (c == 0) {
      return;
    }
    count = 0;
    float[] v = values;
    float[] w = weight;
    kernel.weightedFloat32Values(yTrue, yPred, w, c, v);
    int[] g = group;
    int[] rows = batchRows;
    Float32Sum[] vs = valueSums;
    Float32Sum[] ws = weightSums;
    int n = 0;
    for (int i = 0; i < c; i++) {
      int k = g[i];
      if (rows[k]++ == 0) {
        batchGroups[n++] = k;
      }
    }
    for (int j = 0; j < n; j++) {
      int k = batchGroups[j];
      if (vs[k] == null) {
        open(k);
      }
      vs[k].reserve(rows[k]);
      if (w != null) {
        ws[k].reserve(rows[k]);
      }
    }
    for (int i = 0; i < c; i++) {
      int k = g[i];
      vs[k].addReserved(v[i]);
      if (w != null) {
        ws[k].addReserved(w[i]);
      }
    }
    for (int j = 0; j < n; j++) {
      int k = batchGroups[j];
      intakes[k].countComputedRows(rows[k]);
      rows[k] = 0;
    }
  }

  private void open(int g) {
    RowIntake in = ((KerasLossAggregate.State) groups.states(g)[aggregate]).intake();
    intakes[g] = in;
    valueSums[g] = in.float32ValueSum();
    weightSums[g] = in.float32WeightSum();
  }

  /** Hands the waiting rows to their states and forgets the groups (their indices are about to be reused). */
  void flush() {
    addBatch();
    Arrays.fill(intakes, null);
    Arrays.fill(valueSums, null);
    Arrays.fill(weightSums, null);
  }
}
