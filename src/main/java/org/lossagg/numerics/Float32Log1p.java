package org.lossagg.numerics;

/**
 * {@code (float) Math.log1p(x)} for a float32 {@code x}, bit for bit, faster for x in [2^-60, 1]
 * (the range of {@code exp(-|logit|)} in TensorFlow's stable sigmoid cross-entropy); every other
 * x goes to Math.log1p.
 *
 * <p>Below 2^-7, log1p(x) is its series to x^6 (truncation below 2^-44 relative). From 2^-7 on,
 * 1 + x is exact in double (x has no bits below 2^-31) and {@link Float32Log}'s table gives its
 * log. Both are within 2^-42 of the true value, so, as in Float32Log, the double rounds to
 * Math.log1p's float unless it lies near a rounding midpoint; then Math.log1p decides.
 * {@code Float32Log1pTest} checks every float.
 */
public final class Float32Log1p {
  private static final float LOW = 0x1p-60f;
  private static final float SERIES_BELOW = 0x1p-7f;

  private Float32Log1p() {}

  /** {@code (float) Math.log1p(x)}. */
  public static float log1p(float x) {
    if (!(x >= LOW && x <= 1f)) {
      return (float) StrictLog1p.log1p(x);
    }
    double d = x;
    double y = x < SERIES_BELOW
        ? d + d * d * (-0.5 + d * (1.0 / 3 + d * (-0.25 + d * (0.2 + d * (-1.0 / 6)))))
        : Float32Log.logOneToTwo(1.0 + d);
    return Float32Log.nearMidpoint(y) ? (float) StrictLog1p.log1p(x) : (float) y;
  }
}
