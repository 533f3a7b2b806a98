package org.lossagg.spark.shim;

import org.apache.spark.sql.ExperimentalMethods;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;

/**
 * What lossagg uses of a session's internals (Spark 4.x: only a classic session has them; a Spark
 * Connect client session does not, so it is refused with what to do instead).
 */
public final class Sessions {
  private static final String CLASSIC = "org.apache.spark.sql.classic.SparkSession";

  private Sessions() {}

  /**
   * The identifier a function is registered under in a session's registry: its plain name on
   * Spark 4.0; Spark 4.2's registry takes only qualified names (system.builtin.NAME, what its
   * FunctionRegistry.builtinFunctionIdentifier gives, as SparkSessionExtensions does for injected
   * functions). That method is not in Spark 4.0, against which this jar is compiled, so it is looked up.
   */
  public static FunctionIdentifier functionIdentifier(String name) {
    Method qualify;
    try {
      qualify = FunctionRegistry$.class.getMethod("builtinFunctionIdentifier", String.class);
    } catch (NoSuchMethodException e) {
      return FunctionIdentifier.apply(name);
    }
    try {
      return (FunctionIdentifier) qualify.invoke(FunctionRegistry$.MODULE$, name);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("lossagg: cannot qualify the function name " + name + " for this Spark", e);
    }
  }

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
