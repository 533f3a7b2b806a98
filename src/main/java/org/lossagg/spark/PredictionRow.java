package org.lossagg.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One row for {@link KerasLossDatasetAggregator}: y_true ({@code actual}) and y_pred ({@code predicted})
 * as vectors (a single number is an array of one, which Keras sees as shape (1, 1) just like a
 * scalar row), and an optional sample weight. A Java bean, so {@code Encoders.bean(PredictionRow.class)}
 * maps it to and from a DataFrame with columns {@code actual ARRAY<DOUBLE>},
 * {@code predicted ARRAY<DOUBLE>} and {@code weight DOUBLE}.
 */
public class PredictionRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] actual;
  private double[] predicted;
  private Double weight;

  public PredictionRow() {}

  public PredictionRow(double[] actual, double[] predicted, Double weight) {
    this.actual = actual;
    this.predicted = predicted;
    this.weight = weight;
  }

  public double[] getActual() {
    return actual;
  }

  public void setActual(double[] actual) {
    this.actual = actual;
  }

  public double[] getPredicted() {
    return predicted;
  }

  public void setPredicted(double[] predicted) {
    this.predicted = predicted;
  }

  public Double getWeight() {
    return weight;
  }

  public void setWeight(Double weight) {
    this.weight = weight;
  }

  @Override
  public String toString() {
    return "PredictionRow[actual=" + Arrays.toString(actual) + ", predicted=" + Arrays.toString(predicted) + ", weight="
        + weight + "]";
  }
}
