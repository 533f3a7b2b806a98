package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.losses.OptionType;
import org.lossagg.losses.RowOutput;

/**
 * The {@code DESCRIBE FUNCTION EXTENDED} text of the per-row functions, generated from each loss'
 * {@link LossSpec}: usage with the signature and formula (and the reference form of a loss with
 * reference inputs), each argument with its type, default and allowed values, the spec's notes, and
 * its SQL examples ({@code RowLossDocsTest} runs them and compares).
 */
public final class RowLossDocs {
  private RowLossDocs() {}

  static ExpressionInfo info(LossSpec spec) {
    return new ExpressionInfo(RowLoss.class.getName(), null, spec.sqlName(), usage(spec), arguments(spec),
        examples(spec), note(spec), "math_funcs", "", "", "java_udf");
  }

  /** {@code loss_x(y_true, y_pred[, a[, b]])}. */
  public static String signature(LossSpec spec) {
    return spec.sqlName() + "(y_true, y_pred" + optional(spec.functionArgs(), 0) + ")";
  }

  /**
   * The reference form of a loss with reference inputs, its required options written out:
   * {@code loss_circle(y_true, y_pred, ref_labels, ref_embeddings, remove_diagonal[, gamma[, margin]])}.
   */
  static String referenceSignature(LossSpec spec) {
    List<String> a = spec.functionArgs();
    int required = spec.requiredWithReferences().size();
    List<String> written = new ArrayList<>(List.of("y_true", "y_pred"));
    written.addAll(referenceNames(spec));
    written.addAll(a.subList(0, required));
    return spec.sqlName() + "(" + String.join(", ", written) + optional(a, required) + ")";
  }

  private static List<String> referenceNames(LossSpec spec) {
    List<String> names = new ArrayList<>();
    for (LossSpec.ReferenceArg r : spec.referenceArgs()) {
      names.add(r.name());
    }
    return names;
  }

  private static String optional(List<String> args, int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < args.size(); i++) {
      sb.append("[, ").append(args.get(i));
    }
    return sb + "]".repeat(args.size() - from);
  }

  static String usage(LossSpec spec) {
    String what = " - Keras' " + spec.functionName() + " (keras.losses." + spec.functionName()
        + ") of one row, as a batch of one: " + spec.formula() + ". " + returns(spec);
    String usage = "\n    " + signature(spec).replace(spec.sqlName(), "_FUNC_") + what;
    if (!spec.referenceArgs().isEmpty()) {
      usage += "\n    " + referenceSignature(spec).replace(spec.sqlName(), "_FUNC_")
          + " - the row against explicit reference rows (keras.losses." + spec.functionName() + " with "
          + String.join(" and ", referenceNames(spec)) + ").";
    }
    return usage + "\n  ";
  }

  private static String returns(LossSpec spec) {
    switch (spec.rowOutput()) {
      case DROPS_AXIS:
        return "Returns DOUBLE for a number or ARRAY row, ARRAY<DOUBLE> (one value per inner ARRAY) for an "
            + "ARRAY<ARRAY> row.";
      case DROPS_CLASS_AXIS:
        return "Returns DOUBLE for an ARRAY y_pred, ARRAY<DOUBLE> (one value per class id) for an ARRAY<ARRAY> y_pred.";
      case SCALAR:
        return "Returns DOUBLE.";
      case ELEMENTWISE:
        return "Returns one value per element, in the shape of the inputs.";
      case TABLE_OR_ROW:
        return "Returns DOUBLE with axis NULL (the row's own value), else the row with the listed axes summed "
            + "away (DOUBLE or ARRAY<DOUBLE>).";
      case GROUP_PAIRWISE:
        return "Returns DOUBLE, NULL where Keras masks the row (loss 0).";
      default:
        throw new AssertionError(spec.rowOutput());
    }
  }

  static String arguments(LossSpec spec) {
    StringBuilder sb = new StringBuilder("\n    Arguments:\n");
    int data = 2 + spec.referenceArgs().size();
    for (int i = 0; i < data; i++) {
      sb.append("      * ").append(RowSignature.name(spec, i)).append(" - ").append(RowSignature.expected(spec, i))
          .append(i == 0 ? "; elements of any numeric type (" + RowType.NUMERIC_TYPES + ")" : "")
          .append(i >= 2 ? "; reference form only" : "").append(".\n");
    }
    for (String name : spec.functionArgs()) {
      OptionSpec o = spec.option(name);
      Object def = o.coerce(spec.className(), o.defaultValue());
      sb.append("      * ").append(name).append(" - constant, ").append(o.allowed()).append(" (default ")
          .append(OptionArguments.literal(def)).append("): ").append(o.description());
      if (o.name().equals("axis") && o.type() != OptionType.OPTIONAL_INT) {
        sb.append("; axes count on the row as a Keras batch of one, whose axis 0 is the batch and is refused");
      }
      sb.append(".\n");
    }
    return sb.append("  ").toString();
  }

  static String note(LossSpec spec) {
    StringBuilder sb = new StringBuilder("\n    ");
    sb.append("Computes in float32 when the elements of y_pred are FLOAT and in float64 otherwise, as Keras' "
        + "functional form computes in the dtype of its input (CAST y_pred to FLOAT for Keras' default float32). "
        + "A NULL y_true or y_pred gives NULL; a NULL element inside an array is an error. Options are positional "
        + "and must be constants.");
    for (String note : spec.notes()) {
      sb.append(' ').append(note);
    }
    if (spec.rowOutput() == RowOutput.TABLE_OR_ROW) {
      sb.append(" With axis NULL each row is its own batch; keras_loss gives Keras' value for a whole table.");
    }
    return sb.append("\n  ").toString();
  }

  static String examples(LossSpec spec) {
    StringBuilder sb = new StringBuilder("\n    Examples:\n");
    for (LossSpec.SqlExample e : spec.sqlExamples()) {
      sb.append("      > ").append(e.sql()).append('\n');
      sb.append("       ").append(e.output()).append('\n');
    }
    return sb.append("  ").toString();
  }
}
