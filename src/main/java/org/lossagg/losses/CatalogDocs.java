package org.lossagg.losses;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * Renders {@link LossCatalog} as documentation, so the README's loss table is generated from the
 * catalogue (a test keeps the two identical).
 */
public final class CatalogDocs {
  private CatalogDocs() {}

  /** The Markdown table of every loss: Keras class, per-row SQL function with its options, per-row output. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| Keras class | per-row SQL function | options (Keras defaults, allowed range) | one row gives |\n");
    sb.append("|---|---|---|---|\n");
    for (LossSpec s : LossCatalog.all()) {
      StringJoiner args = new StringJoiner(", ");
      args.add("y_true").add("y_pred");
      for (String a : s.functionArgs()) {
        args.add(a);
      }
      StringJoiner opts = new StringJoiner(", ");
      for (OptionSpec o : s.options()) {
        opts.add("`" + o.name() + "=" + python(o.defaultValue()) + "`" + (o.range().isEmpty() ? "" : " (" + o.range() + ")"));
      }
      sb.append("| `").append(s.className()).append("` | `").append(s.sqlName()).append('(').append(args).append(")` | ")
          .append(opts.length() == 0 ? "—" : opts.toString()).append(" | ").append(describe(s.rowOutput())).append(" |\n");
    }
    return sb.toString();
  }

  /** A value as Keras/Python prints it in a signature. */
  static String python(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? "True" : "False";
    }
    if (v instanceof int[]) {
      return Arrays.toString((int[]) v);
    }
    if (v instanceof double[]) {
      return Arrays.toString((double[]) v);
    }
    return v.toString();
  }

  static String describe(RowOutput r) {
    switch (r) {
      case DROPS_AXIS:
        return "scalar per vector row (vector per matrix row)";
      case DROPS_CLASS_AXIS:
        return "scalar per label (labels are class ids)";
      case SCALAR:
        return "scalar per row";
      case ELEMENTWISE:
        return "one value per element";
      case TABLE_OR_ROW:
        return "axis=None: one value per table; axis list: scalar per row";
      case GROUP_PAIRWISE:
        return "scalar per row, against the rows of its group";
      default:
        throw new AssertionError(r);
    }
  }

  /** Prints the table (used to refresh README.md). */
  public static void main(String[] args) {
    System.out.print(markdownTable());
  }
}
