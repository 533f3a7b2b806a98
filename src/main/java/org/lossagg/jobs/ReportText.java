package org.lossagg.jobs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Text helpers of the HTML report: escaping and locale-independent number formats. */
final class ReportText {
  private static final MathContext SIGNIFICANT = new MathContext(7, RoundingMode.HALF_EVEN);

  private ReportText() {}

  /** Escapes text for HTML element content and double- or single-quoted attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A loss value with up to 7 significant digits and no trailing zeros: plain notation for
   * magnitudes in [1e-4, 1e7), otherwise {@code 1.234568e+07}. NaN and infinities as numpy prints them.
   */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal r = new BigDecimal(v).round(SIGNIFICANT).stripTrailingZeros();
    int exponent = r.precision() - r.scale() - 1;
    if (exponent >= -4 && exponent < 7) {
      return r.toPlainString();
    }
    String digits = r.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (r.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }

  /** A row count with thousands separators: {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** An SVG coordinate with two decimals. */
  static String coordinate(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
