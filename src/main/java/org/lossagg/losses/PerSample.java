package org.lossagg.losses;

import org.lossagg.numerics.NdArray;

/**
 * What a loss function returns before weighting and reduction: the per-sample values and, for
 * losses that produce one (SparseCategoricalCrossentropy with ignore_class, Circle), a 0/1 output
 * mask of the same shape.
 */
public record PerSample(NdArray values, NdArray mask) {
  public static PerSample of(NdArray values) {
    return new PerSample(values, null);
  }
}
