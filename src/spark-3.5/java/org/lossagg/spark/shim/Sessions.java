package org.lossagg.spark.shim;

import org.apache.spark.sql.ExperimentalMethods;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;

/** What lossagg uses of a session's internals (Spark 3.5: every SparkSession has them). */
public final class Sessions {
  private Sessions() {}

  /** The identifier a function is registered under in a session's registry: its plain name. */
  public static FunctionIdentifier functionIdentifier(String name) {
    return FunctionIdentifier.apply(name);
  }

  public static FunctionRegistry functionRegistry(SparkSession spark) {
    return spark.sessionState().functionRegistry();
  }

  public static ExperimentalMethods experimental(SparkSession spark) {
    return spark.experimental();
  }
}
