package org.lossagg.spark;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** DataFrame comparisons of the Spark tests (Spark 3.5 line: spark-testing-base's). */
final class DataFrames {
  private static final JavaDataFrameSuiteBase SUITE = new JavaDataFrameSuiteBase();

  private DataFrames() {}

  /** Same schema, same rows in the same order, numbers within {@code tolerance}. */
  static void assertApproximateEquals(Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
    SUITE.assertDataFrameApproximateEquals(expected, actual, tolerance);
  }
}
