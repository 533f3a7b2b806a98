package org.lossagg.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A synthetic prediction table for demos and benchmarks: a pure function of (rows, seed).
 *
 * <p>Every value of row {@code id} comes from {@code xxhash64(seed, id, k)} for a few stream numbers
 * {@code k}, so the table is the same whatever the partition count, and it is built from plain SQL
 * expressions over {@code spark.range} (no per-row Java code), which keeps 10^9 rows feasible.
 *
 * <p>Columns: {@code id} BIGINT; slices {@code region} (4 values), {@code segment} (3 values),
 * {@code model_version} ("v1", "v2"); binary {@code label} (0/1), {@code logit}, {@code prob} =
 * sigmoid(logit); multiclass {@code class_id} INT in [0, 4), {@code class_onehot} and {@code class_probs}
 * (softmax of 4 logits), both ARRAY&lt;DOUBLE&gt;; regression {@code target} and {@code prediction};
 * {@code weight} in (0, 2].
 */
public final class PredictionTableGenerator {
  public static final int NUM_CLASSES = 4;
  public static final List<String> REGIONS = List.of("north", "south", "east", "west");
  public static final List<String> SEGMENTS = List.of("consumer", "smb", "enterprise");
  public static final List<String> MODEL_VERSIONS = List.of("v1", "v2");

  // Hash stream numbers: each random quantity of a row reads its own stream.
  private static final int S_REGION = 1;
  private static final int S_SEGMENT = 2;
  private static final int S_VERSION = 3;
  private static final int S_LABEL = 4;
  private static final int S_CLASS = 5;
  private static final int S_WEIGHT = 6;
  private static final int S_LOGIT_NOISE = 10; // normals use two streams each: 10-11
  private static final int S_CLASS_NOISE = 20; // 20-27, two per class logit
  private static final int S_TARGET = 30; // 30-31
  private static final int S_PRED_NOISE = 40; // 40-41

  private PredictionTableGenerator() {}

  /**
   * The table of {@code rows} rows (ids 0 .. rows-1) for {@code seed}, spread over {@code partitions}
   * partitions. The same (rows, seed) gives the same rows for any {@code partitions}.
   */
  public static Dataset<Row> generate(SparkSession spark, long rows, long seed, int partitions) {
    if (rows <= 0) {
      throw new IllegalArgumentException("PredictionTableGenerator: rows must be > 0, got " + rows);
    }
    if (partitions <= 0) {
      throw new IllegalArgumentException(
          "PredictionTableGenerator: partitions must be > 0, got " + partitions);
    }
    Dataset<Row> base = spark.range(0, rows, 1, partitions).toDF();

    List<String> stage1 = new ArrayList<>();
    stage1.add("id");
    stage1.add(pick(REGIONS, hash(seed, S_REGION)) + " AS region");
    stage1.add(pick(SEGMENTS, hash(seed, S_SEGMENT)) + " AS segment");
    stage1.add(pick(MODEL_VERSIONS, hash(seed, S_VERSION)) + " AS model_version");
    // Positive rate 30%; the logit separates the classes by +-1.5 (v1) or +-2.0 (v2) plus N(0, 1.5^2).
    stage1.add("IF(" + uniform(seed, S_LABEL) + " < 0.3D, 1.0D, 0.0D) AS label");
    stage1.add("CAST(pmod(" + hash(seed, S_CLASS) + ", " + NUM_CLASSES + ") AS INT) AS class_id");
    // 2 * u with u in (0, 1): strictly inside (0, 2].
    stage1.add("2.0D * " + uniform(seed, S_WEIGHT) + " AS weight");
    stage1.add("10.0D + 3.0D * " + normal(seed, S_TARGET) + " AS target");
    stage1.add(normal(seed, S_LOGIT_NOISE) + " AS _logit_noise");
    stage1.add(normal(seed, S_PRED_NOISE) + " AS _pred_noise");
    for (int j = 0; j < NUM_CLASSES; j++) {
      stage1.add(normal(seed, S_CLASS_NOISE + 2 * j) + " AS _z" + j);
    }

    List<String> stage2 = new ArrayList<>(List.of("id", "region", "segment", "model_version", "label",
        "class_id", "weight", "target"));
    stage2.add("(2.0D * label - 1.0D) * IF(model_version = 'v1', 1.5D, 2.0D) + 1.5D * _logit_noise"
        + " AS logit");
    // Regression: v2 is unbiased and tighter; v1 over-predicts by 0.5.
    stage2.add("target + IF(model_version = 'v1', 0.5D + 1.0D * _pred_noise, 0.6D * _pred_noise)"
        + " AS prediction");
    // Class logits: N(0, 1) plus 2.0 on the true class.
    for (int j = 0; j < NUM_CLASSES; j++) {
      stage2.add("_z" + j + " + IF(class_id = " + j + ", 2.0D, 0.0D) AS _l" + j);
    }

    String max = "greatest(_l0, _l1, _l2, _l3)";
    List<String> stage3 = new ArrayList<>(List.of("id", "region", "segment", "model_version", "label",
        "logit", "class_id", "weight", "target", "prediction"));
    stage3.add("1.0D / (1.0D + exp(-logit)) AS prob");
    for (int j = 0; j < NUM_CLASSES; j++) {
      stage3.add("exp(_l" + j + " - " + max + ") AS _e" + j);
    }

    StringBuilder probs = new StringBuilder("array(");
    StringBuilder onehot = new StringBuilder("array(");
    for (int j = 0; j < NUM_CLASSES; j++) {
      String sep = j == 0 ? "" : ", ";
      probs.append(sep).append("_e").append(j).append(" / (_e0 + _e1 + _e2 + _e3)");
      onehot.append(sep).append("IF(class_id = ").append(j).append(", 1.0D, 0.0D)");
    }
    return base.selectExpr(stage1.toArray(new String[0]))
        .selectExpr(stage2.toArray(new String[0]))
        .selectExpr(stage3.toArray(new String[0]))
        .selectExpr("id", "region", "segment", "model_version", "label", "logit", "prob", "class_id",
            onehot + ") AS class_onehot", probs + ") AS class_probs", "target", "prediction", "weight");
  }

  private static String hash(long seed, int stream) {
    return "xxhash64(" + seed + "L, id, " + stream + ")";
  }

  /** Uniform in (0, 1): the top 53 bits of the hash, centred in their cell so 0 and 1 never occur. */
  private static String uniform(long seed, int stream) {
    return "((CAST(shiftrightunsigned(" + hash(seed, stream) + ", 11) AS DOUBLE) + 0.5D) * "
        + "1.1102230246251565E-16D)"; // 2^-53
  }

  /** Standard normal by Box-Muller from streams {@code stream} and {@code stream + 1}. */
  private static String normal(long seed, int stream) {
    return "(sqrt(-2.0D * ln(" + uniform(seed, stream) + ")) * cos(2.0D * pi() * "
        + uniform(seed, stream + 1) + "))";
  }

  private static String pick(List<String> values, String hash) {
    StringBuilder sb = new StringBuilder("element_at(array(");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('\'').append(values.get(i)).append('\'');
    }
    return sb.append("), CAST(pmod(").append(hash).append(", ").append(values.size())
        .append(") AS INT) + 1)").toString();
  }
}
