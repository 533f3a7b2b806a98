package org.lossagg.losses;

import org.lossagg.reduce.Reduction;

import org.lossagg.numerics.NdArray;

/**
 * The mergeable reduction state of one loss over a table: add chunks of rows (batch axis first; a
 * single row is a batch of one), merge partial states from other partitions in any order, and read
 * the value Keras gives for the whole table as one batch.
 *
 * <p>Row-wise sample weights are one value per row (a per-sample weight, Keras' (B,1) form) or one
 * per element of the row's per-sample output.
 *
 * <p>A state travels between machines as {@link #toBytes()} and comes back through
 * {@link Loss#aggregationFromBytes(byte[])} of the same loss: the restored state merges and reduces
 * bit for bit like the original.
 */
public interface LossAggregation {
  /** Adds a chunk: y_true, y_pred, sample weights (null for none) and a Keras 0/1 mask (null for none). */
  void add(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask);

  /** Folds another state of the same loss into this one. */
  void merge(LossAggregation other);

  /** The reduced value in the loss dtype, per the loss' reduction (which must not be none). */
  double result();

  /**
   * The value the same loss configured with {@code reduction} (not none) would give on the same
   * rows: every reduction comes from one state, so a job can report all of them in one pass.
   */
  double result(Reduction reduction);

  /**
   * A compact encoding of this state (without the loss, which the reader supplies to
   * {@link Loss#aggregationFromBytes(byte[])}); the restored state merges and reduces exactly like
   * this one.
   */
  byte[] toBytes();
}
