package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * NULL and NaN are different things: a NULL row is masked (left out of sums and divisors), a NaN
 * propagates as it does in Keras (a NaN input gives a NaN per-sample loss, and one NaN term makes a
 * reduced value NaN; +Inf and -Inf terms together give NaN).
 */
class NanHandlingTest {
  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  @Test
  void aNanInputGivesANanPerRowLoss() {
    Row r = spark().sql("SELECT loss_mean_squared_error(array(0, 1), array(double('NaN'), 1)), "
        + "loss_poisson(array(1.0D), array(-1.0D))").first();
    assertTrue(Double.isNaN(r.getDouble(0)));
    // Keras does not clip Poisson's prediction: log of a negative number is NaN.
    assertTrue(Double.isNaN(r.getDouble(1)));
  }

  @Test
  void oneNanRowMakesTheReducedValueNanWhileANullRowIsMasked() {
    spark().sql("CREATE OR REPLACE TEMP VIEW nan_rows AS SELECT * FROM VALUES "
        + "(array(0D, 1D), array(0.5D, 0.5D)), (array(1D, 1D), array(double('NaN'), 0.5D)), "
        + "(CAST(NULL AS ARRAY<DOUBLE>), array(0.1D, 0.2D)) AS t(y, p)");
    Row r = spark().sql("SELECT keras_loss('mse', y, p), loss_reduce(loss_mean_squared_error(y, p)), "
        + "loss_summary(loss_mean_squared_error(y, p)) FROM nan_rows").first();
    assertTrue(Float.isNaN(r.getFloat(0)));
    assertTrue(Double.isNaN(r.getDouble(1)));
    Row summary = r.getStruct(2);
    assertEquals(1L, summary.getLong(summary.fieldIndex("masked_count")));
    assertTrue(Double.isNaN(summary.getDouble(summary.fieldIndex("sum"))));
    Row masked = spark().sql("SELECT keras_loss('mse', y, p) FROM nan_rows WHERE y IS NULL OR y[0] = 0").first();
    assertEquals(0.25f, masked.getFloat(0));
  }

  @Test
  void infinitiesOfBothSignsSumToNan() {
    Row r = spark().sql("SELECT loss_reduce(l, 'sum') FROM VALUES (double('Infinity')), (double('-Infinity')), (1.0D) "
        + "AS t(l)").first();
    assertTrue(Double.isNaN(r.getDouble(0)));
    Row inf = spark().sql("SELECT loss_reduce(l, 'sum') FROM VALUES (double('Infinity')), (1.0D) AS t(l)").first();
    assertEquals(Double.POSITIVE_INFINITY, inf.getDouble(0));
  }
}
