package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.MeanSquaredError;
import org.lossagg.reduce.Reduction;

/**
 * Mistakes are AnalysisExceptions raised before any data is read, naming the function, the
 * argument (position and name), what was given and what is accepted.
 */
class AggregateErrorsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void table() {
    SPARK.sql("SELECT * FROM VALUES (1, 0.5, array(1.0, 0.0), array(0.5, 0.5), 'mse', 'sum', map('a', 1.0), 1.0) "
        + "AS t(y, p, ya, pa, name, red, m, w)").createOrReplaceTempView("errs");
  }

  private static String analysisError(String sql) {
    AnalysisException e = assertThrows(AnalysisException.class, () -> SPARK.sql(sql).collect(), sql);
    return e.getMessage();
  }

  private static void assertMessage(String expectedStart, String sql) {
    String m = analysisError(sql);
    assertTrue(m.startsWith(expectedStart), () -> "expected to start with\n  " + expectedStart + "\nbut was\n  " + m);
  }

  @Test
  void unknownConfigKeysAndLossesNameTheConfig() {
    assertMessage("keras_loss: argument 1 (config) '{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logit\": true}}' "
        + "is not a loss lossagg can build: BinaryCrossentropy: unknown config key 'from_logit' (did you mean 'from_logits'?); "
        + "allowed keys: name, reduction, dtype, from_logits",
        "SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logit\": true}}', y, p) FROM errs");
    assertMessage("keras_loss: argument 1 (config) 'binary_crossentropie' is not a loss lossagg can build: unknown loss "
        + "'binary_crossentropie'; known losses: BinaryCrossentropy,", "SELECT keras_loss('binary_crossentropie', y, p) FROM errs");
    assertMessage("keras_loss: argument 1 (config) '{\"class_name\": \"Huber\", \"config\": {\"delta\": \"big\"}}' is not a loss "
        + "lossagg can build: Huber: ", "SELECT keras_loss('{\"class_name\": \"Huber\", \"config\": {\"delta\": \"big\"}}', y, p) FROM errs");
  }

  @Test
  void reductionNoneInAConfigPointsToThePerRowFunction() {
    String m = analysisError("SELECT keras_loss('{\"class_name\": \"MeanSquaredError\", \"config\": {\"reduction\": null}}', y, p) FROM errs");
    assertTrue(m.startsWith("keras_loss: argument 1 (config) asks for reduction none (null), which keeps one value per sample"), m);
    assertTrue(m.contains("use the per-row function loss_mean_squared_error(y_true, y_pred, ...)"), m);
    assertThrows(AnalysisException.class, () -> LossAggregates.kerasLoss(
        MeanSquaredError.builder().reduction(Reduction.NONE).build(), col("y"), col("p")));
  }

  @Test
  void theConfigMustBeAConstantString() {
    assertMessage("keras_loss: argument 1 (config) must be a constant, got the non-constant expression errs.name; expected a Keras "
        + "loss identifier", "SELECT keras_loss(name, y, p) FROM errs");
    assertMessage("keras_loss: argument 1 (config) must be a STRING constant, got INT 7; expected",
        "SELECT keras_loss(7, y, p) FROM errs");
    assertMessage("keras_loss: argument 1 (config) is NULL; expected", "SELECT keras_loss(NULL, y, p) FROM errs");
  }

  @Test
  void argumentCountsAreChecked() {
    assertMessage("keras_loss takes 3 to 4 arguments (config, y_true, y_pred [, sample_weight]), got 2",
        "SELECT keras_loss('mse', y) FROM errs");
    assertMessage("loss_reduce takes 1 to 3 arguments (loss [, sample_weight [, reduction]]), got 4",
        "SELECT loss_reduce(y, w, 'sum', 1) FROM errs");
    assertMessage("loss_summary takes 1 to 2 arguments (loss [, sample_weight]), got 0", "SELECT loss_summary() FROM errs");
  }

  @Test
  void wrongTypesNameTheArgumentAndTheType() {
    assertMessage("keras_loss: argument 2 (y_true) must be a number (TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE or DECIMAL) "
        + "or an ARRAY of numbers (nested ARRAY<ARRAY<...>> for a matrix), got STRING", "SELECT keras_loss('mse', name, p) FROM errs");
    assertMessage("keras_loss: argument 3 (y_pred) must be a number", "SELECT keras_loss('mse', y, m) FROM errs");
    assertTrue(analysisError("SELECT keras_loss('mse', y, m) FROM errs").contains("got MAP<STRING, DECIMAL(2,1)>"));
    assertMessage("keras_loss: argument 4 (sample_weight) must be a number", "SELECT keras_loss('mse', y, p, array('a')) FROM errs");
    assertMessage("keras_loss: argument 2 (y_true) must be a number", "SELECT keras_loss('mse', true, p) FROM errs");
    assertMessage("loss_reduce: argument 1 (loss) must be a number", "SELECT loss_reduce(name) FROM errs");
    assertMessage("loss_reduce: argument 2 (sample_weight) must be a number (one weight per row), got ARRAY<DECIMAL(1,1)> "
        + "errs.pa for a loss of type DECIMAL(1,1)", "SELECT loss_reduce(p, pa) FROM errs");
    assertMessage("loss_summary: argument 2 (sample_weight) must be a number (one weight per row) or an array shaped like "
        + "the loss (one weight per element), got ARRAY<ARRAY<INT>>", "SELECT loss_summary(pa, array(array(1))) FROM errs");
  }

  @Test
  void reductionsAreValidatedListingTheAllowedOnes() {
    assertMessage("loss_reduce: argument 3 (reduction) got 'avg'; allowed: 'sum_over_batch_size' (the default), 'sum', 'mean', "
        + "'mean_with_sample_weight'", "SELECT loss_reduce(p, w, 'avg') FROM errs");
    assertMessage("loss_reduce: argument 3 (reduction) got 'none', which keeps one value per row",
        "SELECT loss_reduce(p, w, 'none') FROM errs");
    assertMessage("loss_reduce: argument 3 (reduction) must be a constant, got the non-constant expression errs.red",
        "SELECT loss_reduce(p, w, red) FROM errs");
    assertMessage("loss_reduce: argument 3 (reduction) got 'avg'", "SELECT loss_reduce(p, 'avg') FROM errs");
  }

  @Test
  void columnCallersGetSparksTypeCheckWithTheSameMessage() {
    AnalysisException e = assertThrows(AnalysisException.class,
        () -> SPARK.table("errs").agg(LossAggregates.kerasLoss("mse", col("name"), col("p"))).collect());
    assertTrue(e.getMessage().contains("keras_loss: argument 2 (y_true) must be a number"), e.getMessage());
    AnalysisException r = assertThrows(AnalysisException.class, () -> LossAggregates.lossReduce(col("p"), null, "median"));
    assertEquals("loss_reduce: argument 3 (reduction) got 'median'; allowed: 'sum_over_batch_size' (the default), 'sum', "
        + "'mean', 'mean_with_sample_weight'", r.getMessage());
  }
}
