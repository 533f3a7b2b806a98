package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lossagg.spark.SparkTestSession;
import org.junit.jupiter.api.Test;

class PredictionTableGeneratorTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static List<Row> rows(long n, long seed, int partitions) {
    return PredictionTableGenerator.generate(SPARK, n, seed, partitions).orderBy("id").collectAsList();
  }

  @Test
  void sameSeedGivesIdenticalRowsWhateverThePartitioning() {
    Dataset<Row> one = PredictionTableGenerator.generate(SPARK, 3_000, 7, 1);
    Dataset<Row> seven = PredictionTableGenerator.generate(SPARK, 3_000, 7, 7);
    assertEquals(1, one.rdd().getNumPartitions());
    assertEquals(7, seven.rdd().getNumPartitions());
    List<Row> a = one.orderBy("id").collectAsList();
    List<Row> b = seven.orderBy("id").collectAsList();
    assertEquals(3_000, a.size());
    assertEquals(a, b);
  }

  @Test
  void differentSeedGivesDifferentRows() {
    List<Row> a = rows(500, 42, 2);
    List<Row> b = rows(500, 43, 2);
    int differentLogits = 0;
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).getLong(0), b.get(i).getLong(0));
      if (a.get(i).getDouble(a.get(i).fieldIndex("logit")) != b.get(i).getDouble(b.get(i).fieldIndex("logit"))) {
        differentLogits++;
      }
    }
    assertEquals(500, differentLogits);
    assertNotEquals(a, b);
  }

  @Test
  void schemaHasTheDocumentedColumnsAndTypes() {
    StructType schema = PredictionTableGenerator.generate(SPARK, 10, 1, 1).schema();
    assertEquals(List.of("id", "region", "segment", "model_version", "label", "logit", "prob", "class_id",
        "class_onehot", "class_probs", "target", "prediction", "weight"), List.of(schema.fieldNames()));
    assertEquals(DataTypes.LongType, schema.apply("id").dataType());
    for (String s : List.of("region", "segment", "model_version")) {
      assertEquals(DataTypes.StringType, schema.apply(s).dataType(), s);
    }
    for (String d : List.of("label", "logit", "prob", "target", "prediction", "weight")) {
      assertEquals(DataTypes.DoubleType, schema.apply(d).dataType(), d);
    }
    assertEquals(DataTypes.IntegerType, schema.apply("class_id").dataType());
    for (String a : List.of("class_probs", "class_onehot")) {
      ArrayType type = (ArrayType) schema.apply(a).dataType();
      assertEquals(DataTypes.DoubleType, type.elementType(), a);
    }
  }

  @Test
  void valuesStayInTheirRanges() {
    List<Row> all = rows(10_000, 42, 3);
    Set<String> regions = new HashSet<>();
    Set<String> segments = new HashSet<>();
    Set<String> versions = new HashSet<>();
    Set<Integer> classes = new HashSet<>();
    long positives = 0;
    for (Row r : all) {
      regions.add(r.getAs("region"));
      segments.add(r.getAs("segment"));
      versions.add(r.getAs("model_version"));
      double label = r.getAs("label");
      assertTrue(label == 0.0 || label == 1.0, "label " + label);
      positives += (long) label;
      double logit = r.getAs("logit");
      double prob = r.getAs("prob");
      assertTrue(prob > 0.0 && prob < 1.0, "prob " + prob);
      assertEquals(1.0 / (1.0 + Math.exp(-logit)), prob, 1e-15);
      int classId = r.getAs("class_id");
      assertTrue(classId >= 0 && classId < 4, "class_id " + classId);
      classes.add(classId);
      List<Double> probs = r.getList(r.fieldIndex("class_probs"));
      List<Double> onehot = r.getList(r.fieldIndex("class_onehot"));
      assertEquals(4, probs.size());
      double sum = 0;
      for (int j = 0; j < 4; j++) {
        assertTrue(probs.get(j) > 0.0 && probs.get(j) < 1.0, "class_probs " + probs);
        sum += probs.get(j);
        assertEquals(j == classId ? 1.0 : 0.0, onehot.get(j));
      }
      assertEquals(1.0, sum, 1e-12);
      double weight = r.getAs("weight");
      assertTrue(weight > 0.0 && weight <= 2.0, "weight " + weight);
      assertTrue(Double.isFinite(r.getAs("target")) && Double.isFinite(r.getAs("prediction")));
    }
    assertEquals(Set.copyOf(PredictionTableGenerator.REGIONS), regions);
    assertEquals(Set.copyOf(PredictionTableGenerator.SEGMENTS), segments);
    assertEquals(Set.copyOf(PredictionTableGenerator.MODEL_VERSIONS), versions);
    assertEquals(Set.of(0, 1, 2, 3), classes);
    // Positive rate 30%: 3,000 expected, binomial sd ~ 46.
    assertTrue(positives > 2_700 && positives < 3_300, "positives " + positives);
  }

  @Test
  void rejectsNonPositiveRowsAndPartitions() {
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> PredictionTableGenerator.generate(SPARK, 0, 1, 1));
    assertTrue(rows.getMessage().contains("rows must be > 0, got 0"), rows.getMessage());
    IllegalArgumentException parts = assertThrows(IllegalArgumentException.class,
        () -> PredictionTableGenerator.generate(SPARK, 10, 1, 0));
    assertTrue(parts.getMessage().contains("partitions must be > 0, got 0"), parts.getMessage());
  }
}
