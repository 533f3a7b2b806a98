package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.CategoricalFocalCrossentropy;
import org.lossagg.losses.Dice;
import org.lossagg.losses.Huber;
import org.lossagg.losses.Loss;
import org.lossagg.losses.MeanSquaredError;
import org.lossagg.losses.SparseCategoricalCrossentropy;
import org.lossagg.losses.Tversky;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/**
 * Every numeric input type for values and options (a DECIMAL literal such as {@code 0.1} included),
 * NULL handling, and the per-row expression's behaviour as a Catalyst expression (grouping by it,
 * Java serialization).
 */
class RowLossInputTypesTest {
  private static final double[][] T = {{0, 1, 1}, {1, 0, 1}};
  private static final double[][] P = {{0.25, 0.5, 0.75}, {0.125, 0.625, 0.875}};

  @BeforeAll
  static void table() {
    List<Object[]> rows = List.of(
        new Object[] {0, T[0], P[0], 3, 1.5, 2L},
        new Object[] {1, T[1], P[1], 1, -0.5, 7L});
    SparkRows.table(rows, new String[] {"id", "t", "p", "i", "d", "l"}, new DataType[] {DataTypes.IntegerType,
        SparkRows.doubles(1), SparkRows.doubles(1), DataTypes.IntegerType, DataTypes.DoubleType, DataTypes.LongType})
        .createOrReplaceTempView("types_rows");
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static List<Row> rows(String select) {
    return spark().sql("SELECT " + select + " FROM types_rows ORDER BY id").collectAsList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(10, 0)"})
  void integerValuedArraysOfEveryNumericTypeGiveTheDoubleResult(String type) {
    // 3 t and 8 p are small integers, which every numeric type holds exactly.
    String a = "CAST(transform(t, x -> x * 3) AS ARRAY<" + type + ">)";
    String b = "CAST(transform(p, x -> x * 8) AS ARRAY<" + type + ">)";
    List<Row> got = rows("loss_mean_squared_error(" + a + ", " + b + "), loss_mean_squared_error(CAST(i AS " + type
        + "), CAST(l AS " + type + "))");
    DType dt = type.equals("FLOAT") ? DType.FLOAT32 : DType.FLOAT64;
    Loss mse = MeanSquaredError.builder().build();
    long[] l = {2, 7};
    int[] i = {3, 1};
    for (int r = 0; r < 2; r++) {
      NdArray t = NdArray.vector(T[r]).map(x -> x * 3);
      NdArray p = NdArray.vector(P[r]).map(x -> x * 8);
      assertEquals(mse.functionOnRow(t, p, dt).values().item(), got.get(r).getDouble(0), type);
      assertEquals(mse.functionOnRow(NdArray.scalar(i[r]), NdArray.scalar(l[r]), dt).values().item(),
          got.get(r).getDouble(1), type);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FLOAT", "DOUBLE", "DECIMAL(6, 3)", "DECIMAL(38, 30)"})
  void fractionalTypesAndDecimalsReadLikeACastToDouble(String type) {
    List<Row> got = rows("loss_binary_crossentropy(CAST(t AS ARRAY<" + type + ">), CAST(p AS ARRAY<" + type + ">)), "
        + "loss_binary_crossentropy(CAST(t AS ARRAY<" + type + ">), p), "
        + "loss_binary_crossentropy(CAST(array(t, t) AS ARRAY<ARRAY<" + type + ">>), CAST(array(p, p) AS ARRAY<ARRAY<"
        + type + ">>))");
    DType dt = type.equals("FLOAT") ? DType.FLOAT32 : DType.FLOAT64;
    Loss bce = BinaryCrossentropy.builder().build();
    for (int r = 0; r < 2; r++) {
      // Every value of P is a dyadic fraction, exact in every type here.
      double v = bce.functionOnRow(NdArray.vector(T[r]), NdArray.vector(P[r]), dt).values().item();
      assertEquals(v, got.get(r).getDouble(0), type);
      assertEquals(bce.functionOnRow(NdArray.vector(T[r]), NdArray.vector(P[r]), DType.FLOAT64).values().item(),
          got.get(r).getDouble(1), type + " y_true only: y_pred's DOUBLE sets float64");
      assertEquals(List.of(v, v), got.get(r).getList(2), type);
    }
  }

  @Test
  void decimalLiteralsReadAsTheDoubleTheyDenote() {
    Row r = spark().sql("SELECT loss_mean_squared_error(array(0.1, 0.7), array(0.3, 0.2))").first();
    Loss mse = MeanSquaredError.builder().build();
    assertEquals(mse.functionOnRow(NdArray.vector(0.1, 0.7), NdArray.vector(0.3, 0.2), DType.FLOAT64).values().item(),
        r.getDouble(0));
  }

  @Test
  void optionsAcceptDecimalIntegerFloatAndBigintLiterals() {
    Loss smoothed = BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.1).build();
    Loss huber2 = Huber.builder().delta(2.0).build();
    List<Row> got = rows("loss_binary_crossentropy(t, p, true, 0.1), loss_binary_crossentropy(t, p, true, 0.1D), "
        + "loss_binary_crossentropy(t, p, true, 1e-1), loss_huber(t, p, 2), loss_huber(t, p, 2L), "
        + "loss_huber(t, p, CAST(2 AS TINYINT)), loss_huber(t, p, CAST(2 AS FLOAT)), loss_huber(t, p, 2.00), "
        + "loss_binary_crossentropy(t, p, false, 0, -1L), loss_binary_crossentropy(t, p, false, 0, 1.0)");
    Loss plain = BinaryCrossentropy.builder().build();
    for (int r = 0; r < 2; r++) {
      NdArray t = NdArray.vector(T[r]);
      NdArray p = NdArray.vector(P[r]);
      double s = smoothed.functionOnRow(t, p, DType.FLOAT64).values().item();
      double h = huber2.functionOnRow(t, p, DType.FLOAT64).values().item();
      double b = plain.functionOnRow(t, p, DType.FLOAT64).values().item();
      Row row = got.get(r);
      for (int c = 0; c < 3; c++) {
        assertEquals(s, row.getDouble(c), "label_smoothing literal " + c);
      }
      for (int c = 3; c < 8; c++) {
        assertEquals(h, row.getDouble(c), "delta literal " + c);
      }
      assertEquals(b, row.getDouble(8), "axis BIGINT");
      assertEquals(b, row.getDouble(9), "axis 1.0");
    }
  }

  @Test
  void nullAndArrayOptions() {
    Loss ignore = SparseCategoricalCrossentropy.builder().ignoreClass(null).build();
    Loss diceAxis = Dice.builder().axis(new int[] {1}).build();
    Loss diceOne = Dice.builder().axis(1).build();
    Loss tversky = Tversky.builder().alpha(0.7).beta(0.3).build();
    Loss cfce = CategoricalFocalCrossentropy.builder().alpha(new double[] {0.2, 0.5, 0.3}).gamma(1.0).build();
    List<Row> got = rows("loss_sparse_categorical_crossentropy(1, p, false, NULL), "
        + "loss_sparse_categorical_crossentropy(1, p, false, CAST(NULL AS INT)), loss_dice(t, p, array(1)), "
        + "loss_dice(t, p, 1), loss_dice(t, p, NULL), loss_tversky(t, p, 0.7, 0.3, NULL), "
        + "loss_categorical_focal_crossentropy(t, p, array(0.2, 0.5, 0.3), 1)");
    for (int r = 0; r < 2; r++) {
      NdArray t = NdArray.vector(T[r]);
      NdArray p = NdArray.vector(P[r]);
      Row row = got.get(r);
      double sc = ignore.functionOnRow(NdArray.scalar(1), p, DType.FLOAT64).values().item();
      assertEquals(sc, row.getDouble(0));
      assertEquals(sc, row.getDouble(1));
      assertEquals(diceAxis.functionOnRow(t, p, DType.FLOAT64).values().item(), row.getDouble(2));
      assertEquals(diceOne.functionOnRow(t, p, DType.FLOAT64).values().item(), row.getDouble(3));
      assertEquals(Dice.builder().build().functionOnRow(t, p, DType.FLOAT64).values().item(), row.getDouble(4));
      assertEquals(tversky.functionOnRow(t, p, DType.FLOAT64).values().item(), row.getDouble(5));
      assertEquals(cfce.functionOnRow(t, p, DType.FLOAT64).values().item(), row.getDouble(6));
    }
  }

  @Test
  void ignoredClassPositionsAreNull() {
    List<Row> got = rows("loss_sparse_categorical_crossentropy(1, p, false, 1), "
        + "loss_sparse_categorical_crossentropy(array(0, 1, 2), array(p, p, p), false, 1)");
    for (Row row : got) {
      assertNull(row.get(0));
      List<Object> v = row.getList(1);
      assertNull(v.get(1));
      assertEquals(3, v.size());
      assertEquals(Double.class, v.get(0).getClass());
    }
  }

  @Test
  void nullInputsGiveNull() {
    List<Row> got = rows("loss_mean_squared_error(NULL, p), loss_mean_squared_error(t, NULL), "
        + "loss_mean_squared_error(NULL, NULL), loss_mean_squared_error(CAST(NULL AS ARRAY<DOUBLE>), p), "
        + "loss_circle(i, p, NULL, array(p), false), loss_sparse_categorical_crossentropy(NULL, p)");
    for (Row row : got) {
      for (int c = 0; c < row.size(); c++) {
        assertNull(row.get(c), "column " + c);
      }
    }
  }

  @Test
  void groupingByTheExpressionMatchesTheSelectedOne() {
    List<Row> got = spark().sql("SELECT loss_huber(t, p, 2.0), count(*) FROM types_rows GROUP BY loss_huber(t, p, 2.0) "
        + "ORDER BY 1").collectAsList();
    assertEquals(2, got.size());
    assertEquals(1L, got.get(0).getLong(1));
  }

  @Test
  void theExpressionSurvivesJavaSerialization() throws Exception {
    RowLoss e = (RowLoss) RowLossFunctions.build(Huber.SPEC, List.of(
        org.apache.spark.sql.catalyst.expressions.Literal.create(1.0, DataTypes.DoubleType),
        org.apache.spark.sql.catalyst.expressions.Literal.create(4.0, DataTypes.DoubleType),
        org.apache.spark.sql.catalyst.expressions.Literal.create(2.0, DataTypes.DoubleType)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    RowLoss back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (RowLoss) in.readObject();
    }
    assertEquals(e, back);
    assertEquals(e.hashCode(), back.hashCode());
    assertEquals(4.0, back.eval(null));
    assertEquals("loss_huber(1.0D, 4.0D, 2.0)", back.sql());
    assertEquals(e, e.clone());
    assertEquals(e, e.canonicalized());
  }
}
