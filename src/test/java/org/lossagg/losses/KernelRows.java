package org.lossagg.losses;

/**
 * Feeds scalar rows to a loss' kernel state as Spark's row intake does: float32 rows collected in
 * float batches of {@code batch} rows (a change between weighted and unweighted rows starts a new
 * batch), other rows one at a time. {@link #state()} hands the waiting batch over first.
 */
final class KernelRows {
  private final RowKernel kernel;
  private final PerSampleAggregation state;
  private final float[] t;
  private final float[] p;
  private final float[] w;
  private int count;
  private boolean weighted;

  KernelRows(Loss loss, int batch) {
    this.kernel = loss.rowKernel().orElseThrow();
    this.state = kernel.newAggregation();
    this.t = new float[batch];
    this.p = new float[batch];
    this.w = new float[batch];
  }

  void add(double yTrue, double yPred, boolean isWeighted, double weight) {
    if (!kernel.batchesFloat32Rows()) {
      state.addScalarRow(yTrue, yPred, isWeighted, weight);
      return;
    }
    if (count > 0 && isWeighted != weighted) {
      drain();
    }
    weighted = isWeighted;
    t[count] = (float) yTrue;
    p[count] = (float) yPred;
    w[count] = (float) weight;
    if (++count == t.length) {
      drain();
    }
  }

  private void drain() {
    state.addFloat32Batch(t, p, weighted ? w : null, count);
    count = 0;
  }

  PerSampleAggregation state() {
    if (count > 0) {
      drain();
    }
    return state;
  }
}
