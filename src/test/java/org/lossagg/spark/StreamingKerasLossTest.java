package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused batch plan ({@link FusedKerasLossStrategy}) is for batch queries: the same ungrouped
 * {@code keras_loss} over number columns, as a streaming query, is planned by Spark's stateful
 * aggregation (state store), keeps its running state across micro-batches and a restart, and ends
 * with the batch (fused) value.
 */
class StreamingKerasLossTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final String QUERY = "SELECT keras_loss('binary_crossentropy', label, prob, w) AS bce, "
      + "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}', label, prob) AS bce64 "
      + "FROM %s";

  @TempDir Path tmp;

  private void addFile(Path input, int part, long seed) {
    SPARK.range(0, 500, 1, 1).selectExpr("CAST(id % 2 AS DOUBLE) AS label",
        "rand(" + seed + ") AS prob", "0.5 + rand(" + (seed + 1) + ") AS w")
        .write().parquet(input.resolve("part" + part).toString());
  }

  private Row runOnce(Path input, Path checkpoint) throws TimeoutException {
    Dataset<Row> stream = SPARK.readStream().schema("label DOUBLE, prob DOUBLE, w DOUBLE")
        .option("maxFilesPerTrigger", "1").parquet(input.toString() + "/*");
    stream.createOrReplaceTempView("streaming_keras_loss_input");
    StreamingQuery q = SPARK.sql(String.format(QUERY, "streaming_keras_loss_input")).writeStream()
        .format("memory").queryName("streaming_keras_loss_out").outputMode("complete")
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()).start();
    try {
      q.awaitTermination();
    } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
      throw new AssertionError(e);
    }
    String plan = StreamingPlans.lastExecutedPlan(q);
    assertTrue(plan.contains("StateStoreSave"), plan);
    assertFalse(plan.contains("FusedKerasLoss"), plan);
    return SPARK.table("streaming_keras_loss_out").collectAsList().get(0);
  }

  @Test
  void streamingPlansKeepStateAcrossARestartAndEndWithTheBatchValue() throws Exception {
    Path input = Files.createDirectories(tmp.resolve("input"));
    Path checkpoint = tmp.resolve("checkpoint");
    addFile(input, 0, 1);
    addFile(input, 1, 2);
    Row first = runOnce(input, checkpoint);
    addFile(input, 2, 3);
    Row resumed = runOnce(input, checkpoint);

    Dataset<Row> all = SPARK.read().parquet(input.toString() + "/*");
    all.createOrReplaceTempView("streaming_keras_loss_all");
    Dataset<Row> batch = SPARK.sql(String.format(QUERY, "streaming_keras_loss_all"));
    Row expected = batch.collectAsList().get(0);
    assertEquals(Float.floatToRawIntBits(expected.getFloat(0)), Float.floatToRawIntBits(resumed.getFloat(0)));
    assertEquals(Double.doubleToRawLongBits(expected.getDouble(1)), Double.doubleToRawLongBits(resumed.getDouble(1)));
    // The restart added to the first run's state: two of three files, then all of them.
    SPARK.read().parquet(input.resolve("part0").toString(), input.resolve("part1").toString())
        .createOrReplaceTempView("streaming_keras_loss_first");
    assertEquals(SPARK.sql(String.format(QUERY, "streaming_keras_loss_first")).collectAsList().get(0), first);
    // The same SQL over a table is the fused batch plan.
    assertTrue(batch.queryExecution().executedPlan().toString().contains("FusedKerasLoss"));
  }
}
