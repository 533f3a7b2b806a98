package org.lossagg.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps} does with its defaults, so that lossagg's output
 * can be compared byte for byte with what Keras writes: {@code ", "} and {@code ": "} separators,
 * floats as {@code repr(float)} ({@code 0.0}, {@code 1e-07}, {@code 1e+16}), non-finite floats as
 * {@code NaN}/{@code Infinity}, and every character outside printable ASCII escaped
 * ({@code ensure_ascii=True}).
 */
final class PythonJson {
  private PythonJson() {}

  /**
   * Python's {@code json.dumps(value)} for maps (in iteration order), lists, {@code int[]},
   * {@code double[]}, strings, booleans, integers, floating-point numbers and null.
   */
  static String dumps(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      writeString(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(floatRepr(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal) {
      sb.append(floatRepr(((BigDecimal) v).doubleValue()));
    } else if (v instanceof Number) {
      // Integer, Long, Short, Byte, BigInteger: Python ints print their digits.
      sb.append(v);
    } else if (v instanceof Map<?, ?>) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
        }
        sb.append(first ? "" : ", ");
        first = false;
        writeString(sb, (String) e.getKey());
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?>) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        sb.append(first ? "" : ", ");
        first = false;
        write(sb, o);
      }
      sb.append(']');
    } else if (v instanceof int[]) {
      int[] a = (int[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(a[i]);
      }
      sb.append(']');
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(floatRepr(a[i]));
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON: " + v);
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          // Python escapes everything outside ' '..'~' (so also DEL and all non-ASCII, per UTF-16 unit).
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /**
   * Python's {@code repr(float)} as {@code json.dumps} prints it: the shortest decimal that reads back
   * as the same double, in positional notation when its decimal exponent is in [-5, 16) (e.g.
   * {@code 0.0001}, {@code 1000000000000000.0}) and as {@code d.ddde±XX} otherwise.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0.0) {
      return (1.0 / d < 0) ? "-0.0" : "0.0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal shortest = shortestDecimal(Math.abs(d));
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // power of ten of the first digit
    int decpt = exponent + 1;
    StringBuilder sb = new StringBuilder(sign);
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        sb.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt >= digits.length()) {
        sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int a = Math.abs(exponent);
      sb.append(a < 10 ? "0" : "").append(a);
    }
    return sb.toString();
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code x} (finite, positive);
   * among equally short ones, the nearest to {@code x}. Trailing zeros stripped.
   */
  private static BigDecimal shortestDecimal(double x) {
    BigDecimal exact = new BigDecimal(x);
    for (int p = 1; p <= 17; p++) {
      // Any p-digit decimal that reads back as x lies between x and the nearer of these two.
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == x;
      boolean upOk = up.doubleValue() == x;
      if (downOk || upOk) {
        BigDecimal pick;
        if (downOk && upOk) {
          int cmp = exact.subtract(down).compareTo(up.subtract(exact));
          pick = cmp < 0 ? down : cmp > 0 ? up : exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        } else {
          pick = downOk ? down : up;
        }
        return pick.stripTrailingZeros();
      }
    }
    return exact.round(MathContext.DECIMAL64).stripTrailingZeros();
  }
}
