package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StringType;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;

/**
 * The positional options of a per-row loss call, in the order of the Keras function's signature
 * ({@link LossSpec#functionArgs()}), and their SQL rendering. Every option must be a constant; any
 * numeric type is accepted ({@code 0.1} in SQL is a DECIMAL), booleans, NULL (ignore_class,
 * Dice/Tversky axis) and ARRAYs of numbers (CategoricalFocalCrossentropy alpha, Dice/Tversky axis).
 * The core ({@link OptionSpec#coerce}) validates the values.
 */
final class OptionArguments {
  private OptionArguments() {}

  /**
   * The loss of {@code spec} with the options given as {@code args}, the first of them at SQL
   * argument position {@code firstPosition} (1-based). Missing trailing options keep Keras' defaults.
   */
  static Loss parse(String fn, LossSpec spec, List<Expression> args, int firstPosition) {
    LossOptions.Builder b = SessionKerasVersion.applyTo(spec.newOptions());
    for (int i = 0; i < args.size(); i++) {
      String name = spec.functionArgs().get(i);
      String where = fn + ": argument " + (firstPosition + i) + " (" + name + ")";
      Expression e = args.get(i);
      if (!e.foldable()) {
        throw AnalysisErrors.raise(where + " must be a constant (options must be constants), got the expression "
            + e.sql() + "; expected " + spec.option(name).allowed());
      }
      Object value = value(where, spec.option(name), e.eval(null), e.dataType());
      try {
        b.set(name, value);
      } catch (IllegalArgumentException ex) {
        throw AnalysisErrors.raise(where + ": " + ex.getMessage(), ex);
      }
    }
    try {
      return b.build().create();
    } catch (IllegalArgumentException ex) {
      throw AnalysisErrors.raise(fn + ": " + ex.getMessage(), ex);
    }
  }

  /** A constant's Catalyst value as the Java value {@link OptionSpec#coerce} understands. */
  private static Object value(String where, OptionSpec option, Object v, DataType t) {
    if (v == null || t instanceof NullType) {
      return null;
    }
    if (t instanceof BooleanType) {
      return v;
    }
    if (t instanceof StringType) {
      return v.toString();
    }
    if (RowType.isNumeric(t)) {
      return number(v, t);
    }
    if (t instanceof ArrayType && RowType.isNumeric(((ArrayType) t).elementType())) {
      ArrayData a = (ArrayData) v;
      DataType e = ((ArrayType) t).elementType();
      List<Object> out = new ArrayList<>(a.numElements());
      for (int i = 0; i < a.numElements(); i++) {
        if (a.isNullAt(i)) {
          throw AnalysisErrors.raise(where + " has a NULL element at index " + i + "; expected " + option.allowed());
        }
        out.add(number(a.get(i, e), e));
      }
      return out;
    }
    throw AnalysisErrors.raise(where + " has type " + t.sql() + "; expected " + option.allowed());
  }

  /** Integral types stay integral (so that axis = 1 is an integer); the others become doubles. */
  private static Object number(Object v, DataType t) {
    if (t instanceof DecimalType) {
      Decimal d = (Decimal) v;
      return d.scale() == 0 && d.precision() <= 18 ? (Object) d.toLong() : (Object) d.toDouble();
    }
    if (t instanceof DoubleType || t instanceof FloatType) {
      return ((Number) v).doubleValue();
    }
    return ((Number) v).longValue();
  }

  /**
   * The options of {@code loss} as SQL literals in argument order, up to the last one that differs
   * from its Keras default (so {@code loss_huber(y, p)} and {@code loss_huber(y, p, 2.0)} render as
   * written).
   */
  static List<String> render(Loss loss) {
    LossSpec spec = loss.spec();
    List<String> out = new ArrayList<>();
    int last = -1;
    List<String> args = spec.functionArgs();
    for (int i = 0; i < args.size(); i++) {
      OptionSpec o = spec.option(args.get(i));
      Object value = loss.options().get(o.name());
      out.add(literal(value));
      if (!Objects.deepEquals(value, o.coerce(spec.className(), o.defaultValue()))) {
        last = i;
      }
    }
    return out.subList(0, last + 1);
  }

  static String literal(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isInfinite(d)) {
        return d > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
      }
      return Double.toString(d);
    }
    if (v instanceof int[]) {
      return array(Arrays.stream((int[]) v).mapToObj(Integer::toString).toArray(String[]::new));
    }
    if (v instanceof double[]) {
      return array(Arrays.stream((double[]) v).mapToObj(OptionArguments::literal).toArray(String[]::new));
    }
    return v.toString();
  }

  private static String array(String[] items) {
    return "array(" + String.join(", ", items) + ")";
  }
}
