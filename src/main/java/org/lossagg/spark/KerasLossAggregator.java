package org.lossagg.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import org.lossagg.losses.Loss;

/**
 * The earlier name of {@link KerasLossDatasetAggregator}, kept so code written against it still
 * compiles and runs the same; its buffers are {@link KerasLossDatasetAggregator.Buffer}s.
 *
 * @deprecated use {@link KerasLossDatasetAggregator}, the same aggregator under a name that says it
 *     is for the Dataset API (and is not the SQL {@code keras_loss} node, {@link KerasLossAggregate}).
 */
@Deprecated
public final class KerasLossAggregator extends KerasLossDatasetAggregator {
  private static final long serialVersionUID = 1L;

  private KerasLossAggregator(Loss loss, boolean weighted) {
    super(loss, weighted);
  }

  /** @deprecated use {@link KerasLossDatasetAggregator#of}. */
  @Deprecated
  public static KerasLossAggregator of(Loss loss) {
    return new KerasLossAggregator(loss, false);
  }

  /** @deprecated use {@link KerasLossDatasetAggregator#weighted}. */
  @Deprecated
  public static KerasLossAggregator weighted(Loss loss) {
    return new KerasLossAggregator(loss, true);
  }

  /**
   * Reads buffers Java-serialized under this class' name (lossagg before the rename, as in
   * streaming state stores) into today's {@link KerasLossDatasetAggregator.Buffer}: the same row
   * count and state bytes.
   */
  @Deprecated
  static final class Buffer implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient long rows;
    private transient byte[] pending;

    private Buffer() {}

    private void readObject(ObjectInputStream in) throws IOException {
      rows = in.readLong();
      pending = KerasLossDatasetAggregator.Buffer.readState(in);
    }

    private Object readResolve() {
      return new KerasLossDatasetAggregator.Buffer(rows, pending);
    }
  }
}
