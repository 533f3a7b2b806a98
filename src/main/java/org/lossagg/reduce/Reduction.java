package org.lossagg.reduce;

import java.util.Locale;

/**
 * Keras' loss reductions. {@code AUTO} is tf.keras 2.x's default and means sum_over_batch_size; it
 * is accepted so that Keras 2 configs load, and written back as given.
 */
public enum Reduction {
  /** No reduction: the weighted per-sample values. */
  NONE("none"),
  /** Σ w·v. */
  SUM("sum"),
  /** Σ w·v / (element count − masked count); Keras' default. */
  SUM_OVER_BATCH_SIZE("sum_over_batch_size"),
  /** tf.keras 2.x name for {@link #SUM_OVER_BATCH_SIZE}. */
  AUTO("auto"),
  /** Same divisor as {@link #SUM_OVER_BATCH_SIZE} (Keras 3). */
  MEAN("mean"),
  /** Σ w·v / Σ w when weights or a mask exist, else / element count (Keras 3). */
  MEAN_WITH_SAMPLE_WEIGHT("mean_with_sample_weight");

  private final String kerasName;

  Reduction(String kerasName) {
    this.kerasName = kerasName;
  }

  public String kerasName() {
    return kerasName;
  }

  /** Whether the result divides the weighted sum by the count of valid elements. */
  public boolean dividesByElementCount() {
    return this == SUM_OVER_BATCH_SIZE || this == AUTO || this == MEAN;
  }

  /**
   * Parses a Keras reduction name; {@code null} (Python None) means {@link #NONE}, as in Keras 3.
   */
  public static Reduction parse(String name) {
    if (name == null) {
      return NONE;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Reduction r : values()) {
      if (r.kerasName.equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException("reduction: unknown value '" + name
        + "'; allowed: none, sum, sum_over_batch_size (alias auto), mean, mean_with_sample_weight");
  }
}
