package org.lossagg.jobs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.SQLOrderingUtil;

/**
 * The {@code n} first rows of one slice in worst-row order, kept in a bounded heap: the per-row loss
 * descending (NULLs last; NaN first, as Spark orders doubles), then the input's orderable columns
 * ascending with NULLs last (Spark's ordering of each type), so the rows do not depend on partitioning.
 * This is the order of {@code ORDER BY row_loss DESC NULLS LAST, col1 ASC NULLS LAST, ...}; a state
 * merges with another by offering it the other's rows.
 */
final class WorstRows {
  /** A row: its per-row loss (null for a masked row) and its input columns. */
  record Entry(Double loss, UnsafeRow columns) {}

  private final int n;
  private final Comparator<Entry> order;
  /** The kept rows, the last in worst-row order at the head (the next to drop). */
  private final PriorityQueue<Entry> heap;
  private boolean lastNull;
  private double lastLoss;
  private boolean lastNaN;

  /** {@code columnOrder} orders the input columns (ascending, NULLs last) after the loss. */
  WorstRows(int n, Comparator<? super UnsafeRow> columnOrder) {
    this.n = n;
    Comparator<Entry> byLoss = (a, b) -> compareLoss(a.loss(), b.loss());
    this.order = byLoss.thenComparing(Entry::columns, columnOrder);
    this.heap = new PriorityQueue<>(Math.max(1, n), order.reversed());
  }

  /** Negative when loss {@code a} comes first in worst-row order: descending, NULLs last. */
  static int compareLoss(Double a, Double b) {
    return compareLoss(a == null, a == null ? 0.0 : a, b);
  }

  /** {@link #compareLoss(Double, Double)} with {@code a} as a primitive (NULL: {@code aNull}). */
  private static int compareLoss(boolean aNull, double a, Double b) {
    if (aNull || b == null) {
      return aNull ? (b == null ? 0 : 1) : -1;
    }
    return -SQLOrderingUtil.compareDoubles(a, b);
  }

  /** Keeps the row if it is among the first {@code n}; {@code columns} must not be reused by the caller. */
  void offer(Entry row) {
    if (heap.size() < n) {
      heap.add(row);
    } else if (order.compare(row, heap.peek()) < 0) {
      heap.poll();
      heap.add(row);
    } else {
      return;
    }
    noteLast();
  }

  /**
   * Whether a row with this loss ({@code lossNull}: a masked row) may be kept: the heap is not full,
   * or its loss comes before or ties with the next row to drop (a tie is decided by the columns).
   */
  boolean mayKeep(boolean lossNull, double loss) {
    if (heap.size() < n) {
      return true;
    }
    // compareLoss(lossNull, loss, last) <= 0 on primitives kept since the heap last changed: NULLs
    // tie only with NULLs and come after any number; NaN comes first; -0.0 ties with 0.0.
    if (lossNull || lastNull) {
      return !lossNull || lastNull;
    }
    return lastNaN ? Double.isNaN(loss) : !(loss < lastLoss);
  }

  /** The loss of the next row to drop, read once per change of the heap ({@link #mayKeep}). */
  private void noteLast() {
    Double last = heap.isEmpty() ? null : heap.peek().loss();
    lastNull = last == null;
    lastLoss = lastNull ? 0.0 : last;
    lastNaN = Double.isNaN(lastLoss);
  }

  /**
   * Whether a row with this loss ({@code lossNull}: a masked row) would be kept ({@link #offer} would keep it). Its columns are
   * compared, by {@code columnsVsNextToDrop} (negative when the row's columns come first), only when
   * its loss ties with the next row to drop, so a caller reads them only for such ties.
   */
  boolean wouldKeep(boolean lossNull, double loss, ToIntFunction<UnsafeRow> columnsVsNextToDrop) {
    if (heap.size() < n) {
      return true;
    }
    Entry last = heap.peek();
    int c = compareLoss(lossNull, loss, last.loss());
    return c < 0 || (c == 0 && columnsVsNextToDrop.applyAsInt(last.columns()) < 0);
  }

  void merge(WorstRows other) {
    for (Entry e : other.heap) {
      offer(e);
    }
  }

  /** The kept rows, first (worst) first. */
  List<Entry> ranked() {
    List<Entry> rows = new ArrayList<>(heap);
    rows.sort(order);
    return rows;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(heap.size());
    for (Entry e : heap) {
      out.writeBoolean(e.loss() != null);
      out.writeDouble(e.loss() == null ? 0.0 : e.loss());
      byte[] bytes = e.columns().getBytes();
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  /** Reads back rows written by {@link #write}; {@code columns} is the number of input columns. */
  void readFrom(DataInputStream in, int columns) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      boolean hasLoss = in.readBoolean();
      double loss = in.readDouble();
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      UnsafeRow row = new UnsafeRow(columns);
      row.pointTo(bytes, bytes.length);
      offer(new Entry(hasLoss ? loss : null, row));
    }
  }
}
