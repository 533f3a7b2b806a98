package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A user's view: the jar is on the classpath (its service-loader entry registers the functions) and
 * nothing but {@code spark.sql(...)} is used. The data is the Keras doc example of
 * BinaryCrossentropy(from_logits=True) (Keras prints 0.865, weighted 0.243, per sample [0.235, 1.496];
 * the values below are those numbers unrounded: float32 0.23515669 and 1.4957594).
 * DataFrames are compared with {@link DataFrames} (spark-testing-base on Spark 3.5, the same check
 * written for the 4.x line, which spark-testing-base does not support).
 */
class PureSqlTest {
  private static SparkSession spark() {
    SparkSession spark = SparkTestSession.get();
    spark.sql("CREATE OR REPLACE TEMP VIEW scored AS SELECT * FROM VALUES "
        + "('a', array(0, 1), array(-18.6, 0.51), 0.8), "
        + "('b', array(0, 0), array(2.94, -12.8), 0.2), "
        + "('b', CAST(NULL AS ARRAY<INT>), array(1.0, 1.0), 1.0) "
        + "AS scored(slice, y_true, y_pred, w)");
    return spark;
  }

  @Test
  void perRowFunctionAndReducerGiveKerasValues() {
    Row r = spark().sql("SELECT loss_reduce(l), loss_reduce(l, w), loss_reduce(l, w, 'sum') FROM "
        + "(SELECT loss_binary_crossentropy(y_true, y_pred, true) AS l, w FROM scored)").first();
    // Per-row functions compute in the input's precision (DECIMAL -> float64); the NULL row is masked.
    assertEquals(0.8654579497810972, r.getDouble(0), 1e-15);
    assertEquals(0.24363858891670923, r.getDouble(1), 1e-15);
    assertEquals(0.48727717783341845, r.getDouble(2), 1e-15);
  }

  @Test
  void kerasLossWithAKerasJsonConfigIsTheWholeTableValue() {
    Row r = spark().sql("SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}', "
        + "y_true, y_pred), keras_loss('binary_crossentropy', y_true, sigmoid_p) FROM "
        + "(SELECT y_true, y_pred, transform(y_pred, x -> 1 / (1 + exp(-x))) AS sigmoid_p FROM scored)").first();
    assertEquals(0.865458f, r.getFloat(0));
    assertEquals(0.865458, r.getFloat(1), 2e-4);
  }

  @Test
  void groupBySlicesMatchPerSliceKerasValues() {
    SparkSession spark = spark();
    Dataset<Row> bySlice = spark.sql("SELECT slice, keras_loss('{\"class_name\": \"BinaryCrossentropy\", "
        + "\"config\": {\"from_logits\": true, \"reduction\": \"sum\"}}', y_true, y_pred) AS loss, "
        + "loss_summary(loss_binary_crossentropy(y_true, y_pred, true)).masked_count AS masked "
        + "FROM scored GROUP BY slice");
    // keras_loss is NULL for a group without rows, hence the nullable expected column.
    Dataset<Row> expected = spark.sql("SELECT slice, nullif(CAST(loss AS FLOAT), -1) AS loss, masked FROM VALUES "
        + "('a', 0.23515669, CAST(0 AS BIGINT)), ('b', 1.4957594, CAST(1 AS BIGINT)) AS t(slice, loss, masked)");
    DataFrames.assertApproximateEquals(expected, bySlice, 1e-6);
    List<Row> rows = bySlice.orderBy("slice").collectAsList();
    assertEquals(2, rows.size());
  }

  /** The README's SQL example, with the output it shows. */
  @Test
  void readmeSqlExample() {
    SparkSession spark = spark();
    Row r = spark.sql("SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}', "
        + "y_true, y_pred) AS loss, keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}', "
        + "y_true, y_pred, w) AS weighted FROM scored WHERE y_true IS NOT NULL").first();
    assertEquals("0.865458", Float.toString(r.getFloat(0)));
    assertEquals("0.2436386", Float.toString(r.getFloat(1)));
    List<Row> perRow = spark.sql("SELECT slice, loss_binary_crossentropy(y_true, y_pred, true) AS loss FROM scored "
        + "WHERE y_true IS NOT NULL ORDER BY slice").collectAsList();
    assertEquals(0.23515666320163253, perRow.get(0).getDouble(1));
    assertEquals(1.495759236360562, perRow.get(1).getDouble(1));
  }
}
