package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.numerics.NdArray;

/**
 * keras_loss over rows of 1-D arrays (the float32 vector-row path of CategoricalCrossentropy) gives
 * bit for bit what the core's general path gives for the same rows, for DOUBLE, FLOAT and INT
 * arrays, with and without weights, NULL rows left out; rows the kernel does not take (a NULL
 * element, unequal lengths) still get the general path's errors.
 */
class VectorRowPathTest {
  private static SparkSession spark;
  private static final List<double[][]> ROWS = new ArrayList<>();

  @BeforeAll
  static void table() {
    spark = SparkTestSession.get();
    Random rnd = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int c = 1 + rnd.nextInt(7);
      double[] t = new double[c];
      double[] z = new double[c];
      t[rnd.nextInt(c)] = 1;
      for (int j = 0; j < c; j++) {
        z[j] = (rnd.nextDouble() - 0.5) * 12;
      }
      double w = rnd.nextDouble() * 2;
      boolean nullRow = i % 50 == 7;
      ROWS.add(nullRow ? null : new double[][] {t, z, {w}});
      rows.add(RowFactory.create(i, nullRow ? null : boxed(t), boxed(z), w, nullRow ? null : ints(t), floats(z)));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("y", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("z", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("w", DataTypes.DoubleType)
        .add("yi", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("zf", DataTypes.createArrayType(DataTypes.FloatType));
    spark.createDataFrame(rows, schema).repartition(3).createOrReplaceTempView("vector_rows");
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>();
    for (double d : v) {
      out.add(d);
    }
    return out;
  }

  private static List<Integer> ints(double[] v) {
    List<Integer> out = new ArrayList<>();
    for (double d : v) {
      out.add((int) d);
    }
    return out;
  }

  private static List<Float> floats(double[] v) {
    List<Float> out = new ArrayList<>();
    for (double d : v) {
      out.add((float) d);
    }
    return out;
  }

  /** The general path over the rows of {@code width} classes (a table of mixed widths is no Keras batch). */
  private static float general(Loss loss, boolean weighted, boolean floatLogits, int width) {
    LossAggregation agg = loss.newAggregation();
    for (double[][] r : ROWS) {
      if (r == null || r[1].length != width) {
        continue;
      }
      double[] z = r[1].clone();
      if (floatLogits) {
        for (int j = 0; j < z.length; j++) {
          z[j] = (float) z[j];
        }
      }
      agg.add(NdArray.of(r[0], 1, r[0].length), NdArray.of(z, 1, z.length),
          weighted ? NdArray.of(new double[] {r[2][0]}, 1) : null, null);
    }
    return (float) agg.result();
  }

  @Test
  void arrayRowsGiveTheGeneralPathsBits() {
    for (String config : new String[] {"{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"from_logits\": true}}",
        "categorical_crossentropy"}) {
      Loss loss = KerasLossAggregate.options(config, false).create();
      String p = config.contains("from_logits") ? "z" : "transform(z, v -> 1.0D / (1.0D + exp(-v)))";
      List<Row> groups = spark.sql("SELECT size(z), keras_loss('" + config + "', y, " + p + ", w), keras_loss('" + config
          + "', yi, " + p + "), keras_loss('" + config + "', y, " + (p.equals("z") ? "zf" : p) + ") FROM vector_rows "
          + "GROUP BY size(z) ORDER BY size(z)").collectAsList();
      assertEquals(7, groups.size(), config);
      for (Row r : groups) {
        int width = r.getInt(0);
        if (p.equals("z")) {
          assertEquals(Float.floatToIntBits(general(loss, true, false, width)), Float.floatToIntBits(r.getFloat(1)), config);
          assertEquals(Float.floatToIntBits(general(loss, false, false, width)), Float.floatToIntBits(r.getFloat(2)), config);
          assertEquals(Float.floatToIntBits(general(loss, false, true, width)), Float.floatToIntBits(r.getFloat(3)), config);
        } else {
          assertTrue(r.getFloat(1) >= 0 && r.getFloat(2) >= 0, config);
        }
      }
    }
  }

  @Test
  void sparseLabelRowsGiveTheGeneralPathsBits() {
    String config = "{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"from_logits\": true}}";
    Loss loss = KerasLossAggregate.options(config, false).create();
    LossAggregation agg = loss.newAggregation();
    for (double[][] r : ROWS) {
      if (r != null && r[1].length == 4) {
        int label = 0;
        while (r[0][label] != 1.0) {
          label++;
        }
        agg.add(NdArray.of(new double[] {label}, 1, 1), NdArray.of(r[1], 1, r[1].length),
            NdArray.of(new double[] {r[2][0]}, 1), null);
      }
    }
    Row got = spark.sql("SELECT keras_loss('" + config + "', array_position(yi, 1) - 1, z, w) FROM vector_rows "
        + "WHERE size(z) = 4").first();
    assertEquals(Float.floatToIntBits((float) agg.result()), Float.floatToIntBits(got.getFloat(0)));
    String outside = assertThrows(Exception.class, () -> spark.sql("SELECT keras_loss('" + config
        + "', size(z), z) FROM vector_rows").collect()).toString();
    assertTrue(outside.contains("outside the valid range"), outside);
  }

  @Test
  void rowsTheKernelDoesNotTakeKeepTheGeneralPathsErrors() {
    String nullElement = assertThrows(Exception.class, () -> spark.sql(
        "SELECT keras_loss('categorical_crossentropy', array(1.0D, CAST(NULL AS DOUBLE)), z) FROM vector_rows")
        .collect()).toString();
    assertTrue(nullElement.contains("NULL element"), nullElement);
    String lengths = assertThrows(Exception.class, () -> spark.sql(
        "SELECT keras_loss('categorical_crossentropy', array(1.0D, 0.0D, 0.0D, 0.0D, 0.0D, 0.0D, 0.0D, 0.0D), z) "
            + "FROM vector_rows").collect()).toString();
    assertTrue(lengths.contains("shape"), lengths);
  }
}
