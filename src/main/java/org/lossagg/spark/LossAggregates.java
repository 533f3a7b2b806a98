package org.lossagg.spark;

import static org.lossagg.spark.shim.Columns.column;
import static org.lossagg.spark.shim.Columns.expression;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.lossagg.losses.Loss;
import org.lossagg.reduce.Reduction;

/**
 * The aggregates as Columns for the DataFrame API, mirroring the SQL functions:
 *
 * <pre>{@code
 * Loss bce = BinaryCrossentropy.builder().fromLogits(true).build();
 * df.groupBy("model").agg(LossAggregates.kerasLoss(bce, col("label"), col("logit"), col("weight")));
 * df.agg(LossAggregates.lossReduce(col("loss"), col("w"), Reduction.MEAN_WITH_SAMPLE_WEIGHT));
 * }</pre>
 *
 * Argument types are checked when the plan is analysed (a wrong type is an AnalysisException
 * naming the function and the argument); the loss or config is checked here. The functions need no
 * registration in the session.
 */
public final class LossAggregates {
  private LossAggregates() {}

  /**
   * {@code keras_loss} for a loss built in Java: its options, reduction, dtype and {@code keras2}
   * switch carry over. Reduction none is refused (use the per-row function).
   */
  public static Column kerasLoss(Loss loss, Column yTrue, Column yPred) {
    return kerasLoss(loss, yTrue, yPred, null);
  }

  /** {@link #kerasLoss(Loss, Column, Column)} with sample weights (null for none). */
  public static Column kerasLoss(Loss loss, Column yTrue, Column yPred, Column sampleWeight) {
    LossRecipe r = LossRecipe.of(loss);
    return aggregate(KerasLossAggregate.create(r.config(), r.keras2(), expression(yTrue), expression(yPred),
        sampleWeight == null ? null : expression(sampleWeight)));
  }

  /**
   * {@link #kerasLoss(Loss, Column, Column, Column)} under every Keras reduction from one pass: a
   * struct {@code sum_over_batch_size, sum, mean, mean_with_sample_weight, rows, skipped_rows}
   * (see {@link KerasLossReductions}); the loss' own reduction plays no part. Weights null for none.
   */
  public static Column kerasLossReductions(Loss loss, Column yTrue, Column yPred, Column sampleWeight) {
    LossRecipe r = LossRecipe.of(loss);
    return aggregate(KerasLossReductions.create(r.config(), r.keras2(), expression(yTrue), expression(yPred),
        sampleWeight == null ? null : expression(sampleWeight)));
  }

  /**
   * {@link #kerasLossReductions} from the loss' per-row values, for inputs it
   * {@link KerasLossRowValueReductions#takes}: {@code rowValue} the per-row function on y_true and y_pred
   * cast to the loss dtype, {@code yPredWidth} the length of an array y_pred (0 for a number), the
   * weights null for none. The same struct, bit for bit, without computing the loss a second time.
   */
  public static Column kerasLossReductionsOfRowValues(Loss loss, Column rowValue, Column yPredWidth,
      Column sampleWeight) {
    return aggregate(KerasLossRowValueReductions.create(loss, expression(rowValue), expression(yPredWidth),
        sampleWeight == null ? null : expression(sampleWeight)));
  }

  /** {@code keras_loss(config, y_true, y_pred)}: a Keras identifier or JSON config, as in SQL. */
  public static Column kerasLoss(String config, Column yTrue, Column yPred) {
    return kerasLoss(config, yTrue, yPred, null);
  }

  /** {@code keras_loss(config, y_true, y_pred, sample_weight)} (null weights for none). */
  public static Column kerasLoss(String config, Column yTrue, Column yPred, Column sampleWeight) {
    return aggregate(KerasLossAggregate.create(AggregateSqlFunctions.sessionVersioned(config), false, expression(yTrue), expression(yPred),
        sampleWeight == null ? null : expression(sampleWeight)));
  }

  /** {@code loss_reduce(loss)}: sum_over_batch_size. */
  public static Column lossReduce(Column loss) {
    return lossReduce(loss, null, Reduction.SUM_OVER_BATCH_SIZE);
  }

  /** {@code loss_reduce(loss, sample_weight)}: sum_over_batch_size (null weights for none). */
  public static Column lossReduce(Column loss, Column sampleWeight) {
    return lossReduce(loss, sampleWeight, Reduction.SUM_OVER_BATCH_SIZE);
  }

  /** {@code loss_reduce(loss, sample_weight, reduction)} (null weights for none). */
  public static Column lossReduce(Column loss, Column sampleWeight, Reduction reduction) {
    return lossReduce(loss, sampleWeight, reduction.kerasName());
  }

  /** {@code loss_reduce(loss, sample_weight, reduction)} with the reduction by its Keras name. */
  public static Column lossReduce(Column loss, Column sampleWeight, String reduction) {
    return aggregate(LossReduceAggregate.create(expression(loss), sampleWeight == null ? null : expression(sampleWeight), reduction));
  }

  /** {@code loss_summary(loss)}. */
  public static Column lossSummary(Column loss) {
    return lossSummary(loss, null);
  }

  /** {@code loss_summary(loss, sample_weight)} (null weights for none). */
  public static Column lossSummary(Column loss, Column sampleWeight) {
    return aggregate(LossSummaryAggregate.create(expression(loss), sampleWeight == null ? null : expression(sampleWeight)));
  }

  private static Column aggregate(LossAggregateFunction<?> f) {
    return column((Expression) f.toAggregateExpression());
  }
}
