package org.lossagg.spark.shim;

import org.apache.spark.sql.ExperimentalMethods;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;

/** What lossagg uses of a session's internals (Spark 3.5: every SparkSession has them). */
public final class Sessions {
  private Sessions() {}

  public static FunctionRegistry functionRegistry(SparkSession spark) {
    return spark.sessionState().functionRegistry();
  }

  public static ExperimentalMethods experimental(SparkSession spark) {
    return spark.experimental();
  }
}
