package org.lossagg.bench;

import org.apache.spark.sql.SparkSession;

/** The harness' one Spark session: local[2] as the targets are stated, no UI, non-ANSI SQL. */
final class BenchSession {
  private BenchSession() {}

  static SparkSession create(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("lossagg-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lossagg-bench-warehouse")
        .getOrCreate();
  }
}
