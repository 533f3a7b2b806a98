package org.lossagg.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.Reduction;
import scala.collection.Seq;

/**
 * {@code loss_summary(loss [, sample_weight])}: in one pass, the sums and counts Keras' reductions
 * are made of and every reduction, as a struct. Rows count as in {@code loss_reduce} (see
 * {@link LossValuesState}); the doubles are NULL when no row has a non-NULL loss, weight_sum also
 * without weights.
 */
public final class LossSummaryAggregate extends LossValuesAggregate {
  static final String NAME = "loss_summary";

  static final StructType TYPE = new StructType(new StructField[] {
      DataTypes.createStructField("weighted_sum", DataTypes.DoubleType, true),
      DataTypes.createStructField("element_count", DataTypes.LongType, false),
      DataTypes.createStructField("weight_sum", DataTypes.DoubleType, true),
      DataTypes.createStructField("masked_count", DataTypes.LongType, false),
      DataTypes.createStructField("sum", DataTypes.DoubleType, true),
      DataTypes.createStructField("sum_over_batch_size", DataTypes.DoubleType, true),
      DataTypes.createStructField("mean", DataTypes.DoubleType, true),
      DataTypes.createStructField("mean_with_sample_weight", DataTypes.DoubleType, true)});

  /** The node Spark builds and copies: children are the loss and optionally the sample weights. */
  public LossSummaryAggregate(Seq<Expression> children, List<String> argNames, int mutableAggBufferOffset,
      int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
  }

  static LossSummaryAggregate create(Expression loss, Expression weight) {
    Seq<Expression> children = weight == null ? seq(loss) : seq(loss, weight);
    return new LossSummaryAggregate(children, names(children), 0, 0);
  }

  @Override
  protected Object[] constants() {
    return new Object[0];
  }

  @Override
  protected LossSummaryAggregate copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new LossSummaryAggregate(children, argNames, mutableOffset, inputOffset);
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of();
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public DataType dataType() {
    return TYPE;
  }

  @Override
  public Object eval(LossValuesState state) {
    LossAccumulator acc = state.accumulator();
    boolean any = state.lossRows > 0;
    boolean weighted = args().size() > 1;
    return new GenericInternalRow(new Object[] {
        any ? acc.weightedSum() : null,
        acc.elementCount(),
        any && weighted ? acc.weightSum() : null,
        acc.maskedCount(),
        any ? acc.result(Reduction.SUM) : null,
        any ? acc.result(Reduction.SUM_OVER_BATCH_SIZE) : null,
        any ? acc.result(Reduction.MEAN) : null,
        any ? acc.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT) : null});
  }
}
