package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.junit.jupiter.api.Test;

class WorstRowsTest {
  private static final Double[] LOSSES = {null, Double.NaN, Double.POSITIVE_INFINITY, 2.0, 1.0, 0.0, -0.0,
      Double.MIN_VALUE, -1.0, Double.NEGATIVE_INFINITY};

  /** mayKeep (primitives kept per change of the heap) against compareLoss with the next row to drop. */
  @Test
  void mayKeepIsTheLossOrderAgainstTheNextRowToDropForEverySpecialValue() {
    int checked = 0;
    for (Double a : LOSSES) {
      for (Double b : LOSSES) {
        for (Double c : LOSSES) {
          WorstRows rows = new WorstRows(2, (x, y) -> 0);
          for (Double v : Arrays.asList(a, b, c)) {
            rows.offer(new WorstRows.Entry(v, new UnsafeRow(0)));
          }
          List<WorstRows.Entry> kept = new ArrayList<>(rows.ranked());
          Double last = kept.get(1).loss();
          for (Double x : LOSSES) {
            boolean want = WorstRows.compareLoss(x, last) <= 0;
            assertEquals(want, rows.mayKeep(x == null, x == null ? 0.0 : x),
                "candidate " + x + " against kept " + kept.stream().map(WorstRows.Entry::loss).toList());
            checked++;
          }
        }
      }
    }
    assertEquals(10_000, checked);
  }
}
