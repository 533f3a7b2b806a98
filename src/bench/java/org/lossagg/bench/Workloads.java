package org.lossagg.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's workloads. Native SQL is what a user would hand-write for the same float math
 * (in float64: Spark SQL has no float32 {@code ln}); Keras' float32 clip bounds are spelled as
 * the doubles they are. The scan floor reads every value the loss reads with the cheapest
 * code-generated aggregate ({@code sum}, {@code array_max}; no lambda).
 */
final class Workloads {
  /** float32(1e-7) and float32(1 - 1e-7), Keras' clip bounds for probabilities. */
  static final String EPS = "1.0000000116860974E-7D";
  static final String HI = "0.9999998807907104D";
  static final String CLIPPED_PROB = "greatest(least(prob, " + HI + "), " + EPS + ")";
  static final String BCE_TERM = "-(label * ln(" + CLIPPED_PROB + ") + (1.0D - label) * ln(1.0D - "
      + CLIPPED_PROB + "))";

  static final String BCE = "'{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}'";
  static final String BCE_LOGITS = "'{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}'";
  static final String FOCAL = "'{\"class_name\": \"BinaryFocalCrossentropy\", \"config\": {}}'";
  static final String CCE_LOGITS =
      "'{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"from_logits\": true}}'";
  static final String SCCE_LOGITS =
      "'{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"from_logits\": true}}'";
  static final String CTC = "'{\"class_name\": \"CTC\", \"config\": {}}'";

  /** The headline workload of the targets. */
  static final String BCE_WEIGHTED = "bce_weighted";
  static final String BCE_WEIGHTED_PARQUET = "bce_weighted_parquet";
  static final String CCE_1000 = "cce_1000";
  static final String BCE_WEIGHTED_BY_SLICE = "bce_weighted_by_slice";
  static final String SUM_BCE_ROWS = "sum_bce_rows";
  static final String BCE_ROWS_NOOP = "bce_rows_noop";
  static final String CCE_10_BY_SLICE = "cce_10_by_slice";
  static final String EVALUATE_JOB = "evaluate_job";
  /** 16 slices, as the table (a mask of the id: no cost worth measuring). */
  static final List<String> SLICE = List.of("CAST(id & 15 AS INT)");
  static final String BCE_SUM_F64 = "'{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"reduction\": \"sum\", "
      + "\"dtype\": \"float64\"}}'";

  private Workloads() {}

  static List<Workload> all(SparkSession spark, Path dataDir) {
    List<Workload> w = new ArrayList<>();
    w.add(new Workload(BCE_WEIGHTED, "BinaryCrossentropy, probabilities, sample weights", 1,
        rows -> Sources.binary(spark, rows), bceWeighted(true)));
    w.add(new Workload(BCE_WEIGHTED_PARQUET, "BinaryCrossentropy, probabilities, sample weights (Parquet source)", 1,
        rows -> Sources.binaryParquet(spark, rows, dataDir), bceWeighted(false)));
    w.add(new Workload("bce", "BinaryCrossentropy, probabilities", 1, rows -> Sources.binary(spark, rows), List.of(
        SqlContender.of(Peer.FUSED, "keras_loss(" + BCE + ", label, prob)"),
        SqlContender.of(Peer.REDUCE, "loss_reduce(loss_binary_crossentropy(label, prob))"),
        SqlContender.of(Peer.NATIVE_SQL, "avg(" + BCE_TERM + ")"),
        MllibContender.binary("label", "prob", null),
        new TensorFlowContender(TensorFlowContender.Kind.BCE, "label", "prob", null, 1),
        SqlContender.of(Peer.SCAN_FLOOR, "sum(prob)"))));
    w.add(new Workload("bce_logits", "BinaryCrossentropy, logits", 1, rows -> Sources.binary(spark, rows), List.of(
        SqlContender.of(Peer.FUSED, "keras_loss(" + BCE_LOGITS + ", label, logit)"),
        SqlContender.of(Peer.REDUCE, "loss_reduce(loss_binary_crossentropy(label, logit, true))"),
        SqlContender.of(Peer.NATIVE_SQL, "avg(greatest(logit, 0.0D) - logit * label + log1p(exp(-abs(logit))))"),
        new TensorFlowContender(TensorFlowContender.Kind.BCE_LOGITS, "label", "logit", null, 1),
        SqlContender.of(Peer.SCAN_FLOOR, "sum(logit)"))));
    w.add(new Workload("focal_bce", "BinaryFocalCrossentropy (gamma 2), probabilities", 1,
        rows -> Sources.binary(spark, rows), List.of(
            SqlContender.of(Peer.FUSED, "keras_loss(" + FOCAL + ", label, prob)"),
            SqlContender.of(Peer.REDUCE, "loss_reduce(loss_binary_focal_crossentropy(label, prob))"),
            // Keras: p_t from the unclipped prediction, (1 - p_t)^gamma times the clipped BCE.
            SqlContender.of(Peer.NATIVE_SQL,
                "avg(pow(1.0D - (label * prob + (1.0D - label) * (1.0D - prob)), 2.0D) * " + BCE_TERM + ")"),
            SqlContender.of(Peer.SCAN_FLOOR, "sum(prob)"))));
    w.add(categorical("cce_10", 10, 10, spark, true));
    w.add(categorical(CCE_1000, 1000, 1000, spark, false));
    w.add(new Workload("scce_10", "SparseCategoricalCrossentropy, 10 classes, logits", 10,
        rows -> Sources.categorical(spark, rows, 10), List.of(
            SqlContender.of(Peer.FUSED, "keras_loss(" + SCCE_LOGITS + ", cls, z)"),
            SqlContender.of(Peer.REDUCE, "loss_reduce(loss_sparse_categorical_crossentropy(cls, z, true))"),
            SqlContender.staged(Peer.NATIVE_SQL, logSumExpStages("cls"), "avg(lse - element_at(z, cls + 1))"),
            new TensorFlowContender(TensorFlowContender.Kind.SCCE_LOGITS, "cls", "z", null, 10),
            SqlContender.of(Peer.SCAN_FLOOR, "sum(cls + array_max(z))"))));
    w.addAll(queryShapes(spark, dataDir));
    w.add(new Workload("ctc", "CTC, " + Sources.CTC_FRAMES + " frames x " + Sources.CTC_CLASSES + " classes, "
        + Sources.CTC_LABELS + " labels", 100, rows -> Sources.ctc(spark, rows), List.of(
            SqlContender.of(Peer.FUSED, "keras_loss(" + CTC + ", labels, logits)"),
            SqlContender.of(Peer.REDUCE, "loss_reduce(loss_ctc(labels, logits))"),
            SqlContender.of(Peer.SCAN_FLOOR, "sum(array_max(labels) + array_max(flatten(logits)))"))));
    return w;
  }

