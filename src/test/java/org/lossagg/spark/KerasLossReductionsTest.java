package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.Loss;

class KerasLossReductionsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static Dataset<Row> table() {
    return SPARK.sql("SELECT * FROM VALUES ('a', 1.0D, 0.9D, 2.0D), ('a', 0.0D, 0.3D, 0.5D), ('a', NULL, 0.2D, 1.0D),"
        + " ('b', 1.0D, 0.05D, 0.0D), ('b', 0.0D, 0.6D, 3.0D), ('c', NULL, 0.4D, 1.0D) AS t(g, y, p, w)").repartition(3);
  }

  @Test
  void everyReductionEqualsKerasLossConfiguredWithIt() {
    for (String config : List.of("{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"label_smoothing\": 0.1}}",
        "{\"class_name\": \"Hinge\", \"config\": {\"dtype\": \"float64\"}}")) {
      Loss loss = KerasLossConfig.fromJson(config);
      List<Row> got = table().groupBy("g").agg(LossAggregates.kerasLossReductions(loss, col("y"), col("p"), col("w"))
          .as("r")).orderBy("g").collectAsList();
      assertEquals(3, got.size());
      for (Row row : got) {
        Row r = row.getStruct(1);
        String g = row.getString(0);
        for (int k = 0; k < KerasLossReductions.REDUCTIONS.size(); k++) {
          String name = KerasLossReductions.REDUCTIONS.get(k).kerasName();
          String cfg = config.replace("\"config\": {", "\"config\": {\"reduction\": \"" + name + "\", ");
          Object want = table().where(col("g").equalTo(g))
              .agg(LossAggregates.kerasLoss(cfg, col("y"), col("p"), col("w"))).first().get(0);
          assertEquals(want, r.get(k), config + " " + name + " slice " + g);
        }
        assertEquals(g.equals("a") ? 2L : g.equals("b") ? 2L : 0L, r.getLong(4), "rows");
        assertEquals(g.equals("b") ? 0L : 1L, r.getLong(5), "skipped_rows");
        if (g.equals("c")) {
          assertNull(r.get(0), "no row counted: NULL, like keras_loss");
        }
      }
    }
  }
}
