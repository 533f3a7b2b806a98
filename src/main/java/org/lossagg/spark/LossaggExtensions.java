package org.lossagg.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Registers lossagg's SQL functions in every session, and the planner strategy that compiles
 * {@code keras_loss} into the scan's generated code ({@link FusedKerasLossStrategy}): use it as
 * {@code spark.sql.extensions=org.lossagg.spark.LossaggExtensions}, or just put the jar on the
 * classpath (it is listed in {@code META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider}).
 */
public final class LossaggExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit>
    implements SparkSessionExtensionsProvider {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (SqlFunction f : SqlFunctions.all()) {
      extensions.injectFunction(new Tuple3<>(f.identifier(), f.info(), f.scalaBuilder()));
    }
    extensions.injectPlannerStrategy(new AbstractFunction1<SparkSession, SparkStrategy>() {
      @Override
      public SparkStrategy apply(SparkSession session) {
        return new FusedKerasLossStrategy();
      }
    });
    return BoxedUnit.UNIT;
  }
}