  /**
   * The query shapes of issue 13 beyond the ungrouped keras_loss: GROUP BY, sum and loss_reduce of
   * per-row losses, per-row output, CCE by slice, and the evaluate job; each against the native SQL
   * a skilled user would write.
   */
  static List<Workload> queryShapes(SparkSession spark, Path dataDir) {
    List<Workload> w = new ArrayList<>();
    w.add(new Workload(BCE_WEIGHTED_BY_SLICE, "BinaryCrossentropy, weights, GROUP BY 16 slices", 1,
        rows -> Sources.binary(spark, rows), List.of(
            SqlContender.grouped(Peer.FUSED, SLICE, List.of(), "keras_loss(" + BCE + ", label, prob, weight)"),
            SqlContender.grouped(Peer.REDUCE, SLICE, List.of(), "loss_reduce(loss_binary_crossentropy(label, prob), weight)"),
            SqlContender.of(Peer.UNGROUPED, "keras_loss(" + BCE + ", label, prob, weight)"),
            SqlContender.grouped(Peer.NATIVE_SQL, SLICE, List.of(), "sum(weight * " + BCE_TERM + ") / count(1)"),
            SqlContender.grouped(Peer.SCAN_FLOOR, SLICE, List.of(), "sum(prob)"))));
    w.add(new Workload(SUM_BCE_ROWS, "sum of per-row BinaryCrossentropy (float64 rows)", 1,
        rows -> Sources.binary(spark, rows), List.of(
            SqlContender.of(Peer.FUSED, "keras_loss(" + BCE_SUM_F64 + ", label, prob)"),
            SqlContender.of(Peer.REDUCE, "sum(loss_binary_crossentropy(label, prob))"),
            SqlContender.of(Peer.NATIVE_SQL, "sum(" + BCE_TERM + ")"),
            SqlContender.of(Peer.SCAN_FLOOR, "sum(prob)"))));
    w.add(new Workload(BCE_ROWS_NOOP, "per-row BinaryCrossentropy written (noop sink)", 1,
        rows -> Sources.binary(spark, rows), List.of(
            SqlContender.of(Peer.FUSED, "keras_loss(" + BCE + ", label, prob)"),
            SqlContender.rowSink(Peer.REDUCE, "loss_binary_crossentropy(label, prob)"),
            SqlContender.rowSink(Peer.NATIVE_SQL, BCE_TERM),
            SqlContender.rowSink(Peer.SCAN_FLOOR, "prob"))));
    w.add(new Workload(CCE_10_BY_SLICE, "CategoricalCrossentropy, 10 classes, logits, GROUP BY 16 slices", 10,
        rows -> Sources.categorical(spark, rows, 10), List.of(
            SqlContender.grouped(Peer.FUSED, SLICE, List.of(), "keras_loss(" + CCE_LOGITS + ", y, z)"),
            SqlContender.grouped(Peer.NATIVE_SQL, SLICE, List.of(
                    new String[] {"id", "y", "z", "array_max(z) AS m"},
                    new String[] {"id", "y", "z", "m + ln(aggregate(z, 0.0D, (a, x) -> a + exp(x - m))) AS lse"}),
                "avg(lse * aggregate(y, 0.0D, (a, t) -> a + t) - aggregate(zip_with(y, z, (t, x) -> t * x), 0.0D, (a, b) -> a + b))"),
            SqlContender.grouped(Peer.SCAN_FLOOR, SLICE, List.of(), "sum(array_max(y) + array_max(z))"))));
    List<String> bySlice = List.of("model_version", "region");
    w.add(new Workload(EVALUATE_JOB, "lossagg-evaluate (demo's six losses by model_version, region, --worst 5 "
        + "--report) vs one six-keras_loss query (generated Parquet)", 1,
        rows -> Sources.generatorParquet(spark, rows, dataDir), List.of(
            SqlContender.grouped(Peer.FUSED, bySlice, List.of(), sixLosses()),
            new EvaluateJobContender(dataDir),
            SqlContender.grouped(Peer.SCAN_FLOOR, bySlice, List.of(), "sum(label + prob + logit + weight + target "
                + "+ prediction + class_id + array_max(class_probs) + array_max(class_onehot))"))));
    return w;
  }

