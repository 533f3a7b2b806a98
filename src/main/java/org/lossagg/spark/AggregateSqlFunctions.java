package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.types.StringType;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;

/**
 * The SQL aggregates: {@code keras_loss}, {@code loss_reduce} and {@code loss_summary} — their
 * builders (argument count, constants and types checked at analysis, as AnalysisExceptions naming
 * the function and the argument) and their {@code DESCRIBE FUNCTION EXTENDED} text, whose loss
 * list comes from {@link LossCatalog}. A test runs every example and compares its output.
 */
final class AggregateSqlFunctions {
  private AggregateSqlFunctions() {}

  static List<SqlFunction> all() {
    return List.of(
        new SqlFunction(KerasLossAggregate.NAME, kerasLossInfo(), AggregateSqlFunctions::kerasLoss),
        new SqlFunction(LossReduceAggregate.NAME, lossReduceInfo(), AggregateSqlFunctions::lossReduce),
        new SqlFunction(LossSummaryAggregate.NAME, lossSummaryInfo(), AggregateSqlFunctions::lossSummary));
  }

  static final String CONFIG_EXPECTED = "a Keras loss identifier such as 'binary_crossentropy' or 'BinaryCrossentropy', "
      + "or a Keras loss JSON config";

  static Expression kerasLoss(List<Expression> args) {
    String f = KerasLossAggregate.NAME;
    arity(f, args, 3, 4, "config, y_true, y_pred [, sample_weight]");
    String config = AggregateInputs.constantString(f, 1, "config", args.get(0), CONFIG_EXPECTED);
    Expression weight = args.size() == 4 && !AggregateInputs.isNullLiteral(args.get(3)) ? args.get(3) : null;
    return checked(KerasLossAggregate.create(sessionVersioned(config), false, args.get(1), args.get(2), weight));
  }

  /** The config with the session's default Keras version folded in, or an AnalysisException naming argument 1. */
  static String sessionVersioned(String config) {
    try {
      return SessionKerasVersion.applyTo(config);
    } catch (IllegalArgumentException e) {
      // the config itself is checked (and its error worded) by KerasLossAggregate.options
      KerasLossAggregate.options(config, false);
      throw AggregateInputs.analysisError(KerasLossAggregate.NAME + ": argument 1 (config) under "
          + SessionKerasVersion.KEY + "=" + SessionKerasVersion.get() + ": " + e.getMessage());
    }
  }

  static Expression lossReduce(List<Expression> args) {
    String f = LossReduceAggregate.NAME;
    arity(f, args, 1, 3, "loss [, sample_weight [, reduction]]");
    Expression weight = args.size() >= 2 ? args.get(1) : null;
    String reduction = "sum_over_batch_size";
    if (args.size() == 2 && weight.foldable() && weight.dataType() instanceof StringType) {
      // loss_reduce(loss, 'sum'): a string constant cannot be a weight, so it is the reduction.
      reduction = AggregateInputs.constantString(f, 2, "reduction", weight, LossReduceAggregate.ALLOWED);
      weight = null;
    } else if (args.size() == 3) {
      reduction = AggregateInputs.constantString(f, 3, "reduction", args.get(2), "one of " + LossReduceAggregate.ALLOWED);
    }
    if (weight != null && AggregateInputs.isNullLiteral(weight)) {
      weight = null;
    }
    return checked(LossReduceAggregate.create(args.get(0), weight, reduction));
  }

  static Expression lossSummary(List<Expression> args) {
    String f = LossSummaryAggregate.NAME;
    arity(f, args, 1, 2, "loss [, sample_weight]");
    Expression weight = args.size() == 2 && !AggregateInputs.isNullLiteral(args.get(1)) ? args.get(1) : null;
    return checked(LossSummaryAggregate.create(args.get(0), weight));
  }

  private static void arity(String f, List<Expression> args, int min, int max, String signature) {
    if (args.size() < min || args.size() > max) {
      throw AggregateInputs.analysisError(f + " takes " + (min == max ? "" + min : min + " to " + max)
          + " arguments (" + signature + "), got " + args.size());
    }
  }

  private static Expression checked(LossAggregateFunction<?> agg) {
    String problem = agg.typeProblem();
    if (problem != null) {
      throw AggregateInputs.analysisError(problem);
    }
    return agg;
  }

