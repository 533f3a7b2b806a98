package org.lossagg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.CategoricalCrossentropy;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.LossVariants;
import org.lossagg.losses.SparseCategoricalCrossentropy;
import org.lossagg.numerics.DType;

/**
 * The reductions from per-row values (what lossagg-evaluate runs) are keras_loss_reductions' struct
 * bit for bit: for every catalogue loss whose keras_loss rows take a kernel path, in both dtypes and
 * both numerics, over number and array rows, weighted and not, with NULL rows, by slice and over 1
 * and 5 partitions; a NULL weight and ragged rows fail as keras_loss fails.
 */
class KerasLossRowValueReductionsTest {
  private static SparkSession spark;
  private static Dataset<Row> rows;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(17);
    double[] edges = {0.0, 1.0, 1e-9, 0.9999999, -1.0, 2.5, Double.NaN, 30.0, -30.0};
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double y = i % 5 == 0 ? rnd.nextDouble() : rnd.nextInt(2);
      double p = i % 97 == 3 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble() * (i % 3 == 0 ? 12 : 1)
          - (i % 3 == 0 ? 6 : 0);
      double w = i % 11 == 0 ? 0.0 : rnd.nextDouble() * 3;
      int classId = rnd.nextInt(4);
      List<Double> onehot = new ArrayList<>();
      List<Double> probs = new ArrayList<>();
      double total = 0;
      double[] raw = new double[4];
      for (int j = 0; j < 4; j++) {
        raw[j] = 0.01 + rnd.nextDouble();
        total += raw[j];
      }
      for (int j = 0; j < 4; j++) {
        onehot.add(j == classId ? 1.0 : 0.0);
        probs.add(raw[j] / total);
      }
      boolean nullTrue = i % 41 == 5;
      boolean nullPred = i % 43 == 9;
      data.add(RowFactory.create(i % 6, nullTrue ? null : y, nullPred ? null : p, nullPred ? null : (float) p,
          w, (int) Math.round(w), nullTrue ? null : classId, nullTrue ? null : onehot, nullPred ? null : probs));
    }
    StructType schema = new StructType()
        .add("g", DataTypes.IntegerType)
        .add("y", DataTypes.DoubleType)
        .add("p", DataTypes.DoubleType)
        .add("pf", DataTypes.FloatType)
        .add("w", DataTypes.DoubleType)
        .add("wi", DataTypes.IntegerType)
        .add("cls", DataTypes.IntegerType)
        .add("onehot", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("probs", DataTypes.createArrayType(DataTypes.DoubleType));
    rows = spark.createDataFrame(data, schema);
  }

  /** Every catalogue loss in both dtypes and numerics, with BCE's, focal BCE's and CCE's main variants. */
  private static List<Loss> losses() {
    List<Loss> out = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      List<Map<String, Object>> variants = new ArrayList<>(List.of(Map.of()));
      switch (spec.className()) {
        case "BinaryCrossentropy" -> variants.addAll(List.of(Map.of("from_logits", true),
            Map.of("label_smoothing", 0.1)));
        case "BinaryFocalCrossentropy" -> variants.addAll(List.of(Map.of("from_logits", true,
            "apply_class_balancing", true), Map.of("gamma", 0.5, "label_smoothing", 0.1)));
        case "CategoricalCrossentropy" -> variants.addAll(List.of(Map.of("label_smoothing", 0.1),
            Map.of("from_logits", true)));
        default -> { }
      }
      out.addAll(LossVariants.inEachDTypeAndNumerics(spec, variants));
    }
    return out;
  }

  private record Inputs(String yTrue, String yPred, String weight) {}

  /** The input columns each loss is tried on: number rows, one-hot arrays, class ids. */
  private static List<Inputs> inputsOf(Loss loss) {
    if (loss.spec() == SparseCategoricalCrossentropy.SPEC) {
      return List.of(new Inputs("cls", "probs", "w"), new Inputs("cls", "probs", null));
    }
    if (loss.spec() == CategoricalCrossentropy.SPEC) {
      return List.of(new Inputs("onehot", "probs", "w"), new Inputs("onehot", "probs", null));
    }
    return List.of(new Inputs("y", "p", "w"), new Inputs("y", "pf", null), new Inputs("cls", "p", "wi"));
  }

  private static DataType type(String column) {
    return rows.schema().apply(column).dataType();
  }

  @Test
  void everyKernelLossGivesKerasLossReductionsBits() {
    List<Column> fromRows = new ArrayList<>();
    List<Column> general = new ArrayList<>();
    List<String> what = new ArrayList<>();
    for (Loss loss : losses()) {
      for (Inputs in : inputsOf(loss)) {
        if (!KerasLossRowValueReductions.takes(loss, type(in.yTrue()), type(in.yPred()),
            in.weight() == null ? null : type(in.weight()))) {
          continue;
        }
        DataType dtype = loss.dtype() == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
        DataType predType = type(in.yPred()) instanceof ArrayType ? DataTypes.createArrayType(dtype) : dtype;
        Column rowValue = LossColumns.perRow(loss, col(in.yTrue()), col(in.yPred()).cast(predType))
            .cast(dtype).cast(DataTypes.DoubleType);
        Column width = type(in.yPred()) instanceof ArrayType ? size(col(in.yPred())) : lit(0);
        Column weight = in.weight() == null ? null : col(in.weight());
        fromRows.add(LossAggregates.kerasLossReductionsOfRowValues(loss, rowValue, width, weight));
        general.add(LossAggregates.kerasLossReductions(loss, col(in.yTrue()), col(in.yPred()), weight));
        what.add(loss + " " + loss.dtype() + (loss.keras2() ? " keras2 " : " ") + in);
      }
    }
    assertTrue(what.size() > 60, "kernel losses and inputs tried: " + what.size());
    assertTrue(what.stream().anyMatch(w -> w.contains("SparseCategorical")) && what.stream().anyMatch(
        w -> w.contains("FLOAT64")) && what.stream().anyMatch(w -> w.contains("keras2")), what.toString());
    for (int partitions : new int[] {1, 5}) {
      Dataset<Row> t = rows.repartition(partitions);
      // Reference: keras_loss_reductions in Spark's own aggregation; then the row-value aggregate in
      // the fused plan, compiled and interpreted, and in Spark's aggregation.
      List<Row> b = aggregate(t, general, Plan.SPARK);
      for (Plan plan : Plan.values()) {
        List<Row> a = aggregate(t, fromRows, plan);
        assertEquals(6, a.size());
        for (int g = 0; g < a.size(); g++) {
          for (int k = 0; k < what.size(); k++) {
            assertEquals(bits(b.get(g).getStruct(k + 1)), bits(a.get(g).getStruct(k + 1)),
                what.get(k) + ", slice " + g + ", " + partitions + " partitions, " + plan);
          }
        }
        long skipped = a.stream().mapToLong(r -> r.getStruct(1).getLong(5)).sum();
        assertTrue(skipped > 100, "NULL rows left out: " + skipped);
      }
    }
  }

  /** Where an aggregation runs: the fused plan compiled or interpreted, or Spark's own aggregation. */
  enum Plan { FUSED, FUSED_INTERPRETED, SPARK }

  /** {@code aggs} by {@code g}, ordered by {@code g}, run as {@code plan} says (asserting the plan). */
  static List<Row> aggregate(Dataset<Row> t, List<Column> aggs, Plan plan) {
    SparkSession s = t.sparkSession();
    s.conf().set(FusedKerasLossStrategy.ENABLED, String.valueOf(plan != Plan.SPARK));
    s.conf().set("spark.sql.codegen.wholeStage", String.valueOf(plan != Plan.FUSED_INTERPRETED));
    s.conf().set("spark.sql.codegen.fallback", "false"); // a compile error fails, not falls back
    try {
      Dataset<Row> df = t.groupBy("g").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
          .orderBy("g");
      List<Row> out = df.collectAsList();
      String executed = df.queryExecution().executedPlan().toString();
      assertEquals(plan != Plan.SPARK, executed.contains("FusedKerasLoss"), plan + ":\n" + executed);
      return out;
    } finally {
      s.conf().unset(FusedKerasLossStrategy.ENABLED);
      s.conf().unset("spark.sql.codegen.wholeStage");
      s.conf().unset("spark.sql.codegen.fallback");
    }
  }

  /** Each field's bits: NaN payloads, -0.0 and float vs double all count. */
  private static List<String> bits(Row r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.length(); i++) {
      Object v = r.get(i);
      out.add(v instanceof Float f ? "f" + Integer.toHexString(Float.floatToRawIntBits(f))
          : v instanceof Double d ? "d" + Long.toHexString(Double.doubleToRawLongBits(d)) : String.valueOf(v));
    }
    return out;
  }

  @Test
  void inputsOutsideTheKernelPathsAreNotTaken() {
    Loss bce = LossCatalog.get("binary_crossentropy").newOptions().build().create();
    Loss circle = LossCatalog.get("Circle").newOptions().build().create();
    assertTrue(KerasLossRowValueReductions.takes(bce, DataTypes.DoubleType, DataTypes.DoubleType, null));
    // A DECIMAL or BIGINT y_pred rounds differently when cast to FLOAT than when read as a double.
    assertFalse(KerasLossRowValueReductions.takes(bce, DataTypes.DoubleType, DataTypes.createDecimalType(10, 3), null));
    assertFalse(KerasLossRowValueReductions.takes(bce, DataTypes.DoubleType, DataTypes.LongType, null));
    assertFalse(KerasLossRowValueReductions.takes(bce, DataTypes.DoubleType, DataTypes.DoubleType,
        DataTypes.createArrayType(DataTypes.DoubleType)));
    assertFalse(KerasLossRowValueReductions.takes(circle, DataTypes.DoubleType, DataTypes.DoubleType, null));
  }

  @Test
  void aNullWeightAndRaggedRowsFailAsKerasLossFails() {
    Loss cce = LossCatalog.get("categorical_crossentropy").newOptions().build().create();
    Dataset<Row> t = spark.sql("SELECT * FROM VALUES (array(1.0D, 0.0D), array(0.3D, 0.7D), 1.0D), "
        + "(array(0.0D, 1.0D), array(0.6D, 0.4D), CAST(NULL AS DOUBLE)) AS t(y, p, w)");
    Column rowValue = LossColumns.perRow(cce, col("y"), col("p").cast("array<float>")).cast("double");
    String nullWeight = assertThrows(Exception.class, () -> t.agg(LossAggregates.kerasLossReductionsOfRowValues(cce,
        rowValue, size(col("p")), col("w"))).collect()).toString();
    String expected = assertThrows(Exception.class, () -> t.agg(LossAggregates.kerasLossReductions(cce, col("y"),
        col("p"), col("w"))).collect()).toString();
    String message = "keras_loss: argument 4 (sample_weight, w) is NULL in a row with y_true and y_pred";
    assertTrue(nullWeight.contains(message) && expected.contains(message), nullWeight + "\n" + expected);

    Dataset<Row> ragged = spark.sql("SELECT * FROM VALUES (array(1.0D, 0.0D), array(0.3D, 0.7D)), "
        + "(array(0.0D, 1.0D, 0.0D), array(0.2D, 0.5D, 0.3D)) AS t(y, p)").repartition(1);
    Column raggedValue = LossColumns.perRow(cce, col("y"), col("p").cast("array<float>")).cast("double");
    String fromRows = assertThrows(Exception.class, () -> ragged.agg(LossAggregates.kerasLossReductionsOfRowValues(
        cce, raggedValue, size(col("p")), null)).collect()).toString();
    String kerasLoss = assertThrows(Exception.class, () -> ragged.agg(LossAggregates.kerasLossReductions(cce,
        col("y"), col("p"), null)).collect()).toString();
    String shapes = "CategoricalCrossentropy: rows of y_pred shape (2,) and (3,) in one table or group";
    assertTrue(fromRows.contains(shapes) && kerasLoss.contains(shapes), fromRows + "\n" + kerasLoss);
  }
}
