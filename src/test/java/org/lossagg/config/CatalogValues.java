package org.lossagg.config;

import java.util.ArrayList;
import java.util.List;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.reduce.Reduction;

/** Non-default option values derived from a spec's declared kinds and ranges, for table-driven tests. */
final class CatalogValues {
  /** Python-repr-interesting floats, tried in order; the first one in range and not the default wins. */
  private static final double[] FLOATS = {0.3, 0.7, 1e-05, 0.05, 1.5, 64.0, 1e+20, -0.5, -3.0};

  private CatalogValues() {}

  /** A value for {@code o} that differs from its default and is allowed. */
  static Object nonDefault(LossSpec spec, OptionSpec o) {
    Object def = o.coerce(spec.className(), o.defaultValue());
    switch (o.type()) {
      case BOOLEAN:
        return !(Boolean) def;
      case FLOAT:
        return pickFloat(spec, o, def, 0);
      case INT:
        return Integer.valueOf(1).equals(def) ? 2 : 1;
      case OPTIONAL_INT:
        return def == null ? 3 : null;
      case AXES:
        return def == null ? List.of(1, 2) : null;
      case FLOAT_OR_LIST: {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          l.add(pickFloat(spec, o, Double.NaN, i));
        }
        return l;
      }
      default:
        throw new AssertionError(o.type());
    }
  }

  private static double pickFloat(LossSpec spec, OptionSpec o, Object def, int skip) {
    for (double f : FLOATS) {
      if (!inRange(spec, o, f) || Double.valueOf(f).equals(def)) {
        continue;
      }
      if (skip-- == 0) {
        return f;
      }
    }
    throw new AssertionError(spec + "." + o.name() + ": no test value fits " + o.allowed());
  }

  private static boolean inRange(LossSpec spec, OptionSpec o, double f) {
    try {
      o.coerce(spec.className(), f);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Every option at a non-default value, plus a custom name and reduction. */
  static LossOptions nonDefaultOptions(LossSpec spec, Reduction reduction) {
    LossOptions.Builder b = spec.newOptions().name("custom_" + spec.functionName()).reduction(reduction);
    for (OptionSpec o : spec.options()) {
      b.set(o.name(), nonDefault(spec, o));
    }
    return b.build();
  }
}
