package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.CategoricalFocalCrossentropy;
import org.lossagg.losses.Dice;
import org.lossagg.losses.Huber;
import org.lossagg.losses.Loss;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/**
 * The Java/Scala API: aggregate Columns built from Loss objects (options, dtype and the keras2
 * switch carry over) and from configs, and the typed {@link KerasLossDatasetAggregator} on a Dataset —
 * each equal to Keras' class form on the whole Dataset as one batch.
 */
class LossAggregatesTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int ROWS = 24;
  private static NdArray yTrue;
  private static NdArray yPred;
  private static NdArray weights;
  private static Dataset<Row> table;

  @BeforeAll
  static void data() {
    Random rnd = new Random(41);
    yTrue = LossTables.oneHot(rnd, ROWS);
    // Some predictions at the clip boundary, where tf.keras 2.x's epsilon inside the log matters.
    double[] p = LossTables.simplex(rnd, ROWS).data();
    p[0] = 0.0;
    p[4] = 1.0;
    yPred = NdArray.of(p, ROWS, LossTables.WIDTH);
    weights = LossTables.weights(rnd, ROWS);
    List<Object[]> groups = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      groups.add(new Object[] {r % 2});
    }
    table = SparkTables.frame(List.of(new SparkTables.Column("t", yTrue), new SparkTables.Column("p", yPred),
        new SparkTables.Column("w", weights)), List.of("g"), List.of(DataTypes.IntegerType), groups);
  }

  static List<Loss> losses() {
    return List.of(
        BinaryCrossentropy.builder().build(),
        BinaryCrossentropy.builder().keras2(true).build(),
        Huber.builder().delta(0.3).dtype(DType.FLOAT64).reduction(Reduction.SUM).build(),
        CategoricalFocalCrossentropy.builder().alpha(0.2, 0.5, 0.3).gamma(1.5).build(),
        Dice.builder().axis(new int[] {1}).reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT).build(),
        Dice.builder().build());
  }

  @Test
  void kerasLossColumnsCarryTheWholeLoss() {
    List<Column> cols = new ArrayList<>();
    for (Loss loss : losses()) {
      cols.add(LossAggregates.kerasLoss(loss, col("t"), col("p")));
      cols.add(LossAggregates.kerasLoss(loss, col("t"), col("p"), col("w")));
    }
    Row r = table.repartition(5).agg(cols.get(0), cols.subList(1, cols.size()).toArray(new Column[0])).first();
    List<Loss> losses = losses();
    for (int i = 0; i < losses.size(); i++) {
      Loss loss = losses.get(i);
      assertEquals(Double.doubleToLongBits(loss.call(yTrue, yPred).item()), Double.doubleToLongBits(SparkTables.value(r, 2 * i)),
          loss.toString());
      assertEquals(Double.doubleToLongBits(loss.call(yTrue, yPred, weights).item()),
          Double.doubleToLongBits(SparkTables.value(r, 2 * i + 1)), loss + " weighted");
      assertEquals(loss.dtype() == DType.FLOAT64 ? Double.class : Float.class, r.get(2 * i).getClass(), loss.toString());
    }
    assertNotEquals(r.get(0), r.get(2), "keras2 numerics give another value at the clip boundary");
  }

  @Test
  void configColumnsAndReducersMatchTheirSql() {
    table.createOrReplaceTempView("api_table");
    Row sql = SPARK.sql("SELECT g, keras_loss('categorical_crossentropy', t, p, w), loss_reduce(p, w, 'mean_with_sample_weight'), "
        + "loss_reduce(p), loss_summary(p, w) FROM api_table GROUP BY g ORDER BY g").collectAsList().get(1);
    Row api = table.groupBy("g").agg(LossAggregates.kerasLoss("categorical_crossentropy", col("t"), col("p"), col("w")),
        LossAggregates.lossReduce(col("p"), col("w"), Reduction.MEAN_WITH_SAMPLE_WEIGHT),
        LossAggregates.lossReduce(col("p")),
        LossAggregates.lossSummary(col("p"), col("w"))).orderBy("g").collectAsList().get(1);
    assertEquals(sql, api);
    assertTrue(Arrays.asList(table.groupBy("g").agg(LossAggregates.lossReduce(col("p"))).columns()).contains("loss_reduce(p, 'sum_over_batch_size')"));
  }

  @Test
  void typedAggregatorGivesTheClassFormOnTheDataset() {
    List<PredictionRow> examples = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      examples.add(new PredictionRow(row(yTrue, r), row(yPred, r), weights.data()[r]));
    }
    examples.add(new PredictionRow(null, row(yPred, 0), null));
    Dataset<PredictionRow> ds = SPARK.createDataset(examples, Encoders.bean(PredictionRow.class));
    for (Loss loss : losses()) {
      double plain = ds.repartition(4).select(KerasLossDatasetAggregator.of(loss).toColumn()).first();
      double weighted = ds.repartition(7).select(KerasLossDatasetAggregator.weighted(loss).toColumn()).first();
      assertEquals(Double.doubleToLongBits(loss.call(yTrue, yPred).item()), Double.doubleToLongBits(plain), loss.toString());
      assertEquals(Double.doubleToLongBits(loss.call(yTrue, yPred, weights).item()), Double.doubleToLongBits(weighted),
          loss + " weighted");
    }
    Dataset<PredictionRow> empty = SPARK.createDataset(List.<PredictionRow>of(), Encoders.bean(PredictionRow.class));
    assertNull(empty.select(KerasLossDatasetAggregator.of(losses().get(0)).toColumn()).first());
  }

  private static double[] row(NdArray a, int r) {
    int w = a.dim(1);
    return Arrays.copyOfRange(a.data(), r * w, (r + 1) * w);
  }
}
