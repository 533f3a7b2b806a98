package org.lossagg.spark;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.lossagg.losses.StatePreamble;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.RowShape;

/**
 * The buffer of {@code loss_reduce} and {@code loss_summary}: the core's exact
 * {@link LossAccumulator} over per-row loss values, and the number of rows that had a loss.
 *
 * <p>This class only adapts Spark values: a row's loss (a number, or an array whose NULL elements
 * are a Keras mask) and weight (a number, or one per element) go to
 * {@link LossAccumulator#addRow}, which applies Keras' rules for a batch of one. A NULL loss is one
 * masked element and needs no weight.
 */
public final class LossValuesState {
  /** Number rows a batch holds before it enters the accumulator. */
  static final int BATCH = 512;

  private final LossAccumulator accumulator;
  /** Rows whose loss was not NULL. */
  long lossRows;
  /**
   * Number rows not yet in the accumulator ({@link #addNumber}): their losses and, when weighted,
   * weights. They enter together, in a tight loop ({@link #flush}); the sums are exact, so batch
   * boundaries change no bit. Every read goes through {@link #accumulator()}, which flushes.
   */
  private double[] batchValues;
  private double[] batchWeights;
  private int batchCount;
  /** The shape of array losses: rows of per-element losses of different lengths have no Keras batch. */
  private final RowShape rowShape;

  LossValuesState() {
    this(new LossAccumulator(), new RowShape());
  }

  private LossValuesState(LossAccumulator accumulator, RowShape rowShape) {
    this.accumulator = accumulator;
    this.rowShape = rowShape;
  }

  /**
   * Adds one input row; {@code weight} is null without a weight argument. {@code function} and
   * {@code names} (the SQL text of loss and weight) name the function and columns in errors.
   */
  void add(String function, Expression loss, Expression weight, List<String> names, InternalRow input) {
    Object lv = loss.eval(input);
    if (lv == null) {
      accumulator.addMasked();
      return;
    }
    double w = 1.0;
    AggregateInputs.Value weights = null;
    if (weight != null) {
      Object wv = weight.eval(input);
      AggregateInputs.Arg warg = new AggregateInputs.Arg(function, 2, "sample_weight", names.get(1));
      if (wv == null) {
        throw nullWeight(warg);
      }
      if (AggregateInputs.depth(weight.dataType()) == 0) {
        w = AggregateInputs.scalar(wv, weight.dataType());
      } else {
        weights = AggregateInputs.read(wv, weight.dataType(), warg, false);
      }
    }
    lossRows++;
    if (AggregateInputs.depth(loss.dataType()) == 0) {
      double v = AggregateInputs.scalar(lv, loss.dataType());
      if (weight == null) {
        accumulator.addValue(v);
      } else {
        accumulator.addWeightedValue(v, w);
      }
      return;
    }
    AggregateInputs.Arg larg = new AggregateInputs.Arg(function, 1, "loss", names.get(0));
    AggregateInputs.Value values = AggregateInputs.read(lv, loss.dataType(), larg, true);
    rowShape.note(values.shape(), function, "loss");
    if (weights != null && !Arrays.equals(weights.shape(), values.shape())) {
      throw new IllegalArgumentException(function + ": argument 2 (sample_weight, " + names.get(1) + ") has shape " + Arrays.toString(weights.shape()) + " but the row's loss has shape "
          + Arrays.toString(values.shape()) + "; give one weight per row (a number) or one per loss element (same shape)");
    }
    if (weight == null) {
      accumulator.addRow(values.data(), values.valid());
    } else {
      accumulator.addRow(values.data(), values.valid(), w, weights == null ? null : weights.data());
    }
  }

  private static IllegalArgumentException nullWeight(AggregateInputs.Arg warg) {
    return new IllegalArgumentException(warg.describe() + " is NULL in a row whose loss is not NULL; give every "
        + "row with a loss a weight (0 leaves it out of the sums), or make its loss NULL to mask it");
  }

