package org.lossagg.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.plans.physical.AllTuples$;
import org.apache.spark.sql.catalyst.plans.physical.Distribution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataType;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The final half of a fused {@code keras_loss} aggregation: all partial rows of
 * {@link FusedKerasLossExec} in one partition (Spark inserts the exchange), merged exactly, and
 * one row of results, each the aggregate's own {@code eval} (NULL when no row counted, also for
 * an empty table).
 */
public final class FusedKerasLossMergeExec extends FusedUnaryExec {
  private static final long serialVersionUID = 1L;


  public FusedKerasLossMergeExec(SparkPlan child, Seq<Attribute> output, FusedKerasLosses losses) {
    super(child, output, losses);
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.IndexedSeq<SparkPlan> newChildren) {
    return new FusedKerasLossMergeExec(newChildren.apply(0), output, losses);
  }

  @Override
  public Seq<Distribution> requiredChildDistribution() {
    return JavaConverters.asScalaBuffer(List.<Distribution>of(AllTuples$.MODULE$)).toList();
  }

  @Override
  Object[] product() {
    return new Object[] {child, output, losses};
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return child.execute().mapPartitionsInternal(new MergePartition(losses, output), false,
        ClassTag$.MODULE$.apply(InternalRow.class));
  }

  private static final class MergePartition extends AbstractFunction1<Iterator<InternalRow>, Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FusedKerasLosses losses;
    private final Seq<Attribute> output;

    MergePartition(FusedKerasLosses losses, Seq<Attribute> output) {
      this.losses = losses;
      this.output = output;
    }

    @Override
    public Iterator<InternalRow> apply(Iterator<InternalRow> partials) {
      KerasLossAggregate.State[] states = losses.newStates();
      while (partials.hasNext()) {
        losses.merge(states, partials.next());
      }
      UnsafeProjection toUnsafe = UnsafeProjection.create(
          JavaConverters.seqAsJavaList(output).stream().map(Attribute::dataType).toArray(DataType[]::new));
      return scala.collection.Iterator$.MODULE$.single(toUnsafe.apply(losses.resultRow(states)).copy());
    }
  }
}
