package org.lossagg.spark;

import java.util.Arrays;
import org.lossagg.losses.RowKernel;

/**
 * The float32 rows of one {@code keras_loss} for all groups of a grouped fused aggregation
 * ({@link FusedKerasLossExec}), in one batch of {@link RowIntake#BATCH} rows with each row's group:
 * the kernel computes the whole batch at once, then each group's values enter its state
 * ({@link RowIntake#addComputedRows}). Each group's state ends as its own {@link RowIntake} batches
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
  /** The batch's values (and weights) ordered by group: each group's rows in one run. */
  private final float[] runValues = new float[RowIntake.BATCH];
  private final float[] runWeights;
  /** Per group: its rows in the batch being added, then the end of its run. */
  private final int[] runLength;
  private final int[] runEnd;
  /** The groups with rows in the batch being added, in order of their first row. */
  private final int[] batchGroups = new int[RowIntake.BATCH];
  /** Each group's intake of this aggregate, looked up on the group's first row since the last flush. */
  private final RowIntake[] intakes;

  GroupedRowBatch(FusedGroups groups, int aggregate, RowKernel kernel, boolean weighted, int maxGroups) {
    if (!kernel.batchesFloat32Rows()) {
      throw new IllegalArgumentException("a grouped row batch needs a loss whose kernel batches float32 rows");
    }
    this.groups = groups;
    this.aggregate = aggregate;
    this.kernel = kernel;
    this.weight = weighted ? new float[RowIntake.BATCH] : null;
    this.runWeights = weighted ? new float[RowIntake.BATCH] : null;
    this.runLength = new int[maxGroups];
    this.runEnd = new int[maxGroups];
    this.intakes = new RowIntake[maxGroups];
  }

  /**
   * Hands the {@link #count} waiting rows to their groups' states: the kernel computes all values,
   * a counting sort puts each group's rows (in row order) into one run, and each run enters its
   * state in tight loops ({@link RowIntake#addComputedRows}). Public for generated code.
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
    int[] length = runLength;
    int[] end = runEnd;
    int n = 0;
    for (int i = 0; i < c; i++) {
      if (length[g[i]]++ == 0) {
        batchGroups[n++] = g[i];
      }
    }
    int at = 0;
    for (int j = 0; j < n; j++) {
      at += length[batchGroups[j]];
      end[batchGroups[j]] = at;
    }
    // Filled from the back, so each run keeps its rows' order and its end becomes its start.
    float[] rv = runValues;
    float[] rw = runWeights;
    for (int i = c - 1; i >= 0; i--) {
      int p = --end[g[i]];
      rv[p] = v[i];
      if (w != null) {
        rw[p] = w[i];
      }
    }
    for (int j = 0; j < n; j++) {
      int k = batchGroups[j];
      RowIntake target = intakes[k];
      if (target == null) {
        target = intake(k);
      }
      target.addComputedRows(rv, rw, end[k], length[k]);
      length[k] = 0;
    }
  }

  private RowIntake intake(int g) {
    RowIntake in = ((KerasLossAggregate.State) groups.states(g)[aggregate]).intake();
    intakes[g] = in;
    return in;
  }

  /** Hands the waiting rows to their states and forgets the groups (their indices are about to be reused). */
  void flush() {
    addBatch();
    Arrays.fill(intakes, null);
  }
}
