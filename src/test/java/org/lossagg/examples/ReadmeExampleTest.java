package org.lossagg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.BinaryCrossentropy;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossAggregation;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

/** The Java example of README.md, with the values it prints there. */
class ReadmeExampleTest {
  @Test
  void readmeJavaExample() {
    // --- README example start
    BinaryCrossentropy bce = BinaryCrossentropy.builder().fromLogits(true).build();
    NdArray yTrue = NdArray.matrix(new double[][] {{0, 1}, {0, 0}});
    NdArray yPred = NdArray.matrix(new double[][] {{-18.6, 0.51}, {2.94, -12.8}});

    double mean = bce.call(yTrue, yPred).item();                                // Keras: 0.865
    double weighted = bce.call(yTrue, yPred, NdArray.vector(0.8, 0.2)).item();  // Keras: 0.243

    // The same table reduced in two partitions, merged: the single-batch value, bit for bit.
    LossAggregation part1 = bce.newAggregation();
    part1.add(NdArray.matrix(new double[][] {{0, 1}}), NdArray.matrix(new double[][] {{-18.6, 0.51}}), null, null);
    LossAggregation part2 = bce.newAggregation();
    part2.add(NdArray.matrix(new double[][] {{0, 0}}), NdArray.matrix(new double[][] {{2.94, -12.8}}), null, null);
    part2.merge(part1);
    double merged = part2.result();

    BinaryCrossentropy summed = BinaryCrossentropy.builder().fromLogits(true).reduction(Reduction.SUM).build();
    double sum = summed.call(yTrue, yPred).item();
    // --- README example end
    System.out.println(mean + " " + weighted + " " + merged + " " + sum);
    assertEquals(0.8654580116271973, mean);
    assertEquals(0.24363860487937927, weighted);
    assertEquals(mean, merged);
    assertEquals(1.7309160232543945, sum);
  }

  @Test
  void readmeConfigExample() {
    // --- README config example start
    Loss loss = KerasLossConfig.fromJson(
        "{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"from_logits\": true, \"label_smoothing\": 0.1}}");
    String json = KerasLossConfig.toJson(loss);
    Loss mse = KerasLossConfig.fromJson("mse");
    // --- README config example end
    assertEquals("{\"name\": \"binary_crossentropy\", \"reduction\": \"sum_over_batch_size\", "
        + "\"from_logits\": true, \"label_smoothing\": 0.1, \"axis\": -1}", json);
    assertEquals("MeanSquaredError", mse.spec().className());
  }
}
