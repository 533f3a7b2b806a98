package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionType;
import org.lossagg.losses.RowOutput;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * The typing of one per-row loss call: which shape kinds y_true and y_pred may have for the loss'
 * {@link RowOutput} (and its reference inputs, {@link LossSpec#referenceArgs()}), the result type, and the compute
 * dtype. A row is evaluated as a Keras batch of one, so axis options count the batch axis: axis 0 is
 * the batch and is refused. Violations are {@link IllegalArgumentException}s naming the function,
 * the argument, what was given and what is allowed.
 */
record RowSignature(RowOutput kind, RowType yTrue, RowType yPred, List<RowType> references, int outRank, DType dtype,
    DataType resultType) {

  static RowSignature of(String fn, Loss loss, List<DataType> types) {
    RowType[] t = new RowType[types.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = RowType.of(types.get(i));
      if (t[i] == null) {
        throw new IllegalArgumentException(fn + ": " + argument(loss.spec(), i) + " has type " + types.get(i).sql()
            + "; expected " + expected(loss.spec(), i) + " (elements " + RowType.NUMERIC_TYPES + ")");
      }
    }
    LossSpec spec = loss.spec();
    checkFixedRanks(fn, spec, t[0], t[1]);
    int[] ranks = ranks(fn, spec, t[0].rank(), t[1].rank());
    List<RowType> references = t.length > 2 ? references(fn, loss, t) : List.of();
    int out = outRank(fn, loss, ranks[1]);
    RowType yTrue = new RowType(ranks[0], t[0].element());
    RowType yPred = new RowType(ranks[1], t[1].element());
    return new RowSignature(spec.rowOutput(), yTrue, yPred, references, out, yPred.computeDtype(), resultType(out));
  }

  /**
   * Checks that one row's y_true and y_pred fit each other: equal shapes where the loss pairs
   * elements, one class id per score vector for sparse labels. (Keras would broadcast some
   * mismatches; a row of SQL data that does not line up is taken as an error instead.)
   */
  void checkRowShapes(String fn, NdArray t, NdArray p) {
    switch (kind) {
      case DROPS_AXIS:
      case ELEMENTWISE:
      case TABLE_OR_ROW:
        if (!t.sameShape(p)) {
          throw new IllegalArgumentException(fn + ": " + argument(0) + " has shape " + Arrays.toString(t.shape()) + " but "
              + argument(1) + " has shape " + Arrays.toString(p.shape()) + " in this row; expected the same shape");
        }
        break;
      case DROPS_CLASS_AXIS:
        if (p.rank() == 2 && t.dim(0) != p.dim(0)) {
          throw new IllegalArgumentException(fn + ": " + argument(0) + " has " + t.dim(0) + " class ids but " + argument(1)
              + " has " + p.dim(0) + " score vectors in this row; expected one class id per score vector");
        }
        break;
      default:
        break;
    }
  }

  /** {@code argument 1 (y_true)} or {@code argument 2 (y_pred)}, for messages. */
  static String argument(int i) {
    return "argument " + (i + 1) + " (" + (i == 0 ? "y_true" : "y_pred") + ")";
  }

  /** Data argument {@code i} of {@code spec}'s function, reference inputs included, for messages. */
  static String argument(LossSpec spec, int i) {
    return "argument " + (i + 1) + " (" + name(spec, i) + ")";
  }

  /** The name of data argument {@code i}: y_true, y_pred, then the spec's reference inputs. */
  static String name(LossSpec spec, int i) {
    return i < 2 ? (i == 0 ? "y_true" : "y_pred") : spec.referenceArgs().get(i - 2).name();
  }

  /** Ranks a loss fixes whatever the partner argument is. */
  private static void checkFixedRanks(String fn, LossSpec spec, RowType yTrue, RowType yPred) {
    switch (spec.rowOutput()) {
      case DROPS_CLASS_AXIS:
        requireRank(fn, spec, 1, yPred, 1, 2);
        break;
      case SCALAR:
        requireRank(fn, spec, 0, yTrue, 1, 1);
        requireRank(fn, spec, 1, yPred, 2, 2);
        break;
      case GROUP_PAIRWISE:
        requireRank(fn, spec, 0, yTrue, 0, 0);
        requireRank(fn, spec, 1, yPred, 1, 1);
        break;
      default:
        break;
    }
  }

  private static void requireRank(String fn, LossSpec spec, int i, RowType given, int min, int max) {
    if (given.known() && (given.rank() < min || given.rank() > max)) {
      throw new IllegalArgumentException(fn + ": " + argument(i) + " is " + RowType.kind(given.rank()) + "; expected "
          + expected(spec, i));
    }
  }

  /**
   * The ranks y_true and y_pred have once paired; a NULL literal (UNKNOWN rank) takes whatever its
   * partner needs.
   */
  private static int[] ranks(String fn, LossSpec spec, int tr, int pr) {
    switch (spec.rowOutput()) {
      case DROPS_AXIS:
      case ELEMENTWISE:
      case TABLE_OR_ROW: {
        if (tr != RowType.UNKNOWN && pr != RowType.UNKNOWN && tr != pr) {
          throw mismatch(fn, tr, pr, "y_true and y_pred must both be numbers, both ARRAYs or both ARRAY<ARRAY>s");
        }
        int r = pr != RowType.UNKNOWN ? pr : tr != RowType.UNKNOWN ? tr : 1;
        return new int[] {r, r};
      }
      case DROPS_CLASS_AXIS: {
        if (tr != RowType.UNKNOWN && pr != RowType.UNKNOWN && tr != pr - 1) {
          throw mismatch(fn, tr, pr, "y_true holds one class id per score vector of y_pred: a number for an ARRAY "
              + "y_pred, an ARRAY for an ARRAY<ARRAY> y_pred");
        }
        int p = pr != RowType.UNKNOWN ? pr : tr == 1 ? 2 : 1;
        return new int[] {p - 1, p};
      }
      case SCALAR:
        return new int[] {1, 2};
      case GROUP_PAIRWISE:
        return new int[] {0, 1};
      default:
        throw new AssertionError(spec.rowOutput());
    }
  }

  private static IllegalArgumentException mismatch(String fn, int tr, int pr, String rule) {
    return new IllegalArgumentException(fn + ": " + argument(0) + " is " + RowType.kind(tr) + " but " + argument(1)
        + " is " + RowType.kind(pr) + "; " + rule);
  }

  /** What argument {@code i} may be, for messages and docs. */
  static String expected(LossSpec spec, int i) {
    if (i >= 2) {
      LossSpec.ReferenceArg r = spec.referenceArgs().get(i - 2);
      return RowType.kind(r.rank()) + " (" + r.description() + ")";
    }
    switch (spec.rowOutput()) {
      case DROPS_CLASS_AXIS:
        return i == 0 ? "class ids: a number for an ARRAY y_pred, an ARRAY for an ARRAY<ARRAY> y_pred"
            : "class scores: an ARRAY (one sample) or an ARRAY<ARRAY> (one score vector per class id)";
      case SCALAR:
        return i == 0 ? "an ARRAY of class ids (the label sequence)"
            : "an ARRAY<ARRAY> of logits (one ARRAY of class scores per time step)";
      case GROUP_PAIRWISE:
        return i == 0 ? "a number (an integer class label)" : "an ARRAY of numbers (an embedding)";
      default:
        return i == 0 ? "a number, an ARRAY of numbers or an ARRAY<ARRAY> of numbers"
            : "predictions shaped like y_true: a number, an ARRAY or an ARRAY<ARRAY> of numbers";
    }
  }

  /** The types of the reference inputs (data arguments 3...), checked against the spec's ranks and the loss' options. */
  private static List<RowType> references(String fn, Loss loss, RowType[] t) {
    List<LossSpec.ReferenceArg> declared = loss.spec().referenceArgs();
    if (t.length != 2 + declared.size()) {
      throw new IllegalArgumentException(fn + " takes y_true and y_pred"
          + (declared.isEmpty() ? " only" : " and " + declared.size() + " reference inputs") + " as data arguments, got "
          + t.length);
    }
    List<RowType> out = new ArrayList<>();
    for (int i = 2; i < t.length; i++) {
      int required = declared.get(i - 2).rank();
      if (t[i].known() && t[i].rank() != required) {
        throw new IllegalArgumentException(fn + ": " + argument(loss.spec(), i) + " is " + RowType.kind(t[i].rank())
            + "; expected " + expected(loss.spec(), i));
      }
      out.add(new RowType(required, t[i].element()));
    }
    try {
      loss.checkReferenceOptions();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(fn + ": " + e.getMessage(), e);
    }
    return List.copyOf(out);
  }

  private static int outRank(String fn, Loss loss, int pr) {
    LossSpec spec = loss.spec();
    int batchRank = Math.max(pr, 1) + 1;
    switch (spec.rowOutput()) {
      case DROPS_AXIS:
      case DROPS_CLASS_AXIS:
        if (spec.hasOption("axis") && spec.option("axis").type() == OptionType.INT) {
          checkAxis(fn, loss.options().integer("axis"), batchRank, pr);
        }
        return pr == 2 ? 1 : 0;
      case ELEMENTWISE:
        return pr;
      case TABLE_OR_ROW: {
        Object axis = loss.options().get("axis");
        if (axis == null) {
          return 0;
        }
        int[] axes = axis instanceof Integer ? new int[] {(Integer) axis} : (int[]) axis;
        boolean[] seen = new boolean[batchRank];
        for (int a : axes) {
          int k = checkAxis(fn, a, batchRank, pr);
          if (seen[k]) {
            throw new IllegalArgumentException(fn + ": option axis = " + Arrays.toString(axes) + " lists axis " + k
                + " twice");
          }
          seen[k] = true;
        }
        return Math.max(batchRank - 1 - axes.length, 0);
      }
      case SCALAR:
      case GROUP_PAIRWISE:
        return 0;
      default:
        throw new AssertionError(spec.rowOutput());
    }
  }

  /** The axis normalised against the batch-of-one rank, or an exception if it is the batch axis or out of range. */
  private static int checkAxis(String fn, int axis, int batchRank, int rowRank) {
    int a = axis < 0 ? axis + batchRank : axis;
    if (a < 1 || a >= batchRank) {
      StringBuilder allowed = new StringBuilder();
      for (int k = 1; k < batchRank; k++) {
        allowed.append(k - batchRank).append(", ");
      }
      for (int k = 1; k < batchRank; k++) {
        allowed.append(k).append(k + 1 < batchRank ? ", " : "");
      }
      throw new IllegalArgumentException(fn + ": option axis = " + axis + " is "
          + (a == 0 ? "the batch axis" : "out of range") + " for " + RowType.kind(rowRank)
          + " evaluated as a Keras batch of one (shape rank " + batchRank + "); allowed: " + allowed);
    }
    return a;
  }

  static DataType resultType(int outRank) {
    switch (outRank) {
      case 0:
        return DataTypes.DoubleType;
      case 1:
        return new ArrayType(DataTypes.DoubleType, true);
      default:
        return new ArrayType(new ArrayType(DataTypes.DoubleType, true), false);
    }
  }
}
