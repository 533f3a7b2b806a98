package org.lossagg.bench;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One loss computation and everyone who computes it.
 *
 * @param name short id used in the tables and the plot
 * @param title what is computed
 * @param rowDivisor rows = size / rowDivisor: wide rows (10 or 1,000 classes, CTC's 16×8 logits)
 *     get about as many values per size as the scalar workloads have rows
 * @param source the rows for a row count
 * @param contenders lossagg's fused aggregate first (the reference every other value is checked against)
 */
record Workload(String name, String title, long rowDivisor, SourceFactory source, List<Contender> contenders) {
  /** Builds a source of {@code rows} rows. */
  @FunctionalInterface
  interface SourceFactory {
    Dataset<Row> rows(long rows) throws Exception;
  }

  Workload {
    if (contenders.isEmpty() || contenders.get(0).peer() != Peer.FUSED) {
      throw new IllegalArgumentException("Workload " + name + ": the first contender must be lossagg's fused keras_loss");
    }
  }

  long rowsAt(long size) {
    return Math.max(1, size / rowDivisor);
  }

  Contender contender(Peer peer) {
    return contenders.stream().filter(c -> c.peer() == peer).findFirst().orElse(null);
  }
}
