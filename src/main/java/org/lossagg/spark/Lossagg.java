package org.lossagg.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.lossagg.spark.shim.Sessions;

/** Programmatic registration: {@code Lossagg.register(spark)} makes every lossagg function available. */
public final class Lossagg {
  private Lossagg() {}

  /**
   * Registers (or re-registers) every lossagg SQL function in this session, and the planner
   * strategy that compiles {@code keras_loss} into generated code ({@link FusedKerasLossStrategy}).
   */
  public static void register(SparkSession spark) {
    FunctionRegistry registry = Sessions.functionRegistry(spark);
    for (SqlFunction f : SqlFunctions.all()) {
      registry.registerFunction(Sessions.functionIdentifier(f.name()), f.info(), f.scalaBuilder());
    }
    FusedKerasLossStrategy.addTo(spark);
  }
}
