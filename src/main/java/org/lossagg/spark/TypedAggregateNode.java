package org.lossagg.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.aggregate.ImperativeAggregate;
import org.apache.spark.sql.catalyst.expressions.aggregate.TypedImperativeAggregate;
import org.lossagg.spark.shim.LineAggregate;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * A {@link TypedImperativeAggregate} node that holds its children and its two buffer offsets, and
 * makes every copy Catalyst asks for (new offsets, new children) through one {@link #copy}: the
 * plumbing lossagg's SQL aggregates ({@link LossAggregateFunction}) and the jobs' aggregates share.
 * Public for {@code org.lossagg.jobs}.
 *
 * @param <T> the aggregation buffer
 */
public abstract class TypedAggregateNode<T> extends LineAggregate<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final scala.collection.immutable.Seq<Expression> children;
  private final List<Expression> childList;
  private final int mutableAggBufferOffset;
  private final int inputAggBufferOffset;

  protected TypedAggregateNode(Seq<Expression> children, int mutableAggBufferOffset, int inputAggBufferOffset) {
    this.childList = List.copyOf(JavaConverters.seqAsJavaList(children));
    this.children = JavaConverters.asScalaBuffer(childList).toList();
    this.mutableAggBufferOffset = mutableAggBufferOffset;
    this.inputAggBufferOffset = inputAggBufferOffset;
  }

  /** This aggregate with other children or buffer offsets (its own constants kept). */
  protected abstract TypedAggregateNode<T> copy(Seq<Expression> children, int mutableAggBufferOffset,
      int inputAggBufferOffset);

  /** The children as a Java list. */
  protected final List<Expression> args() {
    return childList;
  }

  @Override
  public final scala.collection.immutable.Seq<Expression> children() {
    return children;
  }

  @Override
  public final int mutableAggBufferOffset() {
    return mutableAggBufferOffset;
  }

  @Override
  public final int inputAggBufferOffset() {
    return inputAggBufferOffset;
  }

  @Override
  public final ImperativeAggregate withNewMutableAggBufferOffset(int newOffset) {
    return copy(children, newOffset, inputAggBufferOffset);
  }

  @Override
  public final ImperativeAggregate withNewInputAggBufferOffset(int newOffset) {
    return copy(children, mutableAggBufferOffset, newOffset);
  }

  @Override
  protected final Expression withNewChildList(List<Expression> newChildren) {
    return copy(JavaConverters.asScalaBuffer(newChildren).toList(), mutableAggBufferOffset, inputAggBufferOffset);
  }
}
