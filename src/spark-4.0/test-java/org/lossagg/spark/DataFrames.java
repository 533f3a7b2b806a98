package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DataFrame comparisons of the Spark tests (Spark 4.x line: spark-testing-base has no Spark 4
 * build, so this is the same check, written here): the same schema (names, types, nullability),
 * the same number of rows, and row i equal to row i, floating-point and decimal values within an
 * absolute tolerance (NaN equals NaN), nested rows and arrays compared the same way.
 */
final class DataFrames {
  private DataFrames() {}

  static void assertApproximateEquals(Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
    assertEquals(expected.schema(), actual.schema(), "schema");
    List<Row> e = expected.collectAsList();
    List<Row> a = actual.collectAsList();
    assertEquals(e.size(), a.size(), "row count");
    for (int i = 0; i < e.size(); i++) {
      if (!approximatelyEqual(e.get(i), a.get(i), tolerance)) {
        fail("row " + i + ": expected " + e.get(i) + " but was " + a.get(i) + " (tolerance " + tolerance + ")");
      }
    }
  }

  static boolean approximatelyEqual(Object e, Object a, double tolerance) {
    if (e == null || a == null) {
      return e == a;
    }
    if (e instanceof Double || e instanceof Float) {
      double x = ((Number) e).doubleValue();
      double y = ((Number) a).doubleValue();
      return a.getClass() == e.getClass() && (Double.isNaN(x) ? Double.isNaN(y) : x == y || Math.abs(x - y) <= tolerance);
    }
    if (e instanceof BigDecimal x) {
      return a instanceof BigDecimal y && x.subtract(y).abs().doubleValue() <= tolerance;
    }
    if (e instanceof Row x) {
      if (!(a instanceof Row y) || x.length() != y.length()) {
        return false;
      }
      for (int i = 0; i < x.length(); i++) {
        if (!approximatelyEqual(x.get(i), y.get(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof scala.collection.Seq<?> x) {
      if (!(a instanceof scala.collection.Seq<?> y) || x.length() != y.length()) {
        return false;
      }
      for (int i = 0; i < x.length(); i++) {
        if (!approximatelyEqual(x.apply(i), y.apply(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    return e.equals(a);
  }
}
