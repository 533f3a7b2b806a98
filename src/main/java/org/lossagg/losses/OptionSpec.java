package org.lossagg.losses;

import java.util.Arrays;
import java.util.List;

/**
 * One constructor option of a loss: its Keras name, kind, default and, for floats, the allowed range.
 * {@link #coerce} turns a user or JSON value into the canonical Java value, or says what was wrong.
 */
public record OptionSpec(String name, OptionType type, Object defaultValue, String description,
    double min, boolean minInclusive, double max, boolean maxInclusive) {

  public static OptionSpec of(String name, OptionType type, Object defaultValue, String description) {
    return new OptionSpec(name, type, defaultValue, description,
        Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);
  }

  /** A float option restricted to a range; bounds are inclusive when the flag says so. */
  public static OptionSpec ranged(String name, double defaultValue, String description,
      double min, boolean minInclusive, double max, boolean maxInclusive) {
    return new OptionSpec(name, OptionType.FLOAT, defaultValue, description, min, minInclusive, max, maxInclusive);
  }

  /** Canonical value of {@code value} for this option; {@code loss} names the loss in errors. */
  public Object coerce(String loss, Object value) {
    switch (type) {
      case BOOLEAN:
        if (value instanceof Boolean) {
          return value;
        }
        throw bad(loss, value, "true or false");
      case FLOAT: {
        double d = toDouble(loss, value, allowed());
        checkRange(loss, d);
        return d;
      }
      case INT:
        return toInt(loss, value);
      case OPTIONAL_INT:
        return value == null ? null : toInt(loss, value);
      case AXES:
        if (value == null || value instanceof Integer) {
          return value == null ? null : toInt(loss, value);
        }
        if (value instanceof Number) {
          return toInt(loss, value);
        }
        if (value instanceof int[]) {
          return ((int[]) value).clone();
        }
        if (value instanceof List<?>) {
          List<?> l = (List<?>) value;
          int[] axes = new int[l.size()];
          for (int i = 0; i < axes.length; i++) {
            axes[i] = toInt(loss, l.get(i));
          }
          return axes;
        }
        throw bad(loss, value, allowed());
      case FLOAT_OR_LIST:
        if (value instanceof double[]) {
          double[] a = ((double[]) value).clone();
          for (double d : a) {
            checkRange(loss, d);
          }
          return a;
        }
        if (value instanceof List<?>) {
          List<?> l = (List<?>) value;
          double[] a = new double[l.size()];
          for (int i = 0; i < a.length; i++) {
            a[i] = toDouble(loss, l.get(i), allowed());
            checkRange(loss, a[i]);
          }
          return a;
        }
        double d = toDouble(loss, value, allowed());
        checkRange(loss, d);
        return d;
      default:
        throw new AssertionError(type);
    }
  }

  /** Human-readable allowed values, for docs and errors. */
  public String allowed() {
    switch (type) {
      case BOOLEAN:
        return "true or false";
      case INT:
        return "an integer axis";
      case OPTIONAL_INT:
        return "an integer or null";
      case AXES:
        return "null (all axes), an integer axis or a list of integer axes";
      case FLOAT_OR_LIST:
        return "a number or a list of per-class numbers" + rangeText();
      default:
        return "a number" + rangeText();
    }
  }

  /** The allowed range of a float option, e.g. {@code "> 0"} or {@code "in [0, 1]"}; "" when unbounded. */
  public String range() {
    return rangeText().strip();
  }

  private String rangeText() {
    boolean lo = min != Double.NEGATIVE_INFINITY;
    boolean hi = max != Double.POSITIVE_INFINITY;
    if (lo && hi) {
      return " in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
    }
    if (lo) {
      return (minInclusive ? " >= " : " > ") + fmt(min);
    }
    if (hi) {
      return (maxInclusive ? " <= " : " < ") + fmt(max);
    }
    return "";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private void checkRange(String loss, double d) {
    boolean ok = !Double.isNaN(d)
        && (minInclusive ? d >= min : d > min)
        && (maxInclusive ? d <= max : d < max);
    if (!ok) {
      throw bad(loss, d, allowed());
    }
  }

  private double toDouble(String loss, Object value, String expected) {
    if (value instanceof Number && !(value instanceof Boolean)) {
      return ((Number) value).doubleValue();
    }
    throw bad(loss, value, expected);
  }

  private int toInt(String loss, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      long l = ((Number) value).longValue();
      if (l == (int) l) {
        return (int) l;
      }
    }
    if (value instanceof Number && !(value instanceof Boolean)) {
      double d = ((Number) value).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw bad(loss, value, allowed());
  }

  private IllegalArgumentException bad(String loss, Object value, String expected) {
    String shown = value instanceof double[] ? Arrays.toString((double[]) value)
        : value instanceof int[] ? Arrays.toString((int[]) value)
        : value instanceof String ? "'" + value + "'" : String.valueOf(value);
    return new IllegalArgumentException(loss + ": option '" + name + "' got " + shown + "; expected " + expected);
  }
}
