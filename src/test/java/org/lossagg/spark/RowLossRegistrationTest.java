package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.spark.shim.Sessions;

/** The per-row functions arrive with the jar (service loader) and through {@link Lossagg#register}. */
class RowLossRegistrationTest {
  @Test
  void everyCatalogueLossHasAPerRowFunctionWithoutRegistering() {
    SparkSession spark = SparkTestSession.get();
    Set<String> listed = new HashSet<>();
    for (Row r : spark.sql("SHOW USER FUNCTIONS").collectAsList()) {
      listed.add(r.getString(0));
    }
    for (LossSpec spec : LossCatalog.all()) {
      assertTrue(listed.contains(spec.sqlName()), spec.sqlName() + " missing from SHOW USER FUNCTIONS: " + listed);
    }
    assertEquals(2.5, spark.sql("SELECT loss_mean_squared_error(array(0, 1), array(1, 3))").first().getDouble(0));
  }

  @Test
  void sqlFunctionsListsOnePerRowFunctionPerLossInCatalogueOrder() {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (SqlFunction f : SqlFunctions.all()) {
      if (f.info().getClassName().equals(RowLoss.class.getName())) {
        names.add(f.name());
      }
    }
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      expected.add(spec.sqlName());
    }
    assertEquals(expected, names);
  }

  @Test
  void lossaggRegisterBringsBackADroppedFunction() {
    SparkSession spark = SparkTestSession.get();
    Sessions.functionRegistry(spark).dropFunction(Sessions.functionIdentifier("loss_huber"));
    try {
      assertThrows(AnalysisException.class, () -> spark.sql("SELECT loss_huber(array(0, 1), array(0.6, 3))"));
    } finally {
      Lossagg.register(spark);
    }
    assertEquals(0.84, spark.sql("SELECT loss_huber(array(0, 1), array(0.6, 3))").first().getDouble(0));
  }
}
