package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code spark.sql.ansi.enabled} (off by default on Spark 3.5, on by default on Spark 4) changes
 * nothing lossagg computes: every example of every lossagg SQL function (DESCRIBE FUNCTION's) and
 * queries over inputs of every numeric type, NULLs, NaN, infinities and values beyond float32 give
 * the same rows, bit for bit, with ANSI mode on and off, and lossagg's own errors are the same
 * errors in both modes (no ANSI error from lossagg's casts or arithmetic: it has none in Catalyst).
 */
class AnsiModeTest {
  private static final String ANSI = "spark.sql.ansi.enabled";

  /** Every example statement of every lossagg function: "function: SQL". */
  static Stream<String> examples() {
    List<String> out = new ArrayList<>();
    for (SqlFunction f : SqlFunctions.all()) {
      for (String line : f.info().getExamples().split("\n")) {
        String t = line.strip();
        if (t.startsWith("> ")) {
          out.add(f.name() + ": " + t.substring(2, t.length() - (t.endsWith(";") ? 1 : 0)));
        }
      }
    }
    return out.stream();
  }

  @Test
  void everyFunctionHasExamples() {
    List<String> all = examples().toList();
    for (SqlFunction f : SqlFunctions.all()) {
      assertTrue(all.stream().anyMatch(e -> e.startsWith(f.name() + ": ")), f.name() + " has no example");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleGivesTheSameRowsWithAnsiOnAndOff(String example) {
    String sql = example.substring(example.indexOf(": ") + 2);
    List<String> ansiOn = inAnsiMode(true, () -> rows(sql));
    List<String> ansiOff = inAnsiMode(false, () -> rows(sql));
    assertFalse(ansiOn.isEmpty(), sql);
    assertEquals(ansiOff, ansiOn, sql);
  }

  /** Inputs of every numeric type and the edge values an ANSI cast or arithmetic would raise on. */
  private static final String EDGES = "SELECT * FROM VALUES "
      + "(1, CAST(1 AS TINYINT), CAST(0 AS BIGINT), CAST(0.9 AS DECIMAL(38, 18)), CAST(0.25 AS FLOAT), 0.7D, 2, 'a'), "
      + "(2, CAST(0 AS TINYINT), CAST(1 AS BIGINT), CAST(0.1 AS DECIMAL(38, 18)), CAST(0.5 AS FLOAT), 1e300D, 0, 'a'), "
      + "(3, CAST(1 AS TINYINT), CAST(9223372036854775807 AS BIGINT), CAST(12345678901234567890.5 AS DECIMAL(38, 18)), "
      + "CAST(3.0e38 AS FLOAT), -1e300D, 1, 'b'), "
      + "(4, CAST(NULL AS TINYINT), CAST(1 AS BIGINT), CAST(0.5 AS DECIMAL(38, 18)), CAST('NaN' AS FLOAT), "
      + "CAST('Infinity' AS DOUBLE), 3, 'b'), "
      + "(5, CAST(0 AS TINYINT), CAST(-1 AS BIGINT), CAST(NULL AS DECIMAL(38, 18)), CAST(-0.0 AS FLOAT), 4.9e-324D, 2, 'b') "
      + "AS t(id, y8, y64, ydec, pf, pd, w, g)";

  static Stream<String> edgeQueries() {
    return Stream.of(
        "SELECT id, loss_mean_squared_error(y8, pd), loss_mean_absolute_error(y64, pf), loss_huber(ydec, pd, 2), "
            + "loss_log_cosh(y8, pf), loss_hinge(y8, pd), loss_poisson(ydec, pf) FROM edges ORDER BY id",
        "SELECT id, loss_binary_crossentropy(y8, pf), loss_binary_crossentropy(y8, pd, true, 0.1), "
            + "loss_binary_focal_crossentropy(y8, pd, true, 0.25, 2, true) FROM edges ORDER BY id",
        "SELECT id, loss_mean_squared_error(IF(y8 IS NULL, NULL, array(y8, y64)), array(pf, pd)), "
            + "loss_categorical_crossentropy(IF(ydec IS NULL, NULL, array(ydec, 1 - ydec)), array(pf, pd)) FROM edges ORDER BY id",
        "SELECT keras_loss('mse', y8, pd), keras_loss('mse', y8, pd, w), keras_loss('mae', ydec, pf, y64), "
            + "keras_loss('{\"class_name\": \"Huber\", \"config\": {\"dtype\": \"float64\", \"reduction\": \"sum\"}}', y64, ydec) FROM edges",
        "SELECT g, keras_loss('binary_crossentropy', y8, pf, w), keras_loss('mse', ydec, pd) FROM edges GROUP BY g ORDER BY g",
        "SELECT g, loss_reduce(l), loss_reduce(l, w, 'sum'), loss_reduce(l, w, 'mean_with_sample_weight'), "
            + "loss_summary(l, w) FROM (SELECT g, w, loss_mean_squared_error(y64, pf) AS l FROM edges) GROUP BY g ORDER BY g",
        "SELECT loss_reduce(pd, w), loss_reduce(ydec), loss_summary(pf), loss_summary(y64, ydec) FROM edges WHERE id <> 5");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeQueries")
  void edgeInputsGiveTheSameRowsWithAnsiOnAndOff(String sql) {
    SparkTestSession.get().sql("CREATE OR REPLACE TEMP VIEW edges AS " + EDGES);
    List<String> ansiOn = inAnsiMode(true, () -> rows(sql));
    List<String> ansiOff = inAnsiMode(false, () -> rows(sql));
    assertFalse(ansiOn.isEmpty(), sql);
    assertEquals(ansiOff, ansiOn, sql);
  }

  /** lossagg's own errors, not ANSI's, in both modes: a bad label, a weight NULL in a counted row, a bad option. */
  @Test
  void lossaggErrorsAreTheSameInBothModes() {
    for (String sql : List.of(
        "SELECT loss_sparse_categorical_crossentropy(y, p) FROM VALUES (3, array(0.2, 0.3, 0.5)) AS t(y, p)",
        "SELECT keras_loss('mse', y, p, w) FROM VALUES (1.0, 0.5, CAST(NULL AS DOUBLE)) AS t(y, p, w)",
        "SELECT loss_huber(y, p, -1) FROM VALUES (1.0, 0.5) AS t(y, p)")) {
      String on = inAnsiMode(true, () -> error(sql));
      String off = inAnsiMode(false, () -> error(sql));
      assertEquals(off, on, sql);
      assertFalse(on.contains("ANSI") || on.contains("CAST_") || on.contains("ARITHMETIC_OVERFLOW"), on);
    }
  }

  private static List<String> rows(String sql) {
    return RowBits.of(SparkTestSession.get().sql(sql).collectAsList());
  }

  /** The message of the innermost cause of the query's failure. */
  private static String error(String sql) {
    Throwable t = assertThrows(Exception.class, () -> SparkTestSession.get().sql(sql).collectAsList(), sql);
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static <T> T inAnsiMode(boolean on, Supplier<T> body) {
    SparkSession spark = SparkTestSession.get();
    String before = spark.conf().get(ANSI);
    spark.conf().set(ANSI, String.valueOf(on));
    try {
      return body.get();
    } finally {
      spark.conf().set(ANSI, before);
    }
  }
}
