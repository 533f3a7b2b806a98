package org.lossagg.archfixture;

/**
 * Fixture for ArchitectureTest: mentions Spark only in comments and message text, which are not
 * dependencies.
 */
public final class SparkFreeFixture {
  // import org.apache.spark.sql.Row;
  /* import org.apache.spark.sql.Dataset; */
  private SparkFreeFixture() {}

  public static String hint() {
    return "call it from org.apache.spark jobs through the org.lossagg.spark layer";
  }
}
