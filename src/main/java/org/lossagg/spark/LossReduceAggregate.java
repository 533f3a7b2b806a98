package org.lossagg.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.reduce.Reduction;
import scala.collection.Seq;

/**
 * {@code loss_reduce(loss [, sample_weight [, reduction]])}: Keras' reduction of per-row loss
 * values over a table or group, as if the rows were one batch (see {@link LossValuesState} for how
 * weights and NULLs count). The sums are exact and the division happens once, in double
 * (float64), so the result is bit-identical for any partitioning and row order; it is NULL when no
 * row has a non-NULL loss.
 */
public final class LossReduceAggregate extends LossValuesAggregate {
  static final String NAME = "loss_reduce";
  static final String ALLOWED = "'sum_over_batch_size' (the default), 'sum', 'mean', 'mean_with_sample_weight'";

  private final String reduction;

  /** The node Spark builds and copies; {@code reduction} is a Keras reduction name other than none. */
  public LossReduceAggregate(String reduction, Seq<Expression> children, List<String> argNames,
      int mutableAggBufferOffset, int inputAggBufferOffset) {
    super(children, argNames, mutableAggBufferOffset, inputAggBufferOffset);
    this.reduction = reduction;
  }

  /** Validates the reduction name (an AnalysisException listing the allowed ones otherwise). */
  static LossReduceAggregate create(Expression loss, Expression weight, String reduction) {
    String r = parse(reduction).kerasName();
    Seq<Expression> children = weight == null ? seq(loss) : seq(loss, weight);
    return new LossReduceAggregate(r, children, names(children), 0, 0);
  }

  static Reduction parse(String name) {
    Reduction r;
    try {
      r = Reduction.parse(name);
    } catch (IllegalArgumentException e) {
      throw AggregateInputs.analysisError(NAME + ": argument 3 (reduction) got '" + name + "'; allowed: " + ALLOWED);
    }
    if (r == Reduction.NONE) {
      throw AggregateInputs.analysisError(NAME + ": argument 3 (reduction) got '" + name.toLowerCase(Locale.ROOT)
          + "', which keeps one value per row: the loss column already is that; allowed: " + ALLOWED);
    }
    return r;
  }

  @Override
  protected Object[] constants() {
    return new Object[] {reduction};
  }

  @Override
  protected LossReduceAggregate copy(Seq<Expression> children, List<String> argNames, int mutableOffset, int inputOffset) {
    return new LossReduceAggregate(reduction, children, argNames, mutableOffset, inputOffset);
  }

  @Override
  protected List<String> sqlConstantsBefore() {
    return List.of();
  }

  @Override
  List<String> sqlConstantsAfter() {
    return List.of(Literal.create(reduction, DataTypes.StringType).sql());
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public DataType dataType() {
    return DataTypes.DoubleType;
  }

  @Override
  public Object eval(LossValuesState state) {
    return state.lossRows == 0 ? null : (Object) state.accumulator().result(Reduction.parse(reduction));
  }
}