  private static ExpressionInfo info(Class<?> cls, String name, String usage, String arguments, String examples,
      String note) {
    return new ExpressionInfo(cls.getName(), null, name, usage, arguments, examples, note, "agg_funcs", "0.1.0", "",
        "java_udf");
  }

  /** Every catalogue loss as {@code ClassName (function_name)}, a few per line, for DESCRIBE output. */
  static String lossList() {
    String indent = "          ";
    StringBuilder sb = new StringBuilder(indent);
    int lineStart = 0;
    List<LossSpec> all = LossCatalog.all();
    for (int i = 0; i < all.size(); i++) {
      String entry = all.get(i).className() + " (" + all.get(i).functionName() + ")" + (i + 1 < all.size() ? "," : "");
      if (sb.length() - lineStart + entry.length() > 110 && sb.length() - lineStart > indent.length()) {
        sb.setLength(sb.length() - 1);
        sb.append('\n');
        lineStart = sb.length();
        sb.append(indent);
      }
      sb.append(entry).append(' ');
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  private static ExpressionInfo kerasLossInfo() {
    String usage = "_FUNC_(config, y_true, y_pred [, sample_weight]) - Keras' class-form loss "
        + "keras.losses.get(config)(y_true, y_pred, sample_weight) with the whole table, or each group, as one batch. "
        + "Exact for any partitioning and row order; FLOAT for float32 losses (the Keras default), DOUBLE for float64.";
    String arguments = "\n    Arguments:\n"
        + "      * config - a constant string: a Keras identifier ('binary_crossentropy', 'BinaryCrossentropy', 'mse', ...)\n"
        + "          or a Keras loss JSON: {\"class_name\": ..., \"config\": {...}}, keras.losses.serialize() output, or\n"
        + "          \"ClassName\" alone. The config may set the loss options, \"reduction\" (sum_over_batch_size by\n"
        + "          default, sum, mean or mean_with_sample_weight; none is refused: use the per-row loss_<name>\n"
        + "          function) and \"dtype\" (float32 by default, or float64). Beside class_name, \"keras_version\"\n"
        + "          chooses the Keras: \"2.9\" (tf.keras 2.x), \"3.15\" (the default, the newest release) or \"3.16\"\n"
        + "          (the development line); without it, the session's spark.lossagg.kerasVersion applies. Losses:\n"
        + lossList() + "\n"
        + "      * y_true - the labels of a row: a number, an ARRAY of numbers, or nested arrays for a matrix; any numeric\n"
        + "          type. A number is Keras shape (1, 1) for the row.\n"
        + "      * y_pred - the predictions of the row, shaped as the loss expects (like y_true, or with a class axis).\n"
        + "      * sample_weight - optional: a number per row, or an array with one weight per element of the row's\n"
        + "          per-sample loss. NULL in a row with y_true and y_pred is an error; a NULL constant means no weights.\n"
        + "\n"
        + "      Rows with NULL y_true or y_pred are left out of every sum and divisor (as a Keras mask on the row\n"
        + "      would leave a per-sample loss); NULL is returned when no row is left. Dice and Tversky with axis=None\n"
        + "      and the Hinge losses' 0/1 label conversion are decided over the whole table or group; Circle\n"
        + "      compares the rows of each group, at most spark.lossagg.circle.maxRowsPerGroup (default 10000) of them\n"
        + "      (GROUP BY a batch id for more). The rows of a table or group must have one shape, as a Keras batch has:\n"
        + "      rows of different lengths are an error naming both shapes.\n";
    String examples = "\n    Examples:\n"
        + "      > SELECT _FUNC_('binary_crossentropy', y, p) FROM VALUES (0, 0.1), (1, 0.8), (1, 0.6) AS t(y, p);\n"
        + "       0.27977654\n"
        + "      > SELECT _FUNC_('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true, \"reduction\": \"sum\", "
        + "\"dtype\": \"float64\"}}', y, logit, w) FROM VALUES (0, -1.5, 1.0), (1, 2.0, 0.5), (NULL, 0.3, NULL) AS t(y, logit, w);\n"
        + "       0.26487728350423867\n"
        + "      > SELECT g, _FUNC_('SparseCategoricalCrossentropy', label, probs) FROM VALUES ('a', 0, array(0.7, 0.2, 0.1)), "
        + "('a', 2, array(0.2, 0.3, 0.5)), ('b', 1, array(0.1, 0.8, 0.1)) AS t(g, label, probs) GROUP BY g ORDER BY g;\n"
        + "       a\t0.52491105\n"
        + "       b\t0.22314355\n"
        + "  ";
    return info(KerasLossAggregate.class, KerasLossAggregate.NAME, usage, arguments, examples, "");
  }

  private static ExpressionInfo lossReduceInfo() {
    String usage = "_FUNC_(loss [, sample_weight [, reduction]]) - Keras' reduction of a per-row loss column over the "
        + "table or group as one batch, in DOUBLE (float64), exact for any partitioning and row order.";
    String arguments = "\n    Arguments:\n"
        + "      * loss - the per-row loss: a number, or an ARRAY (nested for matrices) of per-element losses. A NULL\n"
        + "          loss, or a NULL element, is masked as by Keras: left out of the sums and of the count the\n"
        + "          mean divides by.\n"
        + "      * sample_weight - optional: a number per row, or an array shaped like the loss (one weight per\n"
        + "          element). NULL in a row with a loss is an error; a NULL constant means no weights.\n"
        + "      * reduction - optional constant, one of\n"
        + "          " + LossReduceAggregate.ALLOWED + ".\n"
        + "          Without weights it may come second: _FUNC_(loss, 'sum').\n"
        + "\n"
        + "      sum = Σ w·loss; sum_over_batch_size and mean = sum / unmasked element count; mean_with_sample_weight\n"
        + "      = sum / Σ w (the unmasked element count without weights), with the weights summed as Keras sums\n"
        + "      them for each row as a batch of one (a row's number once; once per unmasked element if the row has\n"
        + "      NULL elements). A zero divisor gives 0; no row with a loss gives NULL.\n";
    String examples = "\n    Examples:\n"
        + "      > SELECT _FUNC_(l) FROM VALUES (0.5), (1.5), (NULL) AS t(l);\n"
        + "       1.0\n"
        + "      > SELECT _FUNC_(l, w, 'mean_with_sample_weight') FROM VALUES (0.5, 1), (1.5, 3) AS t(l, w);\n"
        + "       1.25\n"
        + "      > SELECT _FUNC_(l, 'sum') FROM VALUES (array(0.5, NULL)), (array(1.0, 2.0)) AS t(l);\n"
        + "       3.5\n"
        + "  ";
    return info(LossReduceAggregate.class, LossReduceAggregate.NAME, usage, arguments, examples, "");
  }

  private static ExpressionInfo lossSummaryInfo() {
    String usage = "_FUNC_(loss [, sample_weight]) - In one pass, the sums and counts of Keras' reductions over a "
        + "per-row loss column and every reduction, as a struct (DOUBLE values, computed exactly as loss_reduce does).";
    String arguments = "\n    Arguments:\n"
        + "      * loss - the per-row loss: a number or an ARRAY of per-element losses; NULLs are masked.\n"
        + "      * sample_weight - optional: a number per row, or an array shaped like the loss.\n"
        + "\n"
        + "      Fields: weighted_sum (Σ w·loss), element_count (elements seen, masked ones included), weight_sum\n"
        + "      (NULL without weights), masked_count, sum, sum_over_batch_size, mean, mean_with_sample_weight.\n"
        + "      The DOUBLE fields are NULL when no row has a loss.\n";
    String examples = "\n    Examples:\n"
        + "      > SELECT _FUNC_(l, w) FROM VALUES (0.5, 2), (1.5, 1), (NULL, 1) AS t(l, w);\n"
        + "       {\"weighted_sum\":2.5,\"element_count\":3,\"weight_sum\":3.0,\"masked_count\":1,\"sum\":2.5,"
        + "\"sum_over_batch_size\":1.25,\"mean\":1.25,\"mean_with_sample_weight\":0.8333333333333334}\n"
        + "  ";
    return info(LossSummaryAggregate.class, LossSummaryAggregate.NAME, usage, arguments, examples, "");
  }
}
