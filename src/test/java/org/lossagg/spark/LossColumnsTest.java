package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.Circle;
import org.lossagg.losses.Loss;
import org.lossagg.losses.MeanSquaredError;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/** The Java/Scala Column API: per-row Columns from a configured loss, a Keras config, or a function name. */
class LossColumnsTest {
  private static final double[][] T = {{0, 1}, {1, 1}, {0, 0}};
  private static final double[][] P = {{-1.25, 2.5}, {0.75, -0.5}, {3.0, -4.0}};
  private static Dataset<Row> df;

  @BeforeAll
  static void table() {
    List<Object[]> rows = List.of(
        new Object[] {0, T[0], P[0], "a"},
        new Object[] {1, T[1], P[1], "b"},
        new Object[] {2, T[2], P[2], "c"});
    df = SparkRows.table(rows, new String[] {"id", "t", "p", "s"}, new DataType[] {DataTypes.IntegerType,
        SparkRows.doubles(1), SparkRows.doubles(1), DataTypes.StringType});
  }

  @Test
  void perRowOfABuiltLossIsTheSqlFunctionWithItsOptions() {
    Loss bce = BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.1).build();
    Column c = LossColumns.perRow(bce, col("t"), col("p"));
    Dataset<Row> out = df.select(c, expr("loss_binary_crossentropy(t, p, true, 0.1)"));
    assertEquals("loss_binary_crossentropy(t, p, true, 0.1)", out.columns()[0]);
    List<Row> rows = out.collectAsList();
    for (int r = 0; r < rows.size(); r++) {
      double expected = bce.functionOnRow(NdArray.vector(T[r]), NdArray.vector(P[r]), DType.FLOAT64).values().item();
      assertEquals(expected, rows.get(r).getDouble(0));
      assertEquals(expected, rows.get(r).getDouble(1));
    }
  }

  @Test
  void perRowFollowsYPredsPrecisionAndTheKeras2Switch() {
    Loss keras2 = BinaryCrossentropy.builder().keras2(true).build();
    List<Row> rows = df.select(LossColumns.perRow(keras2, col("t"), expr("transform(p, x -> 1 / (1 + exp(-x)))")),
        LossColumns.perRow(keras2, col("t"), expr("CAST(transform(p, x -> 1 / (1 + exp(-x))) AS ARRAY<FLOAT>)")))
        .collectAsList();
    for (int r = 0; r < rows.size(); r++) {
      NdArray p = NdArray.vector(P[r]).map(x -> 1 / (1 + Math.exp(-x)));
      assertEquals(keras2.functionOnRow(NdArray.vector(T[r]), p, DType.FLOAT64).values().item(), rows.get(r).getDouble(0));
      assertEquals(keras2.functionOnRow(NdArray.vector(T[r]), p.map(x -> (float) x), DType.FLOAT32).values().item(),
          rows.get(r).getDouble(1));
    }
  }

  @Test
  void perRowFromAKerasConfigAndCallByName() {
    List<Row> rows = df.select(
        LossColumns.perRow("{\"class_name\": \"Huber\", \"config\": {\"delta\": 2.0}}", col("t"), col("p")),
        LossColumns.perRow("mse", col("t"), col("p")),
        LossColumns.call("loss_huber", col("t"), col("p"), lit(2.0)),
        expr("loss_huber(t, p, 2.0)"),
        expr("loss_mean_squared_error(t, p)")).collectAsList();
    for (Row r : rows) {
      assertEquals(r.getDouble(3), r.getDouble(0));
      assertEquals(r.getDouble(3), r.getDouble(2));
      assertEquals(r.getDouble(4), r.getDouble(1));
    }
  }

  @Test
  void circleAgainstReferenceRows() {
    Circle circle = Circle.builder().removeDiagonal(false).gamma(64).margin(0.25).build();
    List<Row> rows = df.select(LossColumns.perRow(circle, lit(1), expr("array(0.6D, 0.8D)"), expr("array(1, 1, 2)"),
        expr("array(array(1D, 0D), array(0.6D, 0.8D), array(0D, 1D))"))).collectAsList();
    double expected = circle.function(NdArray.vector(1), NdArray.matrix(new double[][] {{0.6, 0.8}}), NdArray.vector(1, 1, 2),
        NdArray.matrix(new double[][] {{1, 0}, {0.6, 0.8}, {0, 1}}), DType.FLOAT64).values().item();
    assertEquals(expected, rows.get(0).getDouble(0));
  }

  @Test
  void aWrongColumnTypeFailsAnalysisNamingFunctionAndArgument() {
    Loss mse = MeanSquaredError.builder().build();
    AnalysisException e = assertThrows(AnalysisException.class,
        () -> df.select(LossColumns.perRow(mse, col("s"), col("p"))).collectAsList());
    assertTrue(e.getMessage().contains("loss_mean_squared_error: argument 1 (y_true) has type STRING; expected a number, "
        + "an ARRAY of numbers or an ARRAY<ARRAY> of numbers"), e.getMessage());
  }
}
