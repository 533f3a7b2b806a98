package org.lossagg.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a job runs in: the one spark-submit (or a caller in the same JVM) already made,
 * or else an embedded {@code local[*]} session that the job owns and stops. Both paths run the same
 * job code.
 */
final class JobSession implements AutoCloseable {
  private final SparkSession spark;
  private final boolean owned;

  private JobSession(SparkSession spark, boolean owned) {
    this.spark = spark;
    this.owned = owned;
  }

  /** The running session, or a new embedded one named {@code appName}. */
  static JobSession open(String appName) {
    boolean running = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    // spark-submit sets spark.master as a system property; without it this is the embedded run.
    boolean embedded = !running && System.getProperty("spark.master") == null;
    if (embedded) {
      builder.master("local[*]").config("spark.ui.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    if (!running) {
      spark.sparkContext().setLogLevel("WARN");
    }
    return new JobSession(spark, !running);
  }

  SparkSession spark() {
    return spark;
  }

  @Override
  public void close() {
    if (owned) {
      spark.stop();
    }
  }
}
