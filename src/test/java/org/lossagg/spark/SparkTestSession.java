package org.lossagg.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of the test JVM: local[2], few shuffle partitions, no UI. lossagg's
 * functions arrive through the service loader (the jar's META-INF/services entry), as for a user.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("lossagg-tests")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lossagg-test-warehouse")
          .getOrCreate();
    }
    return spark;
  }
}