  /**
   * {@link #add} for a number loss and a number weight (or none), read by {@code columns} (loss
   * first): the same sums and counts, without boxing or per-row allocation.
   */
  void addScalar(String function, ScalarColumn[] columns, List<String> names, InternalRow input) {
    boolean lossNull = columns[0].isNull(input);
    boolean weighted = columns.length > 1;
    boolean weightNull = !lossNull && weighted && columns[1].isNull(input);
    addNumber(function, names, lossNull, lossNull ? 0.0 : columns[0].get(input), weighted, weightNull,
        lossNull || !weighted || weightNull ? 0.0 : columns[1].get(input));
  }

  /**
   * A row of a number loss (NULL: masked) and, when {@code weighted}, a number weight (NULL in a
   * row with a loss: the error {@link #add} raises).
   */
  void addNumber(String function, List<String> names, boolean lossNull, double v, boolean weighted, boolean weightNull,
      double w) {
    if (lossNull) {
      accumulator.addMasked();
      return;
    }
    if (weighted && weightNull) {
      throw nullWeight(new AggregateInputs.Arg(function, 2, "sample_weight", names.get(1)));
    }
    lossRows++;
    double[] values = batchValues;
    if (values == null) {
      values = new double[BATCH];
      batchValues = values;
      batchWeights = weighted ? new double[BATCH] : null;
    }
    int k = batchCount;
    values[k] = v;
    if (weighted) {
      batchWeights[k] = w;
    }
    if (++k == BATCH) {
      batchCount = 0;
      addBatch(BATCH);
    } else {
      batchCount = k;
    }
  }

  /**
   * {@link #addNumber} of {@code count} rows with a loss (and, when {@code weights} is not null, a
   * weight), none NULL: the same sums and counts, order being no part of them.
   */
  void addNumbers(double[] values, double[] weights, int count) {
    lossRows += count;
    if (weights == null) {
      accumulator.addValues(values, count);
    } else {
      accumulator.addWeightedValues(values, weights, count);
    }
  }

  private void addBatch(int count) {
    if (batchWeights == null) {
      accumulator.addValues(batchValues, count);
    } else {
      accumulator.addWeightedValues(batchValues, batchWeights, count);
    }
  }

  /** The accumulator with every row added so far (waiting number rows enter it first). */
  LossAccumulator accumulator() {
    int k = batchCount;
    if (k > 0) {
      batchCount = 0;
      addBatch(k);
    }
    return accumulator;
  }

  void merge(String function, LossValuesState other) {
    rowShape.merge(other.rowShape, function, "loss");
    accumulator().merge(other.accumulator());
    lossRows += other.lossRows;
  }

  /** The preamble of every loss_reduce / loss_summary state: they hold per-row loss values, of no one loss. */
  static final StatePreamble PREAMBLE = StatePreamble.of(StatePreamble.LOSS_VALUES,
      "per-row loss values (loss_reduce, loss_summary)");

  /**
   * {@link #PREAMBLE}, the row count (8 bytes), the length of {@link RowShape#toBytes()} (1) and it,
   * then {@link LossAccumulator#toBytes()}. The unversioned bytes of earlier lossagg have no preamble
   * and no row shape.
   */
  byte[] toBytes() {
    byte[] shape = rowShape.toBytes();
    byte[] acc = accumulator().toBytes();
    return PREAMBLE.writeTo(ByteBuffer.allocate(PREAMBLE.length() + 9 + shape.length + acc.length)).putLong(lossRows)
        .put((byte) shape.length).put(shape).put(acc).array();
  }

  /** Reads {@link #toBytes()}, and the unversioned bytes lossagg wrote before the preamble. */
  static LossValuesState fromBytes(String function, byte[] bytes) {
    int at = PREAMBLE.bodyOffset(bytes, function);
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes, at, bytes.length - at);
      long rows = buf.getLong();
      boolean unversioned = at == 0;
      int shapeEnd = unversioned ? at + 8 : at + 9 + (buf.get() & 0xFF);
      RowShape shape = unversioned ? new RowShape() : RowShape.fromBytes(Arrays.copyOfRange(bytes, at + 9, shapeEnd));
      LossValuesState s = new LossValuesState(LossAccumulator.fromBytes(Arrays.copyOfRange(bytes, shapeEnd, bytes.length)), shape);
      s.lossRows = rows;
      return s;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalArgumentException(function + ": corrupt aggregation buffer of " + bytes.length + " bytes: "
          + e.getMessage(), e);
    }
  }
}
