package org.lossagg.archfixture;

/**
 * Fixture for ArchitectureTest: depends on Spark through a fully qualified name, with no import line,
 * so only the class-file scan can see it.
 */
public final class SparkUsingFixture {
  private SparkUsingFixture() {}

  public static int width(org.apache.spark.sql.Row row) {
    return row.length();
  }
}
