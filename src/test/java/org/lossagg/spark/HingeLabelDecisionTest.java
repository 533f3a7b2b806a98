package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.Hinge;
import org.lossagg.losses.Loss;
import org.lossagg.losses.SquaredHinge;
import org.lossagg.numerics.NdArray;

/**
 * Keras converts Hinge labels {0, 1} to {-1, 1} only when EVERY label of the call is 0 or 1. Over
 * a table that is one decision for the whole table: one row with a -1 label, alone in its
 * partition, turns the conversion off for every other partition too.
 */
class HingeLabelDecisionTest {
  private static final int ROWS = 30;

  @Test
  void oneNonBinaryLabelAnywhereTurnsTheConversionOffEverywhere() {
    Random rnd = new Random(99);
    NdArray yTrue = LossTables.binary(rnd, ROWS);
    NdArray yPred = LossTables.normal(rnd, ROWS, LossTables.WIDTH);
    NdArray allBinary = yTrue;
    double[] t = yTrue.data().clone();
    t[17 * LossTables.WIDTH + 1] = -1;
    NdArray withMinusOne = NdArray.of(t, ROWS, LossTables.WIDTH);

    List<Loss> losses = List.<Loss>of(Hinge.builder().build(), SquaredHinge.builder().build());
    List<NdArray> labelSets = List.of(allBinary, withMinusOne);
    List<String> aggs = new ArrayList<>();
    for (Loss loss : losses) {
      aggs.add("keras_loss('" + loss.spec().functionName() + "', t_binary, p)");
      aggs.add("keras_loss('" + loss.spec().functionName() + "', t_minus_one, p)");
    }
    Dataset<Row> df = table(allBinary, withMinusOne, yPred);
    // Range partitioning on id puts row 17 in a partition of its own.
    for (Dataset<Row> split : List.of(df.repartitionByRange(ROWS, col("id")), df.repartition(7), df.repartition(1))) {
      Row r = split.selectExpr(aggs.toArray(new String[0])).first();
      for (int k = 0; k < aggs.size(); k++) {
        double whole = losses.get(k / 2).call(labelSets.get(k % 2), yPred).item();
        assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(SparkTables.value(r, k)), aggs.get(k));
      }
    }
    // Deciding per row (a batch of one each) would convert 29 of the rows: another value.
    df.createOrReplaceTempView("hinge_rows");
    for (Loss loss : losses) {
      double perRow = SparkTables.value(SparkTestSession.get().sql("SELECT avg(CAST(l AS DOUBLE)) FROM (SELECT keras_loss('"
          + loss.spec().functionName() + "', t_minus_one, p) AS l FROM hinge_rows GROUP BY id)").first(), 0);
      assertNotEquals(loss.call(withMinusOne, yPred).item(), perRow, 1e-3, loss.spec().className());
    }
  }

  private static Dataset<Row> table(NdArray binary, NdArray minusOne, NdArray preds) {
    List<Object[]> ids = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      ids.add(new Object[] {r});
    }
    return SparkTables.frame(List.of(new SparkTables.Column("t_binary", binary), new SparkTables.Column("t_minus_one", minusOne),
        new SparkTables.Column("p", preds)),
        List.of("id"), List.of(DataTypes.IntegerType), ids);
  }
}
