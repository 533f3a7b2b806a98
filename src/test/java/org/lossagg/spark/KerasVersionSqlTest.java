package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * keras_version from SQL: the config key, the session default spark.lossagg.kerasVersion (applied to
 * queries analysed after a SET; a config's own key wins) and their errors, on the seeds' examples.
 */
class KerasVersionSqlTest {
  private static final String BCE_LOGITS = "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true%s}%s}";

  private static SparkSession spark() {
    SparkSession spark = SparkTestSession.get();
    spark.sql("CREATE OR REPLACE TEMP VIEW seed_doc AS SELECT * FROM VALUES "
        + "(array(0, 1), array(-18.6, 0.51), 0.8), (array(0, 0), array(2.94, -12.8), 0.2) AS t(y_true, y_pred, w)");
    spark.sql("CREATE OR REPLACE TEMP VIEW seed_001 AS SELECT * FROM VALUES (0, 1.0), (0, 1.0), (1, 1.0), (1, 0.0) "
        + "AS t(y_true, y_pred)");
    spark.sql("CREATE OR REPLACE TEMP VIEW tversky_case AS SELECT * FROM VALUES (array(1, 2), array(4, 1)), "
        + "(array(1, 2), array(6, 1)) AS t(y_true, y_pred)");
    return spark;
  }

  @AfterEach
  void resetSessionDefault() {
    SparkTestSession.get().conf().unset(SessionKerasVersion.KEY);
  }

  private static String bce(String options, String version) {
    return String.format(BCE_LOGITS, options, version == null ? "" : ", \"keras_version\": \"" + version + "\"");
  }

  private static Row seedDoc(String version) {
    return spark().sql("SELECT keras_loss('" + bce("", version) + "', y_true, y_pred), keras_loss('" + bce("", version)
        + "', y_true, y_pred, w), keras_loss('" + bce(", \"reduction\": \"sum\"", version) + "', y_true, y_pred) FROM seed_doc")
        .first();
  }

  /** The seeds' examples (0.865458, 0.2436386, 1.730916) with and without keras_version; the logits path agrees. */
  @Test
  void seedExamplesWithAndWithoutKerasVersion() {
    for (String v : new String[] {null, "3.15", "3.16", "2.9"}) {
      Row r = seedDoc(v);
      assertEquals(0.865458f, r.getFloat(0), "keras_version " + v);
      assertEquals(0.2436386f, r.getFloat(1), "keras_version " + v);
      assertEquals(1.730916f, r.getFloat(2), "keras_version " + v);
    }
  }

  /** Seed 001: 11.522857 under tf.keras 2.x (eps inside the logs), 12.000716 in Keras 3. */
  @Test
  void seed001GivesTfKeras2NumbersOnlyUnderAVersion2() {
    Row r = spark().sql("SELECT keras_loss('binary_crossentropy', y_true, y_pred), "
        + "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"keras_version\": \"2.9\"}', y_true, y_pred), "
        + "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {}, \"keras_version\": \"2\"}', y_true, y_pred) "
        + "FROM seed_001").first();
    assertEquals(12.000716f, r.getFloat(0));
    assertEquals(11.522857f, r.getFloat(1));
    assertEquals(11.522857f, r.getFloat(2));
  }

  @Test
  void sessionDefaultAppliesToQueriesAnalysedAfterTheSetAndTheConfigKeyWins() {
    SparkSession spark = spark();
    String query = "SELECT keras_loss('binary_crossentropy', y_true, y_pred), "
        + "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"keras_version\": \"3.15\"}', y_true, y_pred), "
        + "loss_reduce(loss_binary_crossentropy(CAST(y_true AS FLOAT), CAST(y_pred AS FLOAT))) FROM seed_001";
    Row before = spark.sql(query).first();
    spark.sql("SET spark.lossagg.kerasVersion=2.9");
    Row after = spark.sql(query).first();
    spark.sql("RESET spark.lossagg.kerasVersion");
    Row reset = spark.sql(query).first();
    assertEquals(12.000716f, before.getFloat(0));
    assertEquals(11.522857f, after.getFloat(0));
    assertEquals(12.000716f, after.getFloat(1)); // the config's own key wins over the session default
    assertEquals(12.000716f, reset.getFloat(0));
    // The per-row function follows the session default too (float32 here, as y_pred is FLOAT).
    assertEquals(12.000716, before.getDouble(2), 1e-5);
    assertEquals(11.522857, after.getDouble(2), 1e-5);
  }

  /** Tversky(alpha=0.2, beta=0.8), Keras' own test: -0.2963 in 3.15.x (the default), -0.9444 at HEAD ("3.16"). */
  @Test
  void tverskyDefaultIsTheReleaseAnd316IsHead() {
    SparkSession spark = spark();
    String tversky = "'{\"class_name\": \"Tversky\", \"config\": {\"alpha\": 0.2, \"beta\": 0.8}%s}'";
    Row r = spark.sql("SELECT keras_loss(" + String.format(tversky, "") + ", y_true, y_pred), keras_loss("
        + String.format(tversky, ", \"keras_version\": \"3.16\"") + ", y_true, y_pred), keras_loss("
        + String.format(tversky, ", \"keras_version\": \"3.15.1\"") + ", y_true, y_pred) FROM tversky_case").first();
    assertEquals(-0.29629636f, r.getFloat(0), 1e-7f);
    assertEquals(-0.9444444f, r.getFloat(1), 1e-6f);
    assertEquals(r.getFloat(0), r.getFloat(2));
    spark.sql("SET spark.lossagg.kerasVersion=3.16");
    Row head = spark.sql("SELECT keras_loss(" + String.format(tversky, "") + ", y_true, y_pred), "
        + "loss_tversky(array(1.0, 2.0), array(4.0, 1.0), 0.2, 0.8, array(1)) FROM tversky_case").first();
    assertEquals(r.getFloat(1), head.getFloat(0));
    spark.conf().unset(SessionKerasVersion.KEY);
    double perRowReleased = spark.sql("SELECT loss_tversky(array(1.0, 2.0), array(4.0, 1.0), 0.2, 0.8, array(1))")
        .first().getDouble(0);
    // one row [1,2] vs [4,1]: TP 6, FP(HEAD) = -1, FN(HEAD) = -3 (as in Keras, values outside [0,1] are not clipped)
    assertEquals(1 - 6 / (6 + 0.2 * -1 + 0.8 * -3 + 1e-7), head.getDouble(1), 1e-6);
    assertEquals(1 - 6 / (6 + 0.2 * -3 + 0.8 * -1 + 1e-7), perRowReleased, 1e-6);
  }

  @Test
  void unknownVersionsAndMissingLossesAreAnalysisErrors() {
    SparkSession spark = spark();
    AnalysisException unknown = assertThrows(AnalysisException.class, () -> spark.sql(
        "SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"keras_version\": \"4.1\"}', y_true, y_pred) FROM seed_001"));
    assertTrue(unknown.getMessage().contains("keras_version '4.1' is a Keras lossagg does not know; expected one of '2' or"
        + " '2.0' to '2.20'"), unknown.getMessage());
    AnalysisException missing = assertThrows(AnalysisException.class, () -> spark.sql(
        "SELECT keras_loss('{\"class_name\": \"Tversky\", \"keras_version\": \"2.15\"}', y_true, y_pred) FROM tversky_case"));
    assertTrue(missing.getMessage().contains("Tversky: keras_version '2.15' (tf.keras 2.x) has no Tversky"), missing.getMessage());

    spark.sql("SET spark.lossagg.kerasVersion=2");
    AnalysisException dice = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT keras_loss('dice', y_true, y_pred) FROM tversky_case"));
    assertTrue(dice.getMessage().contains("under spark.lossagg.kerasVersion=2: Dice: keras_version '2' (tf.keras 2.x) has no Dice"),
        dice.getMessage());
    AnalysisException perRow = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT loss_circle(1, array(1.0, 0.0))"));
    assertTrue(perRow.getMessage().contains("Circle: keras_version '2' (tf.keras 2.x) has no Circle"), perRow.getMessage());

    spark.sql("SET spark.lossagg.kerasVersion=3.99");
    AnalysisException badSetting = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT keras_loss('mse', y_true, y_pred) FROM seed_001"));
    assertTrue(badSetting.getMessage().contains("spark.lossagg.kerasVersion (the session's default Keras version) is set to "
        + "'3.99': keras_version '3.99' is a Keras lossagg does not know"), badSetting.getMessage());
  }

  /** The Java API carries the version in the aggregate's config, and a typed aggregator keeps it. */
  @Test
  void javaBuiltLossesCarryTheirVersionIntoSpark() {
    SparkSession spark = spark();
    org.lossagg.losses.Loss k2 = org.lossagg.losses.BinaryCrossentropy.builder().kerasVersion("2.9").build();
    Row r = spark.table("seed_001").select(LossAggregates.kerasLoss(k2, org.apache.spark.sql.functions.col("y_true"),
        org.apache.spark.sql.functions.col("y_pred"))).first();
    assertEquals(11.522857f, r.getFloat(0));
  }
}
