package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.RowKernel;

/**
 * The per-row functions' generated code (the loss' kernel called from the stage's code) gives bit
 * for bit the interpreted values ({@code spark.sql.codegen.wholeStage=false} and
 * {@code spark.sql.codegen.factoryMode=NO_CODEGEN}: the general path) for every catalogue loss with
 * a scalar kernel on every primitive number type pair and DECIMAL, the vector kernels on FLOAT and DOUBLE
 * arrays, and NULL rows, edge values included (NaN compared as NaN: Spark's interpreted and generated
 * projections keep different NaN payloads); loss_reduce over them too.
 */
class RowLossCodegenTest {
  private static SparkSession spark;

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(5);
    double[] edges = {0.0, -0.0, 1.0, 1e-9, 0.99999988, 2.0, -1.0, 100.0, -100.0, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      int label = rnd.nextInt(2);
      double t = rnd.nextInt(8) == 0 ? edges[rnd.nextInt(edges.length)] : label;
      double p = rnd.nextInt(8) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble() * (rnd.nextBoolean() ? 1 : 8);
      boolean nullRow = rnd.nextInt(25) == 0;
      int width = 4;
      Double[] ta = new Double[width];
      Float[] pa = new Float[width];
      Double[] pad = new Double[width];
      Integer[] tai = new Integer[width];
      int cls = rnd.nextInt(width);
      for (int j = 0; j < width; j++) {
        ta[j] = j == cls ? 1.0 : (rnd.nextInt(10) == 0 ? 0.25 : 0.0);
        tai[j] = j == cls ? 1 : 0;
        double x = rnd.nextInt(20) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextDouble() * 6 - 3;
        pa[j] = (float) x;
        pad[j] = x;
      }
      rows.add(RowFactory.create(i, nullRow ? null : label, t, (float) t, (long) label, (byte) label,
          (short) label, nullRow ? null : p, (float) p, (int) Math.round(p), ta, tai, pa, pad, nullRow ? null : cls));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("ti", DataTypes.IntegerType)
        .add("td", DataTypes.DoubleType)
        .add("tf", DataTypes.FloatType)
        .add("tl", DataTypes.LongType)
        .add("tb", DataTypes.ByteType)
        .add("ts", DataTypes.ShortType)
        .add("pd", DataTypes.DoubleType)
        .add("pf", DataTypes.FloatType)
        .add("pi", DataTypes.IntegerType)
        .add("ta", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("tai", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("pa", DataTypes.createArrayType(DataTypes.FloatType))
        .add("pad", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("cls", DataTypes.IntegerType);
    spark.createDataFrame(rows, schema).repartition(2).createOrReplaceTempView("codegen_rows");
  }

  @AfterEach
  void reset() {
    defaults();
  }

  static void defaults() {
    spark.conf().unset("spark.sql.codegen.wholeStage");
    spark.conf().unset("spark.sql.codegen.factoryMode");
  }

  private static List<String> run(String select, boolean compiled) {
    return run("SELECT id, " + select + " FROM codegen_rows ORDER BY id", compiled, true);
  }

  private static List<String> run(String query, boolean compiled, boolean unusedFlag) {
    if (!compiled) {
      spark.conf().set("spark.sql.codegen.wholeStage", "false");
      spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    }
    try {
      Dataset<Row> df = spark.sql(query);
      List<String> out = new ArrayList<>();
      for (Row r : df.collectAsList()) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
          Object v = r.get(i);
          b.append(v instanceof Double ? Long.toHexString(Double.doubleToLongBits((Double) v)) : String.valueOf(v))
              .append('|');
        }
        out.add(b.toString());
      }
      return out;
    } finally {
      defaults();
    }
  }

  private static void assertGeneratedEqualsInterpreted(String select) {
    List<String> compiled = run(select, true);
    assertEquals(1500, compiled.size());
    assertEquals(run(select, false), compiled, select);
  }

  @Test
  void scalarKernelsOnEveryNumberTypeGiveTheInterpretedBits() {
    List<String> fns = new ArrayList<>();
    for (LossSpec spec : LossCatalog.all()) {
      if (spec.newOptions().build().create().rowKernel().map(RowKernel::takesScalarRows).orElse(false)) {
        fns.add(spec.sqlName() + "(%s, %s)");
      }
    }
    assertTrue(fns.size() >= 7, fns.toString());
    fns.add("loss_binary_crossentropy(%s, %s, true)");
    fns.add("loss_binary_focal_crossentropy(%s, %s, true, 0.4, 3.0)");
    // DECIMAL through casts (NaN, infinities and values out of range become NULL rows, with ANSI mode on
    // too: try_cast): Spark reads decimals as Decimal.toDouble.
    String[][] pairs = {{"ti", "pd"}, {"td", "pf"}, {"tf", "pf"}, {"tl", "pi"}, {"tb", "pf"}, {"ts", "pd"},
        {"try_cast(td AS DECIMAL(12, 4))", "try_cast(pd AS DECIMAL(30, 18))"}, {"ti", "try_cast(pf AS DECIMAL(9, 7))"}};
    for (String fn : fns) {
      List<String> cols = new ArrayList<>();
      for (String[] pair : pairs) {
        cols.add(String.format(fn, pair[0], pair[1]));
      }
      assertGeneratedEqualsInterpreted(String.join(", ", cols));
    }
  }

  @Test
  void vectorKernelsOnFloatAndDoubleArraysGiveTheInterpretedBits() {
    assertGeneratedEqualsInterpreted("loss_categorical_crossentropy(ta, pa), loss_categorical_crossentropy(tai, pa, true), "
        + "loss_categorical_crossentropy(ta, pa, false, 0.1), loss_categorical_crossentropy(tai, pa, true, 0.25), "
        + "loss_categorical_crossentropy(ta, pad, true), loss_sparse_categorical_crossentropy(cls, pa), "
        + "loss_sparse_categorical_crossentropy(cls, pa, true), loss_sparse_categorical_crossentropy(cls, pad)");
    // float64 rows (DOUBLE y_pred): the kernels' float64 values.
    assertGeneratedEqualsInterpreted("loss_categorical_crossentropy(ta, pad), loss_categorical_crossentropy(tai, pad, true), "
        + "loss_categorical_crossentropy(ta, pad, false, 0.1), loss_categorical_crossentropy(tai, pad, true, 0.25), "
        + "loss_sparse_categorical_crossentropy(cls, pad, true), "
        + "loss_sparse_categorical_crossentropy(CAST(cls AS DOUBLE), pad, true)");
  }

  @Test
  void generatedCodeCallsTheKernels() {
    Dataset<Row> df = spark.sql("SELECT loss_binary_crossentropy(CAST(id % 2 AS INT), rand(1)), "
        + "loss_categorical_crossentropy(array(1.0D, 0.0D), array(CAST(rand(2) AS FLOAT), 0.5F)) FROM range(100)");
    String code = GeneratedCode.assertCompiles(df);
    assertTrue(code.matches("(?s).*rowLossKernel_\\d+ = \\(org\\.lossagg\\.losses\\.BinaryCrossentropy\\) .*\\.scalarRowValue\\(.*"), code);
    assertTrue(code.contains(".vectorRow("), code);
    String float64 = GeneratedCode.assertCompiles(spark.sql(
        "SELECT loss_sparse_categorical_crossentropy(CAST(id % 2 AS INT), array(rand(3), 0.5D)) FROM range(100)"));
    assertTrue(float64.contains(".vectorRow64("), float64);
  }

  @Test
  void lossReduceOverCompiledPerRowLosses() {
    String q = "SELECT loss_reduce(loss_binary_crossentropy(ti, pd), pd), loss_reduce(loss_huber(tf, pf)), "
        + "loss_summary(loss_categorical_crossentropy(ta, pa, true)) FROM codegen_rows";
    List<String> compiled = run(q, true, true);
    assertEquals(run(q, false, true), compiled);
    Dataset<Row> fused = spark.sql("SELECT loss_reduce(loss_binary_crossentropy(ti, pd), pd) FROM codegen_rows");
    fused.collect();
    assertTrue(fused.queryExecution().executedPlan().toString().contains("FusedKerasLoss"),
        "loss_reduce over a per-row loss of number columns runs fused");
  }
}
