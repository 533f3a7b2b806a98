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
  /** The grouping key expressions (GROUP BY), empty for one value over the table. */
  private final List<String> keys;
  /** Whether {@link #aggregate} is a per-row expression written to Spark's noop sink instead. */
  private final boolean rowSink;

  private SqlContender(Peer peer, List<String[]> stages, String aggregate, double rtol, List<String> keys,
      boolean rowSink) {
    this.peer = peer;
    this.stages = stages;
    this.aggregate = aggregate;
    this.rtol = rtol;
    this.keys = keys;
    this.rowSink = rowSink;
  }

  private SqlContender(Peer peer, List<String[]> stages, String aggregate, double rtol) {
    this(peer, stages, aggregate, rtol, List.of(), false);
  }

  /**
   * {@code SELECT keys..., aggregate FROM source GROUP BY keys...}; its value is the sum over the
   * groups (which the agreement check compares). Stages keep the key columns they name.
   */
  static SqlContender grouped(Peer peer, List<String> keys, List<String[]> stages, String aggregate) {
    return new SqlContender(peer, stages, aggregate, toleranceFor(peer), keys, false);
  }

  /** A per-row expression written to Spark's noop sink (no value to compare: NaN). */
  static SqlContender rowSink(Peer peer, String expression) {
    return new SqlContender(peer, List.of(), expression, Double.NaN, List.of(), true);
  }

  /** No value to compare for the scan floor and for an ungrouped query beside a grouped one. */
  private static double toleranceFor(Peer peer) {
    return peer == Peer.SCAN_FLOOR || peer == Peer.UNGROUPED ? Double.NaN : FLOAT32_RTOL;
  }

  static SqlContender of(Peer peer, String aggregate) {
    return new SqlContender(peer, List.of(), aggregate, toleranceFor(peer));
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
    if (rowSink) {
      return "SELECT " + aggregate + " FROM " + from + " -> write.format(\"noop\")";
    }
    String k = keys.isEmpty() ? "" : String.join(", ", keys) + ", ";
    return "SELECT " + k + aggregate + " FROM " + from + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
  }

  @Override
  public Outcome run(Dataset<Row> source, long rows) {
    Dataset<Row> d = source;
    for (String[] stage : stages) {
      d = d.selectExpr(stage);
    }
    if (rowSink) {
      d.selectExpr(aggregate + " AS l").write().format("noop").mode("overwrite").save();
      return new Outcome(Double.NaN, rows);
    }
    if (!keys.isEmpty()) {
      double sum = 0.0;
      org.apache.spark.sql.Column[] k = keys.stream().map(org.apache.spark.sql.functions::expr)
          .toArray(org.apache.spark.sql.Column[]::new);
      for (Row r : d.groupBy(k).agg(org.apache.spark.sql.functions.expr(aggregate)).collectAsList()) {
        Object g = r.get(r.size() - 1);
        sum += g == null ? 0.0 : ((Number) g).doubleValue();
      }
      return new Outcome(sum, rows);
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
