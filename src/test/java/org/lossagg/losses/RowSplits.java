package org.lossagg.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lossagg.numerics.NdArray;

/** Splits of a batch into contiguous row chunks, for the split-and-merge tests. */
final class RowSplits {
  private RowSplits() {}

  /** Random contiguous chunks [from, to) covering 0..b; with {@code singleRows}, one row each. */
  static List<int[]> random(Random rnd, int b, boolean singleRows) {
    List<int[]> out = new ArrayList<>();
    int from = 0;
    while (from < b) {
      int len = singleRows ? 1 : 1 + rnd.nextInt(b - from);
      out.add(new int[] {from, from + len});
      from += len;
    }
    return out;
  }

  /** Rows [range[0], range[1]) of a batch. */
  static NdArray rows(NdArray a, int[] range) {
    return a.rows(range[0], range[1]);
  }
}
