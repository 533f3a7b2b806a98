package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NullType;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;

/**
 * The per-row SQL functions, one per catalogue loss: {@code loss_<keras function name>(y_true,
 * y_pred[, options...])} with the options positional in the Keras function's order
 * ({@link LossSpec#functionArgs()}), missing trailing options at Keras' defaults.
 * A loss with reference inputs ({@link LossSpec#referenceArgs()}) also takes them after y_true and
 * y_pred, Keras' signature with explicit reference rows (e.g. {@code loss_circle(y_true, y_pred,
 * ref_labels, ref_embeddings, remove_diagonal, gamma, margin)}); that form is chosen when the third
 * argument is an ARRAY (or NULL followed by an ARRAY or NULL).
 */
public final class RowLossFunctions {
  private RowLossFunctions() {}

  /** Every per-row function, in catalogue order. */
  public static List<SqlFunction> all() {
    List<SqlFunction> all = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      all.add(new SqlFunction(spec.sqlName(), RowLossDocs.info(spec), args -> build(spec, args)));
    }
    return Collections.unmodifiableList(all);
  }

  /** The expression of a call of {@code spec}'s function with resolved {@code args}, or an AnalysisException. */
  static Expression build(LossSpec spec, List<Expression> args) {
    String fn = spec.sqlName();
    boolean references = !spec.referenceArgs().isEmpty() && referenceForm(args);
    int data = references ? 2 + spec.referenceArgs().size() : 2;
    int max = data + spec.functionArgs().size();
    if (args.size() < data || args.size() > max) {
      throw AnalysisErrors.raise(fn + " takes " + data + " to " + max + " arguments, "
          + (references ? RowLossDocs.referenceSignature(spec) : RowLossDocs.signature(spec)) + "; got " + args.size());
    }
    Loss loss = OptionArguments.parse(fn, spec, args.subList(data, args.size()), data + 1);
    RowLoss e = RowLoss.of(loss, args.subList(0, data));
    try {
      e.signature();
    } catch (IllegalArgumentException ex) {
      throw AnalysisErrors.raise(ex.getMessage(), ex);
    }
    return e;
  }

  /**
   * Whether a call passes reference rows (which are ARRAYs): its third argument is an ARRAY, or an
   * untyped NULL followed by an ARRAY or NULL (an option is a constant that cannot be NULL where
   * reference inputs are declared, Circle's remove_diagonal, so that call has no other reading).
   */
  private static boolean referenceForm(List<Expression> args) {
    if (args.size() < 3 || !args.get(2).resolved()) {
      return false;
    }
    DataType third = args.get(2).dataType();
    if (third instanceof ArrayType) {
      return true;
    }
    if (third instanceof NullType && args.size() >= 4 && args.get(3).resolved()) {
      DataType fourth = args.get(3).dataType();
      return fourth instanceof ArrayType || fourth instanceof NullType;
    }
    return false;
  }
}
