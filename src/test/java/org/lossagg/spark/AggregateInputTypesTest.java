package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Spark numeric type works for values and weights, as numbers, arrays and nested arrays, and
 * gives bit for bit the value of the same numbers as DOUBLE (the numbers are chosen exact in every
 * type). A DECIMAL literal such as 0.1 reads as the double 0.1.
 */
class AggregateInputTypesTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void base() {
    // Integers fit every type; halves and quarters are exact in FLOAT and DECIMAL(10,3).
    SPARK.sql("SELECT * FROM VALUES "
        + "(0, 1, 2, 3, array(0, 1, 1), array(1, 0, 2), array(array(1, 0), array(0, 1)), array(array(2, 1), array(0, 3)), 1, array(1, 2)), "
        + "(1, 2, 3, 1, array(1, 1, 0), array(2, 2, 1), array(array(0, 0), array(1, 1)), array(array(1, 1), array(2, 2)), 2, array(3, 0)), "
        + "(2, 4, 0, 2, array(0, 0, 1), array(0, 3, 1), array(array(1, 1), array(1, 0)), array(array(0, 2), array(1, 1)), 3, array(2, 2)) "
        + "AS t(y, p, q, w, ya, pa, ym, pm, wi, wm)").createOrReplaceTempView("typed_base");
  }

  private static final String[] QUERIES = {
      "keras_loss('mse', CAST(y AS %1$s), CAST(p AS %1$s))",
      "keras_loss('mae', CAST(y AS %1$s), CAST(p AS %1$s), CAST(w AS %1$s))",
      "keras_loss('{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\"}}', CAST(ya AS ARRAY<%1$s>), CAST(pa AS ARRAY<%1$s>), CAST(w AS %1$s))",
      "keras_loss('mse', CAST(ym AS ARRAY<ARRAY<%1$s>>), CAST(pm AS ARRAY<ARRAY<%1$s>>), CAST(wm AS ARRAY<%1$s>))",
      "keras_loss('sparse_categorical_crossentropy', CAST(y AS %1$s), CAST(pa AS ARRAY<%1$s>) , CAST(wi AS %1$s))",
      "loss_reduce(CAST(q AS %1$s), CAST(w AS %1$s), 'mean_with_sample_weight')",
      "loss_reduce(CAST(pa AS ARRAY<%1$s>), CAST(ya AS ARRAY<%1$s>), 'sum')",
      "loss_summary(CAST(pm AS ARRAY<ARRAY<%1$s>>), CAST(w AS %1$s)).mean_with_sample_weight"};

  private static Row run(String type) {
    StringBuilder sb = new StringBuilder("SELECT ");
    for (int i = 0; i < QUERIES.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(QUERIES[i], type));
    }
    return SPARK.sql(sb.append(" FROM typed_base").toString()).first();
  }

  private static Row asDouble;

  @ParameterizedTest
  @ValueSource(strings = {"TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DECIMAL(10, 3)", "DECIMAL(38, 18)"})
  void everyNumericTypeGivesTheDoubleValue(String type) {
    if (asDouble == null) {
      asDouble = run("DOUBLE");
    }
    Row got = run(type);
    for (int i = 0; i < QUERIES.length; i++) {
      assertEquals(Double.doubleToLongBits(SparkTables.value(asDouble, i)), Double.doubleToLongBits(SparkTables.value(got, i)),
          type + ": " + String.format(QUERIES[i], type));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_loss('binary_crossentropy', y, %s)", "loss_reduce(%s)", "loss_reduce(y * %s, 'sum')"})
  void aDecimalLiteralIsItsDouble(String template) {
    String base = "FROM VALUES (0), (1), (1) AS t(y)";
    Row decimal = SPARK.sql("SELECT " + String.format(template, "0.1") + " " + base).first();
    Row dbl = SPARK.sql("SELECT " + String.format(template, "CAST(0.1 AS DOUBLE)") + " " + base).first();
    assertEquals(Double.doubleToLongBits(SparkTables.value(dbl, 0)), Double.doubleToLongBits(SparkTables.value(decimal, 0)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "DOUBLE", "DECIMAL(5, 2)"})
  void mixedTypesInOneCallAreRead(String weightType) {
    List<Row> rows = SPARK.sql("SELECT keras_loss('mse', CAST(y AS TINYINT), CAST(p AS DECIMAL(4, 1)), CAST(w AS "
        + weightType + ")), keras_loss('mse', CAST(y AS DOUBLE), CAST(p AS DOUBLE), CAST(w AS DOUBLE)) FROM typed_base")
        .collectAsList();
    assertEquals(Double.doubleToLongBits(SparkTables.value(rows.get(0), 1)), Double.doubleToLongBits(SparkTables.value(rows.get(0), 0)));
  }
}