  /** The demo config's six losses as one sum of keras_loss values (one query computes all six). */
  private static String sixLosses() {
    return String.join(" + ", List.of(
        "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {}}', label, prob, weight)",
        "keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true}}', label, logit, weight)",
        "keras_loss('{\"class_name\": \"BinaryFocalCrossentropy\", \"config\": {\"from_logits\": true, "
            + "\"apply_class_balancing\": true}}', label, logit)",
        "keras_loss('{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"label_smoothing\": 0.1}}', "
            + "class_onehot, class_probs)",
        "keras_loss('{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {}}', class_id, class_probs)",
        "keras_loss('{\"class_name\": \"MeanSquaredError\", \"config\": {}}', target, prediction, weight)"));
  }

  private static List<Contender> bceWeighted(boolean withTensorFlow) {
    List<Contender> c = new ArrayList<>(List.of(
        SqlContender.of(Peer.FUSED, "keras_loss(" + BCE + ", label, prob, weight)"),
        SqlContender.of(Peer.REDUCE, "loss_reduce(loss_binary_crossentropy(label, prob), weight)"),
        SqlContender.of(Peer.NATIVE_SQL, "sum(weight * " + BCE_TERM + ") / count(1)"),
        MllibContender.binary("label", "prob", "weight")));
    if (withTensorFlow) {
      c.add(new TensorFlowContender(TensorFlowContender.Kind.BCE_WEIGHTED, "label", "prob", "weight", 1));
    }
    c.add(SqlContender.of(Peer.SCAN_FLOOR, "sum(prob)"));
    return c;
  }

  private static Workload categorical(String name, int classes, long divisor, SparkSession spark, boolean mllib) {
    List<Contender> c = new ArrayList<>(List.of(
        SqlContender.of(Peer.FUSED, "keras_loss(" + CCE_LOGITS + ", y, z)"),
        SqlContender.of(Peer.REDUCE, "loss_reduce(loss_categorical_crossentropy(y, z, true))"),
        // Log-softmax: lse = max + ln Σ exp(z - max); loss = lse·Σy - Σ y·z.
        SqlContender.staged(Peer.NATIVE_SQL, logSumExpStages("y"),
            "avg(lse * aggregate(y, 0.0D, (a, t) -> a + t) - aggregate(zip_with(y, z, (t, x) -> t * x), 0.0D, (a, b) -> a + b))")));
    if (mllib) {
      c.add(MllibContender.fromLogits("cls", "z"));
    }
    c.add(new TensorFlowContender(TensorFlowContender.Kind.CCE_LOGITS, "y", "z", null, classes));
    c.add(SqlContender.of(Peer.SCAN_FLOOR, "sum(array_max(y) + array_max(z))"));
    return new Workload(name, "CategoricalCrossentropy, " + classes + " classes, logits", divisor,
        rows -> Sources.categorical(spark, rows, classes), c);
  }

  /** Row max in its own stage (inside the lambda it would be recomputed per element), then lse. */
  private static List<String[]> logSumExpStages(String label) {
    return List.of(
        new String[] {label, "z", "array_max(z) AS m"},
        new String[] {label, "z", "m + ln(aggregate(z, 0.0D, (a, x) -> a + exp(x - m))) AS lse"});
  }
}
