package org.lossagg.losses;

/** The value kinds of loss constructor options, with their Java representation. */
public enum OptionType {
  /** {@link Boolean}. */
  BOOLEAN,
  /** {@link Double}. */
  FLOAT,
  /** {@link Integer}; a Python bool is rejected (Keras raises for {@code axis=True}). */
  INT,
  /** {@link Integer} or null (e.g. {@code ignore_class}). */
  OPTIONAL_INT,
  /** null (all axes), an {@link Integer}, or an {@code int[]} (Dice/Tversky {@code axis}). */
  AXES,
  /** A {@link Double}, or a {@code double[]} of per-class values (CategoricalFocalCrossentropy {@code alpha}). */
  FLOAT_OR_LIST
}
