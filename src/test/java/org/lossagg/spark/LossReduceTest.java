package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.LossAccumulator;
import org.lossagg.reduce.Reduction;

/**
 * loss_reduce and loss_summary against hand computation: the values are multiples of 1/8 so every
 * sum below is exact in double and the only rounding is the final division, which both sides do
 * once. NULL losses and NULL elements are masked; weights count as Keras counts them for each row
 * as a batch of one.
 */
class LossReduceTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void table() {
    SPARK.sql("SELECT * FROM VALUES "
        + "(0, 0.5D, 2D, array(0.5D, 1.0D), array(1D, 3D)), "
        + "(1, NULL, 1D, array(0.25D, NULL), array(2D, 2D)), "
        + "(2, 1.25D, 0.5D, NULL, NULL), "
        + "(3, 2.0D, 1.5D, array(2.0D, 0.75D), array(0.5D, 0.5D)) "
        + "AS t(id, l, w, la, wa)").createOrReplaceTempView("losses");
  }

  /** Runs every aggregate in one query and checks each against its hand-computed value. */
  private static void check(Object... aggregateThenExpected) {
    List<String> aggs = new ArrayList<>();
    for (int i = 0; i < aggregateThenExpected.length; i += 2) {
      aggs.add((String) aggregateThenExpected[i]);
    }
    Row r = SPARK.sql("SELECT " + String.join(", ", aggs) + " FROM losses").first();
    for (int i = 0; i < aggs.size(); i++) {
      assertEquals((Double) aggregateThenExpected[2 * i + 1], SparkTables.value(r, i), aggs.get(i));
    }
  }

  @Test
  void scalarLossesWithAndWithoutWeights() {
    // Rows 0, 2, 3 have a loss; row 1 is masked (its weight is not read).
    check("loss_reduce(l)", 3.75 / 3,
        "loss_reduce(l, 'sum')", 3.75,
        "loss_reduce(l, NULL, 'sum')", 3.75,
        "loss_reduce(l, NULL, 'mean')", 3.75 / 3,
        "loss_reduce(l, NULL, 'mean_with_sample_weight')", 3.75 / 3,
        "loss_reduce(l, w)", 4.625 / 3,
        "loss_reduce(l, w, 'sum')", 4.625,
        "loss_reduce(l, w, 'sum_over_batch_size')", 4.625 / 3,
        "loss_reduce(l, w, 'MEAN')", 4.625 / 3,
        "loss_reduce(l, w, 'mean_with_sample_weight')", 4.625 / 4);
  }

  @Test
  void arrayLossesMaskNullElementsAndWeighAsKerasDoesPerRow() {
    check(
        // Unweighted: 0.5 + 1 + 0.25 + 2 + 0.75 over 5 unmasked elements.
        "loss_reduce(la)", 4.5 / 5,
        // Row weights: rows 0 and 3 count their weight once; row 1 (a NULL element) once per unmasked element.
        "loss_reduce(la, w, 'sum')", 7.375,
        "loss_reduce(la, w)", 7.375 / 5,
        "loss_reduce(la, w, 'mean_with_sample_weight')", 7.375 / 4.5,
        // Element weights: each unmasked element's weight.
        "loss_reduce(la, wa, 'sum')", 5.375,
        "loss_reduce(la, wa, 'mean_with_sample_weight')", 5.375 / 7);
  }

  @Test
  void summaryHasEverySumCountAndReductionInOnePass() {
    Row s = SPARK.sql("SELECT loss_summary(la, w), loss_summary(l) FROM losses").first();
    Row weighted = s.getStruct(0);
    assertEquals(7.375, weighted.getDouble(0));
    assertEquals(7L, weighted.getLong(1));
    assertEquals(4.5, weighted.getDouble(2));
    assertEquals(2L, weighted.getLong(3));
    assertEquals(7.375, weighted.getDouble(4));
    assertEquals(7.375 / 5, weighted.getDouble(5));
    assertEquals(7.375 / 5, weighted.getDouble(6));
    assertEquals(7.375 / 4.5, weighted.getDouble(7));
    assertEquals(List.of("weighted_sum", "element_count", "weight_sum", "masked_count", "sum", "sum_over_batch_size", "mean",
        "mean_with_sample_weight"), List.of(weighted.schema().fieldNames()));
    Row unweighted = s.getStruct(1);
    assertEquals(3.75, unweighted.getDouble(0));
    assertEquals(4L, unweighted.getLong(1));
    assertTrue(unweighted.isNullAt(2), "no weights, no weight sum");
    assertEquals(1L, unweighted.getLong(3));
    assertEquals(3.75 / 3, unweighted.getDouble(7));
  }

  @Test
  void noRowWithALossGivesNullAndAZeroDivisorGivesZero() {
    Row r = SPARK.sql("SELECT loss_reduce(l), loss_reduce(la, w, 'sum'), loss_summary(l, w) FROM losses WHERE id = 1 OR id > 5")
        .first();
    assertTrue(r.isNullAt(0));
    Row summary = r.getStruct(2);
    assertEquals(1L, summary.getLong(1));
    assertEquals(1L, summary.getLong(3));
    assertTrue(summary.isNullAt(0) && summary.isNullAt(2) && summary.isNullAt(4) && summary.isNullAt(7));
    // Row 1's array has an unmasked element, so it has a loss.
    assertEquals(0.25, SparkTables.value(r, 1));
    Row empty = SPARK.sql("SELECT loss_reduce(l), loss_summary(l) FROM losses WHERE id > 5").first();
    assertTrue(empty.isNullAt(0));
    assertEquals(0L, empty.getStruct(1).getLong(1));
    assertEquals(0.0, SparkTables.value(SPARK.sql(
        "SELECT loss_reduce(l, 0, 'mean_with_sample_weight') FROM losses").first(), 0), "divide_no_nan");
  }

  @Test
  void nullWeightsAreErrorsOnlyWhereTheLossCounts() {
    Exception e = assertThrows(Exception.class,
        () -> SPARK.sql("SELECT loss_reduce(l, w) FROM VALUES (1.0D, NULL), (2.0D, 1D) AS t(l, w)").collect());
    assertEquals("loss_reduce: argument 2 (sample_weight, t.w) is NULL in a row whose loss is not NULL; give every row "
        + "with a loss a weight (0 leaves it out of the sums), or make its loss NULL to mask it", AggregateNullsTest.rootMessage(e));
    assertEquals(2.0, SparkTables.value(SPARK.sql(
        "SELECT loss_reduce(l, w, 'sum') FROM VALUES (NULL, NULL), (2.0D, 1D) AS t(l, w)").first(), 0));
    Exception shape = assertThrows(Exception.class,
        () -> SPARK.sql("SELECT loss_summary(l, w) FROM VALUES (array(1.0D, 2.0D), array(1D)) AS t(l, w)").collect());
    assertEquals("loss_summary: argument 2 (sample_weight, t.w) has shape [1] but the row's loss has shape [2]; give one "
        + "weight per row (a number) or one per loss element (same shape)", AggregateNullsTest.rootMessage(shape));
  }

  @Test
  void matchesKerasLossInFloat64OnScalarRows() {
    Random rnd = new Random(5);
    NdArray t = LossTables.normal(rnd, 25);
    NdArray p = LossTables.normal(rnd, 25);
    SparkTables.frame(List.of(new SparkTables.Column("t", t), new SparkTables.Column("p", p),
        new SparkTables.Column("w", LossTables.weights(rnd, 25)))).createOrReplaceTempView("mse_rows");
    for (Reduction r : List.of(Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.MEAN, Reduction.MEAN_WITH_SAMPLE_WEIGHT)) {
      String config = LossTables.cfg("MeanSquaredError", "\"dtype\": \"float64\", \"reduction\": \"" + r.kerasName() + "\"");
      Row row = SPARK.sql("SELECT loss_reduce((t - p) * (t - p), w, '" + r.kerasName() + "'), keras_loss('" + config
          + "', t, p, w) FROM mse_rows").first();
      assertEquals(Double.doubleToLongBits(SparkTables.value(row, 1)), Double.doubleToLongBits(SparkTables.value(row, 0)),
          r.kerasName());
    }
  }

  @Test
  void theAggregatesWorkAsWindowFunctions() {
    List<Row> rows = SPARK.sql("SELECT id, loss_reduce(l, w, 'sum') OVER (PARTITION BY id % 2), "
        + "keras_loss('mse', l, w) OVER (PARTITION BY id % 2) FROM losses ORDER BY id").collectAsList();
    // Rows 0 and 2 (even ids): 0.5·2 + 1.25·0.5; odd ids: row 1 masked, row 3 2.0·1.5.
    assertEquals(1.625, rows.get(0).getDouble(1));
    assertEquals(3.0, rows.get(1).getDouble(1));
    assertEquals(rows.get(0).get(2), SPARK.sql("SELECT keras_loss('mse', l, w) FROM losses WHERE id % 2 = 0").first().get(0));
  }

  @Test
  void everySplitGivesTheSameBits() {
    Random rnd = new Random(17);
    int rows = 50;
    NdArray losses = LossTables.normal(rnd, rows, 4);
    NdArray weights = LossTables.weights(rnd, rows);
    Dataset<Row> df = SparkTables.frame(List.of(new SparkTables.Column("l", losses), new SparkTables.Column("w", weights)));
    LossAccumulator oracle = new LossAccumulator();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 4; c++) {
        oracle.addValue(losses.data()[r * 4 + c] * weights.data()[r]);
      }
      oracle.addWeight(weights.data()[r]);
    }
    List<Dataset<Row>> splits = new ArrayList<>(List.of(df.repartition(1), df.repartition(3), df.repartition(64),
        df.orderBy(org.apache.spark.sql.functions.rand(3)).repartition(7)));
    for (Dataset<Row> split : splits) {
      Row r = split.selectExpr("loss_reduce(l, w)", "loss_reduce(l, w, 'mean_with_sample_weight')", "loss_summary(l, w)").first();
      assertEquals(Double.doubleToLongBits(oracle.result(Reduction.SUM_OVER_BATCH_SIZE)), Double.doubleToLongBits(r.getDouble(0)));
      assertEquals(Double.doubleToLongBits(oracle.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT)),
          Double.doubleToLongBits(r.getDouble(1)));
      assertEquals(oracle.weightedSum(), r.getStruct(2).getDouble(0));
    }
  }

  /**
   * Number losses enter the state in batches (LossValuesState); with thousands of rows per task,
   * NULL losses among them and any split, the results are those of one row at a time.
   */
  @Test
  void manyNumberRowsWithNullsGiveTheBitsOfOneRowAtATime() {
    Random rnd = new Random(29);
    int rows = 5_000;
    List<Row> data = new ArrayList<>();
    LossAccumulator unweighted = new LossAccumulator();
    LossAccumulator weighted = new LossAccumulator();
    for (int r = 0; r < rows; r++) {
      Double l = r % 37 == 5 ? null : Math.exp(rnd.nextGaussian() * 3);
      double w = rnd.nextDouble() * 2;
      data.add(org.apache.spark.sql.RowFactory.create(r, l, w));
      if (l == null) {
        unweighted.addMasked();
        weighted.addMasked();
      } else {
        unweighted.addValue(l);
        weighted.addWeightedValue(l, w);
      }
    }
    Dataset<Row> df = SPARK.createDataFrame(data, new org.apache.spark.sql.types.StructType()
        .add("id", "int").add("l", "double").add("w", "double"));
    for (Dataset<Row> split : List.of(df.repartition(1), df.repartition(3), df.orderBy(org.apache.spark.sql.functions.rand(5)).repartition(2))) {
      Row r = split.selectExpr("loss_reduce(l)", "loss_reduce(l, w, 'sum')", "loss_reduce(l, w, 'mean_with_sample_weight')",
          "loss_summary(l, w)").first();
      assertEquals(Double.doubleToLongBits(unweighted.result(Reduction.SUM_OVER_BATCH_SIZE)), Double.doubleToLongBits(r.getDouble(0)));
      assertEquals(Double.doubleToLongBits(weighted.result(Reduction.SUM)), Double.doubleToLongBits(r.getDouble(1)));
      assertEquals(Double.doubleToLongBits(weighted.result(Reduction.MEAN_WITH_SAMPLE_WEIGHT)),
          Double.doubleToLongBits(r.getDouble(2)));
      assertEquals(weighted.weightedSum(), r.getStruct(3).getDouble(0));
    }
  }
}
