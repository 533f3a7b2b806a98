package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.losses.LossAggregation;
import org.lossagg.numerics.DType;
import org.lossagg.reduce.Reduction;
import scala.collection.Seq;

/**
 * {@code keras_loss} under every Keras reduction at once, from one aggregation state: a struct of
 * {@code sum_over_batch_size, sum, mean, mean_with_sample_weight} (each exactly what
 * {@code keras_loss} with that reduction gives; NULL when no row counted), {@code rows} (rows that
 * counted) and {@code skipped_rows} (rows left out because y_true or y_pred is NULL). For reports
 * that show every reduction without computing the loss four times; Java/Scala only, through
 * {@link LossAggregates#kerasLossReductions}.
 */
public final class KerasLossReductions extends KerasLossAggregate {
  /** The reductions, in struct order. */
  public static final List<Reduction> REDUCTIONS = List.of(Reduction.SUM_OVER_BATCH_SIZE, Reduction.SUM,
      Reduction.MEAN, Reduction.MEAN_WITH_SAMPLE_WEIGHT);

  /** The node Spark builds and copies; see {@link KerasLossAggregate}. */
  public KerasLossReductions(String config, boolean keras2, Seq<Expression> children, List<String> argNames,
      int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(config, keras2, children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  static KerasLossReductions create(String config, boolean keras2, Expression yTrue, Expression yPred,
      Expression weight) {
    KerasLossAggregate checked = KerasLossAggregate.create(config, keras2, yTrue, yPred, weight);
    return new KerasLossReductions(config, keras2, checked.children(), checked.argNames(), 0, 0);
  }

  @Override
  protected KerasLossReductions copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new KerasLossReductions(config(), keras2(), children, argNames, mutableOffset, inputOffset);
  }

  @Override
  public String prettyName() {
    return "keras_loss_reductions";
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public DataType dataType() {
    return resultType(loss().dtype());
  }

  /** The result struct for a loss of {@code dtype}. */
  static StructType resultType(DType dtype) {
    DataType value = dtype == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
    StructField[] fields = new StructField[REDUCTIONS.size() + 2];
    for (int i = 0; i < REDUCTIONS.size(); i++) {
      fields[i] = DataTypes.createStructField(REDUCTIONS.get(i).kerasName(), value, true);
    }
    fields[REDUCTIONS.size()] = DataTypes.createStructField("rows", DataTypes.LongType, false);
    fields[REDUCTIONS.size() + 1] = DataTypes.createStructField("skipped_rows", DataTypes.LongType, false);
    return new StructType(fields);
  }

  @Override
  public Object eval(State state) {
    return result(state.aggregation(), state.rows(), state.nullRows, loss().dtype());
  }

  /** The result struct of a state with {@code rows} rows added and {@code nullRows} left out. */
  static InternalRow result(LossAggregation aggregation, long rows, long nullRows, DType dtype) {
    Object[] values = new Object[REDUCTIONS.size() + 2];
    boolean float32 = dtype == DType.FLOAT32;
    for (int i = 0; i < REDUCTIONS.size() && rows > 0; i++) {
      double v = aggregation.result(REDUCTIONS.get(i));
      values[i] = float32 ? (Object) (float) v : (Object) v;
    }
    values[REDUCTIONS.size()] = rows;
    values[REDUCTIONS.size() + 1] = nullRows;
    return new GenericInternalRow(values);
  }
}
