package org.lossagg.bench;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A contender that is one SQL aggregate over the source, after optional projection stages (for
 * values a hand-written query computes once per row, such as a row maximum).
 */
final class SqlContender implements Contender {
  /** float32 rounding of every intermediate against float64 SQL: a few ulp of float32 on the mean. */
  static final double FLOAT32_RTOL = 1e-5;

  private final Peer peer;
  private final List<String[]> stages;
  private final String aggregate;
  private final double rtol;

  private SqlContender(Peer peer, List<String[]> stages, String aggregate, double rtol) {
    this.peer = peer;
    this.stages = stages;
    this.aggregate = aggregate;
    this.rtol = rtol;
  }

  static SqlContender of(Peer peer, String aggregate) {
    return new SqlContender(peer, List.of(), aggregate, peer == Peer.SCAN_FLOOR ? Double.NaN : FLOAT32_RTOL);
  }

  static SqlContender staged(Peer peer, List<String[]> stages, String aggregate) {
    return new SqlContender(peer, stages, aggregate, FLOAT32_RTOL);
  }

  @Override
  public Peer peer() {
    return peer;
  }

  @Override
  public String describe() {
    String from = "source";
    for (String[] stage : stages) {
      from = "(SELECT " + String.join(", ", stage) + " FROM " + from + ")";
    }
    return "SELECT " + aggregate + " FROM " + from;
  }

  @Override
  public Outcome run(Dataset<Row> source, long rows) {
    Dataset<Row> d = source;
    for (String[] stage : stages) {
      d = d.selectExpr(stage);
    }
    Object v = d.selectExpr(aggregate).first().get(0);
    if (v == null) {
      throw new IllegalStateException(peer.label + ": " + aggregate + " returned NULL over " + rows + " rows");
    }
    return new Outcome(((Number) v).doubleValue(), rows);
  }

  @Override
  public double tolerance(long rows) {
    return rtol;
  }
}
