package org.lossagg.connect;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lossagg.spark.RowBits;

/**
 * The queries SparkConnectTest runs through a Spark Connect client and through a classic session,
 * and their results as text that keeps every bit ({@link RowBits}). Only the Spark SQL API
 * (spark-sql-api) is used, so the same code runs in the client JVM.
 */
final class ConnectQueries {
  private ConnectQueries() {}

  /** 60 rows: 3 slices, binary labels with probabilities and logits, one-hot/probability triples, weights; one NULL y_true. */
  static final String TABLE = "CREATE OR REPLACE TEMP VIEW connect_t AS SELECT id, CAST(id % 3 AS INT) AS slice, "
      + "IF(id = 7, CAST(NULL AS ARRAY<DOUBLE>), array(CAST(id % 2 AS DOUBLE), CAST((id + 1) % 2 AS DOUBLE))) AS y_true, "
      + "array(0.02 + 0.96 * (sin(id * 1.7) + 1) / 2, 0.02 + 0.96 * (cos(id * 0.3) + 1) / 2) AS y_pred, "
      + "array(8 * sin(id * 1.3), 6 * cos(id * 0.7)) AS logits, "
      + "array(IF(id % 3 = 0, 1.0D, 0.0D), IF(id % 3 = 1, 1.0D, 0.0D), IF(id % 3 = 2, 1.0D, 0.0D)) AS onehot, "
      + "transform(array(sin(id), cos(id), sin(id * 2.0)), x -> exp(x) / (exp(sin(id)) + exp(cos(id)) + exp(sin(id * 2.0)))) AS probs, "
      + "0.25 + (id % 4) * 0.5 AS w FROM range(60)";

  static final String BCE_LOGITS = "'{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}'";

  /** Name to SQL. */
  static Map<String, String> sql() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("per-row", "SELECT id, loss_binary_crossentropy(y_true, y_pred), loss_binary_crossentropy(y_true, logits, true), "
        + "loss_mean_squared_error(y_true, y_pred), loss_huber(y_true, logits, 0.5), "
        + "loss_categorical_crossentropy(onehot, probs), loss_kl_divergence(onehot, probs) FROM connect_t ORDER BY id");
    q.put("keras_loss", "SELECT keras_loss('binary_crossentropy', y_true, y_pred), keras_loss(" + BCE_LOGITS
        + ", y_true, logits, w), keras_loss('mse', y_true, y_pred, w), keras_loss('categorical_crossentropy', onehot, probs), "
        + "keras_loss('{\"class_name\": \"Huber\", \"config\": {\"delta\": 0.5, \"reduction\": \"sum\", \"dtype\": \"float64\"}}', "
        + "y_true, logits) FROM connect_t");
    q.put("keras_loss GROUP BY", "SELECT slice, keras_loss('binary_crossentropy', y_true, y_pred), keras_loss(" + BCE_LOGITS
        + ", y_true, logits, w), keras_loss('categorical_crossentropy', onehot, probs, w) FROM connect_t "
        + "GROUP BY slice ORDER BY slice");
    q.put("loss_reduce", "SELECT slice, loss_reduce(l), loss_reduce(l, w), loss_reduce(l, w, 'sum'), "
        + "loss_reduce(l, w, 'mean_with_sample_weight') FROM (SELECT slice, w, loss_binary_crossentropy(y_true, logits, true) AS l "
        + "FROM connect_t) GROUP BY slice ORDER BY slice");
    q.put("loss_summary", "SELECT loss_summary(loss_mean_squared_error(y_true, y_pred), w), "
        + "loss_summary(loss_categorical_crossentropy(onehot, probs)) FROM connect_t");
    // Partition invariance: the same whole-table values from 1, 3 and 7 partitions.
    for (int partitions : new int[] {1, 3, 7}) {
      q.put("partitions " + partitions, "SELECT keras_loss(" + BCE_LOGITS + ", y_true, logits, w), "
          + "keras_loss('categorical_crossentropy', onehot, probs), loss_reduce(loss_mean_squared_error(y_true, y_pred), w) "
          + "FROM (SELECT /*+ REPARTITION(" + partitions + ") */ * FROM connect_t)");
    }
    return q;
  }

  /** The same functions through the DataFrame API: {@code functions.call_function}. */
  static Map<String, Dataset<Row>> callFunction(SparkSession spark) {
    Dataset<Row> t = spark.table("connect_t");
    Map<String, Dataset<Row>> q = new LinkedHashMap<>();
    q.put("call_function per-row", t.select(col("id"),
        call_function("loss_binary_crossentropy", col("y_true"), col("logits"), lit(true)),
        call_function("loss_mean_squared_error", col("y_true"), col("y_pred"))).orderBy("id"));
    q.put("call_function keras_loss GROUP BY", t.groupBy("slice").agg(
        call_function("keras_loss", lit("binary_crossentropy"), col("y_true"), col("y_pred"), col("w")),
        call_function("loss_reduce", call_function("loss_mean_squared_error", col("y_true"), col("y_pred")))).orderBy("slice"));
    return q;
  }

  /**
   * Every example statement of every lossagg function, read from the session's DESCRIBE FUNCTION
   * EXTENDED (so from the server, on Connect).
   */
  static List<String> examples(SparkSession spark) {
    List<String> out = new ArrayList<>();
    for (Row f : spark.sql("SHOW FUNCTIONS LIKE 'loss_*|keras_loss*'").collectAsList()) {
      StringBuilder text = new StringBuilder();
      for (Row line : spark.sql("DESCRIBE FUNCTION EXTENDED " + f.getString(0)).collectAsList()) {
        text.append(line.getString(0)).append('\n');
      }
      for (String line : text.toString().split("\n")) {
        String t = line.strip();
        if (t.startsWith("> ")) {
          out.add(t.substring(2, t.length() - (t.endsWith(";") ? 1 : 0)));
        }
      }
    }
    return out;
  }

  /** Every query's result, as lines: "== name", then one line per row. */
  static List<String> run(SparkSession spark) {
    spark.sql(TABLE);
    List<String> out = new ArrayList<>();
    for (String example : examples(spark)) {
      out.add("== example " + example);
      for (Row r : spark.sql(example).collectAsList()) {
        out.add(RowBits.text(r));
      }
    }
    for (Map.Entry<String, String> q : sql().entrySet()) {
      out.add("== " + q.getKey());
      for (Row r : spark.sql(q.getValue()).collectAsList()) {
        out.add(RowBits.text(r));
      }
    }
    for (Map.Entry<String, Dataset<Row>> q : callFunction(spark).entrySet()) {
      out.add("== " + q.getKey());
      for (Row r : q.getValue().collectAsList()) {
        out.add(RowBits.text(r));
      }
    }
    return out;
  }
}
