package org.lossagg.bench;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark MLlib's log loss: {@code MulticlassClassificationEvaluator} with metricName "logLoss"
 * (BinaryClassificationEvaluator has none), over a probability vector column built from the same
 * source: {@code [1-p, p]} for a binary probability, the softmax of the logits for classes.
 * With a weight column MLlib divides by the weight sum (Keras' sum_over_batch_size by the row
 * count), which {@link #toFusedScale} accounts for in the agreement check.
 */
final class MllibContender implements Contender {
  /** MLlib clips at 1e-15, Keras at float32's 1e-7; the generated probabilities never get that close. */
  private static final double RTOL = 1e-5;

  private final String[] inputs;
  private final boolean weighted;
  private final String description;

  private MllibContender(String[] inputs, boolean weighted, String description) {
    this.inputs = inputs;
    this.weighted = weighted;
    this.description = description;
  }

  /** Binary: label 0/1 and the probability of class 1. */
  static MllibContender binary(String label, String prob, String weight) {
    String[] in = weight == null
        ? new String[] {"CAST(" + label + " AS DOUBLE) AS label", "array(1.0D - " + prob + ", " + prob + ") AS p",
            "IF(" + prob + " >= 0.5D, 1.0D, 0.0D) AS prediction"}
        : new String[] {"CAST(" + label + " AS DOUBLE) AS label", "array(1.0D - " + prob + ", " + prob + ") AS p",
            "IF(" + prob + " >= 0.5D, 1.0D, 0.0D) AS prediction", "CAST(" + weight + " AS DOUBLE) AS weight"};
    return new MllibContender(in, weight != null,
        "MulticlassClassificationEvaluator(logLoss) on array_to_vector(array(1 - " + prob + ", " + prob + "))"
            + (weight == null ? "" : ", weightCol " + weight));
  }

  /** Multiclass from logits {@code z} and the class id {@code cls}: probabilities are softmax(z). */
  static MllibContender fromLogits(String cls, String z) {
    String m = "array_max(" + z + ")";
    String[] in = {"CAST(" + cls + " AS DOUBLE) AS label",
        "transform(" + z + ", x -> exp(x - " + m + ")) AS e",
        "CAST(array_position(" + z + ", " + m + ") - 1 AS DOUBLE) AS prediction"};
    return new MllibContender(in, false,
        "MulticlassClassificationEvaluator(logLoss) on array_to_vector(softmax(" + z + "))");
  }

  @Override
  public Peer peer() {
    return Peer.MLLIB;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Outcome run(Dataset<Row> source, long rows) {
    Dataset<Row> d = source.selectExpr(inputs);
    if (d.columns()[1].equals("e")) {
      // The row's sum in its own stage: inside the lambda it would be recomputed per element.
      d = d.selectExpr("label", "prediction", "e", "aggregate(e, 0.0D, (a, y) -> a + y) AS s")
          .selectExpr("label", "prediction", "transform(e, x -> x / s) AS p");
    }
    d = d.withColumn("probability", functions.array_to_vector(col("p")));
    MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator()
        .setMetricName("logLoss")
        .setLabelCol("label")
        .setPredictionCol("prediction")
        .setProbabilityCol("probability");
    if (weighted) {
      ev.setWeightCol("weight");
    }
    return new Outcome(ev.evaluate(d), rows);
  }

  @Override
  public double tolerance(long rows) {
    return RTOL;
  }

  @Override
  public String toFusedScale() {
    return weighted ? "sum(weight) / count(1)" : null;
  }
}
