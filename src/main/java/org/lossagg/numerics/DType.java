package org.lossagg.numerics;

import java.util.Locale;

/**
 * The floating-point type a loss computes in. Keras' default is {@code float32}: inputs, constants and
 * results are float32 values. Values are carried as Java doubles and rounded with {@link #round}.
 */
public enum DType {
  FLOAT32("float32"),
  FLOAT64("float64");

  private final String kerasName;

  DType(String kerasName) {
    this.kerasName = kerasName;
  }

  /** The Keras / NumPy name, e.g. {@code "float32"}. */
  public String kerasName() {
    return kerasName;
  }

  /** Rounds a double to the nearest value of this type (identity for float64). */
  public double round(double x) {
    return this == FLOAT32 ? (double) (float) x : x;
  }

  /** Parses {@code "float32"} or {@code "float64"}; anything else is rejected with the allowed values. */
  public static DType parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.equals("float32")) {
        return FLOAT32;
      }
      if (n.equals("float64")) {
        return FLOAT64;
      }
    }
    throw new IllegalArgumentException(
        "dtype: unsupported value '" + name + "'; lossagg computes in 'float32' (the Keras default) or 'float64'");
  }
}
