package org.lossagg.spark;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The table and queries the distributed invariants are checked on: scalar and array rows, weights,
 * per-sample, sparse and table-wide (Dice) losses, grouped (states shuffled to a final merge per
 * group) and ungrouped.
 */
final class InvariantQueries {
  private InvariantQueries() {}

  static final String VIEW = "invariant_rows";

  /** 3,000 deterministic rows in 6 partitions. */
  static void register(SparkSession spark) {
    spark.range(0, 3000, 1, 6).selectExpr("id", "id % 5 AS g", "CAST(id % 2 AS INT) AS y",
        "(sin(id) + 1) / 2 * 0.98 + 0.01 AS p", "0.5 + (id % 7) / 7.0 AS w", "CAST(id % 3 AS INT) AS c")
        .selectExpr("*", "transform(array(0, 1, 2), k -> IF(k = c, 1.0D, 0.0D)) AS yt",
            "transform(array(exp(sin(id)), exp(cos(id)), exp(sin(2 * id))), v -> v) AS e")
        .selectExpr("*", "transform(e, v -> v / aggregate(e, 0D, (a, b) -> a + b)) AS yp")
        .createOrReplaceTempView(VIEW);
  }

  /** The aggregates, each wrapped by {@code wrap} (e.g. a function that fails a task once). */
  static String aggregates(String p, String wrapOpen, String wrapClose) {
    return List.of("keras_loss('binary_crossentropy', y, " + p + ")",
        "keras_loss('binary_crossentropy', y, " + p + ", w)",
        "keras_loss('categorical_crossentropy', yt, yp)",
        "keras_loss('sparse_categorical_crossentropy', c, yp, w)",
        "keras_loss('dice', yt, yp)",
        "keras_loss('{\"class_name\": \"MeanSquaredError\", \"config\": {\"dtype\": \"float64\"}}', yt, yp, w)",
        "loss_reduce(loss_binary_crossentropy(y, " + p + "), w, 'mean_with_sample_weight')")
        .stream().map(a -> wrapOpen + a + wrapClose).collect(Collectors.joining(", "));
  }

  /** The grouped query's rows and the ungrouped query's row, as text (Float/Double print exactly). */
  static String run(SparkSession spark, String p, String wrapOpen, String wrapClose) {
    String aggs = aggregates(p, wrapOpen, wrapClose);
    List<Row> grouped = spark.sql("SELECT g, " + aggs + " FROM " + VIEW + " GROUP BY g ORDER BY g").collectAsList();
    List<Row> all = spark.sql("SELECT " + aggs + " FROM " + VIEW).collectAsList();
    return grouped + " " + all;
  }
}
