package org.lossagg.spark;

import static org.lossagg.spark.shim.Columns.column;
import static org.lossagg.spark.shim.Columns.expression;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.Loss;

/**
 * Column functions for the Java/Scala DataFrame API, driven by the catalogue rather than one method
 * per loss:
 *
 * <pre>{@code
 * Loss bce = BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.1).build();
 * df.select(LossColumns.perRow(bce, col("y"), col("logits")));          // loss_binary_crossentropy(y, logits, true, 0.1)
 * df.select(LossColumns.perRow("{\"class_name\": \"Huber\", \"config\": {\"delta\": 2.0}}", col("y"), col("p")));
 * df.select(LossColumns.call("loss_huber", col("y"), col("p"), lit(2.0)));   // any lossagg SQL function by name
 * }</pre>
 *
 * The per-row Columns are Keras' functional form on each row, exactly as the SQL functions
 * {@code loss_<name>} compute it (the loss' own dtype and reduction play no part; the compute dtype
 * follows y_pred). Their type errors surface when the DataFrame is analysed.
 */
public final class LossColumns {
  private LossColumns() {}

  /** The per-row values of {@code loss} (any catalogue loss, as configured by its builder). */
  public static Column perRow(Loss loss, Column yTrue, Column yPred) {
    return column(RowLoss.of(loss, List.of(expression(yTrue), expression(yPred))));
  }

  /**
   * The per-row values of the loss a Keras identifier ({@code "mse"}, {@code "BinaryCrossentropy"})
   * or a Keras JSON config names.
   */
  public static Column perRow(String kerasConfig, Column yTrue, Column yPred) {
    return perRow(KerasLossConfig.fromJson(kerasConfig), yTrue, yPred);
  }

  /**
   * The per-row values of a loss with reference inputs ({@link org.lossagg.losses.LossSpec#referenceArgs()})
   * against explicit reference rows, e.g. Circle's {@code keras.losses.circle(y_true, y_pred,
   * ref_labels, ref_embeddings, ...)}, for which the loss must have {@code removeDiagonal(false)}
   * since a row is a batch of one.
   */
  public static Column perRow(Loss loss, Column yTrue, Column yPred, Column... references) {
    List<Expression> data = new ArrayList<>(List.of(expression(yTrue), expression(yPred)));
    for (Column r : references) {
      data.add(expression(r));
    }
    return column(RowLoss.of(loss, data));
  }

  /** A call of any registered lossagg SQL function, e.g. {@code call("loss_huber", y, p, lit(2.0))}. */
  public static Column call(String sqlName, Column... args) {
    return functions.call_function(sqlName, args);
  }
}
