package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.losses.PerSample;
import org.lossagg.losses.RowOutput;
import org.lossagg.numerics.NdArray;

/** Small per-row inputs for every {@link RowOutput} kind, and the per-row value they should give. */
final class RowSamples {
  /** One row: y_true and y_pred. */
  record Sample(NdArray yTrue, NdArray yPred) {}

  private RowSamples() {}

  /** The (y_true rank, y_pred rank) pairs a loss accepts per row. */
  static List<int[]> rankPairs(LossSpec spec) {
    switch (spec.rowOutput()) {
      case DROPS_CLASS_AXIS:
        return List.of(new int[] {0, 1}, new int[] {1, 2});
      case SCALAR:
        return List.<int[]>of(new int[] {1, 2});
      case GROUP_PAIRWISE:
        return List.<int[]>of(new int[] {0, 1});
      default:
        return List.of(new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 2});
    }
  }

  /** Whether y_true holds class ids (an INT column). */
  static boolean labels(LossSpec spec) {
    RowOutput k = spec.rowOutput();
    return k == RowOutput.DROPS_CLASS_AXIS || k == RowOutput.SCALAR || k == RowOutput.GROUP_PAIRWISE;
  }

  /** {@code count} rows of varying sizes for the rank pair. */
  static List<Sample> samples(LossSpec spec, int[] ranks, int count, long seed) {
    Random rnd = new Random(seed);
    List<Sample> out = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      out.add(sample(spec, ranks, r, rnd));
    }
    return out;
  }

  private static Sample sample(LossSpec spec, int[] ranks, int r, Random rnd) {
    switch (spec.rowOutput()) {
      case DROPS_CLASS_AXIS: {
        int classes = 2 + r % 3;
        if (ranks[1] == 1) {
          return new Sample(NdArray.scalar(rnd.nextInt(classes)), uniform(rnd, 0.05, 0.95, classes));
        }
        int steps = 1 + r % 3;
        return new Sample(labels(rnd, steps, 0, classes), uniform(rnd, 0.05, 0.95, steps, classes));
      }
      case SCALAR: {
        int classes = 3 + r % 2;
        int steps = 3 + r % 3;
        return new Sample(labels(rnd, 1 + r % 2, 1, classes), uniform(rnd, -2, 2, steps, classes));
      }
      case GROUP_PAIRWISE:
        return new Sample(NdArray.scalar(rnd.nextInt(3)), unitVector(rnd, 3));
      default: {
        int[] shape = ranks[1] == 0 ? new int[0] : ranks[1] == 1 ? new int[] {1 + r % 4} : new int[] {1 + r % 3, 2 + r % 3};
        NdArray t = uniform(rnd, 0, 1, shape);
        if (r % 2 == 0) {
          // 0/1 labels: Hinge's label conversion and the cross-entropies' usual case.
          t = t.map(Math::rint);
        }
        return new Sample(t, uniform(rnd, 0.05, 0.95, shape));
      }
    }
  }

  static NdArray uniform(Random rnd, double lo, double hi, int... shape) {
    double[] d = new double[NdArray.sizeOf(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    return NdArray.of(d, shape);
  }

  static NdArray labels(Random rnd, int n, int from, int classes) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = from + rnd.nextInt(classes - from);
    }
    return NdArray.of(d, n);
  }

  static NdArray unitVector(Random rnd, int dim) {
    double[] d = new double[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      d[i] = rnd.nextGaussian();
      norm += d[i] * d[i];
    }
    for (int i = 0; i < dim; i++) {
      d[i] /= Math.sqrt(norm);
    }
    return NdArray.of(d, dim);
  }

  /** The per-row value as Spark returns it: Double or nested List, masked positions null. */
  static Object expected(PerSample ps, int outRank) {
    NdArray v = ps.values();
    NdArray m = ps.mask();
    switch (outRank) {
      case 0:
        return m != null && m.get(0) == 0 ? null : v.data()[0];
      case 1:
        return row(v, m, 0, v.size());
      default: {
        List<Object> out = new ArrayList<>();
        int cols = v.dim(1);
        for (int i = 0; i < v.dim(0); i++) {
          out.add(row(v, m, i * cols, cols));
        }
        return out;
      }
    }
  }

  private static List<Double> row(NdArray v, NdArray m, int from, int length) {
    List<Double> row = new ArrayList<>();
    for (int k = from; k < from + length; k++) {
      row.add(m != null && m.get(k) == 0 ? null : v.get(k));
    }
    return row;
  }

  /** Options at non-default values (axis options keep their default: they depend on the row rank). */
  static LossOptions nonDefault(LossSpec spec) {
    LossOptions.Builder b = spec.newOptions();
    for (OptionSpec o : spec.options()) {
      Object def = o.coerce(spec.className(), o.defaultValue());
      switch (o.type()) {
        case BOOLEAN:
          b.set(o.name(), !(Boolean) def);
          break;
        case FLOAT:
        case FLOAT_OR_LIST:
          b.set(o.name(), pick(spec, o, def));
          break;
        case OPTIONAL_INT:
          b.set(o.name(), 1);
          break;
        default:
          break;
      }
    }
    return b.build();
  }

  private static double pick(LossSpec spec, OptionSpec o, Object def) {
    for (double f : new double[] {0.3, 0.7, 1.5, 0.125, 64.0}) {
      if (Double.valueOf(f).equals(def)) {
        continue;
      }
      try {
        o.coerce(spec.className(), f);
        return f;
      } catch (IllegalArgumentException e) {
        // out of range: try the next one
      }
    }
    throw new AssertionError(spec + "." + o.name() + ": no test value fits " + o.allowed());
  }
}
