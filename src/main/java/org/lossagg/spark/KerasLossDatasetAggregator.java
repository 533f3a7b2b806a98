package org.lossagg.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.losses.StatePreamble;
import org.lossagg.numerics.NdArray;

/**
 * {@code keras_loss} as a typed {@link Aggregator} for the Dataset API: Keras' class form of a
 * loss over a {@code Dataset<PredictionRow>} (or each group of it) as one batch, exact for any
 * partitioning and row order. Each example is added as a batch of one; the result is the loss'
 * value as a Double (a float32 loss gives its float32 value exactly), or null when no example has
 * both actual and predicted values.
 *
 * <pre>{@code
 * Dataset<PredictionRow> ds = df.as(Encoders.bean(PredictionRow.class));
 * Double bce = ds.select(KerasLossDatasetAggregator.of(BinaryCrossentropy.builder().build()).toColumn()).first();
 * }</pre>
 *
 * <p>The buffer is the loss' mergeable state, kept as an object while rows are added and written
 * as its compact {@link LossAggregation#toBytes()} behind the loss' {@link StatePreamble} (inside
 * Java serialization) only when Spark moves it between executors or into a state store.
 */
public class KerasLossDatasetAggregator extends Aggregator<PredictionRow, KerasLossDatasetAggregator.Buffer, Double> {
  private static final long serialVersionUID = 1L;

  private final LossRecipe recipe;
  private final boolean weighted;

  KerasLossDatasetAggregator(Loss loss, boolean weighted) {
    this.recipe = LossRecipe.of(loss);
    this.weighted = weighted;
  }

  /** The loss over y_true and y_pred; sample weights are not read. */
  public static KerasLossDatasetAggregator of(Loss loss) {
    return new KerasLossDatasetAggregator(loss, false);
  }

  /** The loss with every example's sample weight (a null weight is an error). */
  public static KerasLossDatasetAggregator weighted(Loss loss) {
    return new KerasLossDatasetAggregator(loss, true);
  }

  private Loss loss() {
    return recipe.aggregatedLoss();
  }

  private StatePreamble preamble() {
    return recipe.statePreamble();
  }

  /** The class users name, to start errors (the deprecated {@code KerasLossAggregator} says its own name). */
  private String aggregatorName() {
    return getClass().getSimpleName();
  }

  @Override
  public Buffer zero() {
    return new Buffer();
  }

  @Override
  public Buffer reduce(Buffer b, PredictionRow e) {
    if (e.getActual() == null || e.getPredicted() == null) {
      return b;
    }
    NdArray w = null;
    if (weighted) {
      if (e.getWeight() == null) {
        throw new IllegalArgumentException(aggregatorName() + "(" + loss().spec().className() + "): weight is null in "
            + e + "; a weighted aggregator needs a weight for every example with actual and predicted values");
      }
      w = NdArray.of(new double[] {e.getWeight()}, 1);
    }
    double[] t = e.getActual();
    double[] p = e.getPredicted();
    b.state(loss(), preamble(), aggregatorName()).add(NdArray.of(t.clone(), 1, t.length), NdArray.of(p.clone(), 1, p.length), w, null);
    b.rows++;
    return b;
  }

  @Override
  public Buffer merge(Buffer a, Buffer b) {
    a.state(loss(), preamble(), aggregatorName()).merge(b.state(loss(), preamble(), aggregatorName()));
    a.rows += b.rows;
    return a;
  }

  @Override
  public Double finish(Buffer b) {
    return b.rows == 0 ? null : b.state(loss(), preamble(), aggregatorName()).result();
  }

  @Override
  public Encoder<Buffer> bufferEncoder() {
    return Encoders.javaSerialization(Buffer.class);
  }

  @Override
  public Encoder<Double> outputEncoder() {
    return Encoders.DOUBLE();
  }

  /** The aggregation buffer: the loss state (restored lazily after a move) and the row count. */
  public static final class Buffer implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient LossAggregation state;
    private transient StatePreamble preamble;
    private transient byte[] pending;
    private long rows;

    Buffer() {}

    /** A buffer moved here: {@code rows}, and the state's bytes ({@link #writeObject}) or null. */
    Buffer(long rows, byte[] pending) {
      this.rows = rows;
      this.pending = pending;
    }

    /**
     * The state, restored on first use after a move: {@code preamble} (the loss') checks that the
     * moved bytes are this loss' state; bytes without a preamble (earlier lossagg) are read as is.
     * {@code aggregator} names the aggregator in errors.
     */
    LossAggregation state(Loss loss, StatePreamble preamble, String aggregator) {
      if (state == null) {
        if (pending == null) {
          state = loss.newAggregation();
        } else {
          int at = StatePreamble.starts(pending) ? preamble.bodyOffset(pending, aggregator) : 0;
          state = loss.aggregationFromBytes(Arrays.copyOfRange(pending, at, pending.length));
        }
        pending = null;
      }
      this.preamble = preamble;
      return state;
    }

    /** The row count, then the state's length and bytes: the loss' {@link StatePreamble} and {@link LossAggregation#toBytes()}. */
    private void writeObject(ObjectOutputStream out) throws IOException {
      out.writeLong(rows);
      byte[] bytes = pending;
      if (state != null) {
        byte[] body = state.toBytes();
        bytes = preamble.writeTo(ByteBuffer.allocate(preamble.length() + body.length)).put(body).array();
      }
      out.writeInt(bytes == null ? -1 : bytes.length);
      if (bytes != null) {
        out.write(bytes);
      }
    }

    private void readObject(ObjectInputStream in) throws IOException {
      rows = in.readLong();
      pending = readState(in);
    }

    /** The state's length and bytes as {@link #writeObject} writes them (null for -1). */
    static byte[] readState(ObjectInputStream in) throws IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }
  }
}
