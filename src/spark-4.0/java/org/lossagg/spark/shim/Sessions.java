package org.lossagg.spark.shim;

import org.apache.spark.sql.ExperimentalMethods;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;

/**
 * What lossagg uses of a session's internals (Spark 4.x: only a classic session has them; a Spark
 * Connect client session does not, so it is refused with what to do instead).
 */
public final class Sessions {
  private static final String CLASSIC = "org.apache.spark.sql.classic.SparkSession";

  private Sessions() {}

  public static FunctionRegistry functionRegistry(SparkSession spark) {
    return classic(spark).sessionState().functionRegistry();
  }

  public static ExperimentalMethods experimental(SparkSession spark) {
    return classic(spark).experimental();
  }

  /**
   * The session as a classic one. Checked by name, so that a Connect client JVM, which has no
   * classic session classes, gets this message rather than a NoClassDefFoundError.
   */
  private static org.apache.spark.sql.classic.SparkSession classic(SparkSession spark) {
    for (Class<?> c = spark.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(CLASSIC)) {
        return (org.apache.spark.sql.classic.SparkSession) spark;
      }
    }
    throw new IllegalArgumentException("lossagg: Lossagg.register needs a classic SparkSession, got a "
        + spark.getClass().getName() + " (a Spark Connect session?). On Spark Connect the functions are "
        + "registered on the server: put the lossagg-spark-4.0_2.13 jar on the Connect server's classpath "
        + "(spark.jars, --jars or its jars/ folder; its service-loader entry registers them), or start the "
        + "server with spark.sql.extensions=org.lossagg.spark.LossaggExtensions, and call the functions "
        + "by name (spark.sql(...) or functions.call_function).");
  }
}
