package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.numerics.NdArray;

/**
 * One generated table per catalogue loss: valid inputs for the loss (labels, probabilities, logits,
 * unit embeddings, CTC label sequences as the loss expects) and a config exercising some options,
 * so every loss runs through the aggregates on more than a handful of rows.
 */
final class LossTables {
  private LossTables() {}

  /** A loss config and its y_true / y_pred batches (axis 0 = rows). */
  record Case(String config, NdArray yTrue, NdArray yPred) {
    Loss loss() {
      return KerasLossConfig.fromJson(config);
    }

    String className() {
      return loss().spec().className();
    }

    @Override
    public String toString() {
      return config;
    }
  }

  static final int WIDTH = 3;

  /** A case for every catalogue loss, in catalogue order. */
  static List<Case> all(Random rnd, int rows) {
    List<Case> out = new ArrayList<>();
    for (LossSpec s : LossCatalog.all()) {
      out.add(of(s.className(), rnd, rows));
    }
    return out;
  }

  static Case of(String className, Random rnd, int rows) {
    switch (className) {
      case "BinaryCrossentropy":
        return new Case(cfg(className, "\"label_smoothing\": 0.1, \"dtype\": \"float64\""), binary(rnd, rows), probs(rnd, rows));
      case "BinaryFocalCrossentropy":
        return new Case(cfg(className, "\"apply_class_balancing\": true"), binary(rnd, rows), probs(rnd, rows));
      case "CategoricalCrossentropy":
        return new Case(cfg(className, "\"from_logits\": true"), oneHot(rnd, rows), normal(rnd, rows, WIDTH));
      case "CategoricalFocalCrossentropy":
      case "KLDivergence":
        return new Case(cfg(className, ""), oneHot(rnd, rows), simplex(rnd, rows));
      case "SparseCategoricalCrossentropy":
        return new Case(cfg(className, "\"ignore_class\": 2"), labels(rnd, rows), simplex(rnd, rows));
      case "CategoricalGeneralizedCrossEntropy":
        return new Case(cfg(className, "\"q\": 0.7"), labels(rnd, rows), simplex(rnd, rows));
      case "Poisson":
        return new Case(cfg(className, ""), counts(rnd, rows), positive(rnd, rows));
      case "CTC":
        return new Case(cfg(className, ""), ctcLabels(rnd, rows), normal(rnd, rows, 4, WIDTH));
      case "MeanSquaredError":
        return new Case(cfg(className, "\"reduction\": \"sum\""), normal(rnd, rows, WIDTH), normal(rnd, rows, WIDTH));
      case "MeanAbsoluteError":
        return new Case(cfg(className, "\"reduction\": \"mean_with_sample_weight\""), normal(rnd, rows, WIDTH),
            normal(rnd, rows, WIDTH));
      case "MeanAbsolutePercentageError":
      case "MeanSquaredLogarithmicError":
        return new Case(cfg(className, ""), positive(rnd, rows), positive(rnd, rows));
      case "CosineSimilarity":
      case "LogCosh":
        return new Case(cfg(className, ""), normal(rnd, rows, WIDTH), normal(rnd, rows, WIDTH));
      case "Huber":
        return new Case(cfg(className, "\"delta\": 0.5"), normal(rnd, rows, WIDTH), normal(rnd, rows, WIDTH));
      case "Hinge":
      case "SquaredHinge":
        return new Case(cfg(className, ""), binary(rnd, rows), normal(rnd, rows, WIDTH));
      case "CategoricalHinge":
        return new Case(cfg(className, ""), oneHot(rnd, rows), normal(rnd, rows, WIDTH));
      case "Dice":
        return new Case(cfg(className, ""), binary(rnd, rows), probs(rnd, rows));
      case "Tversky":
        return new Case(cfg(className, "\"alpha\": 0.3, \"beta\": 0.7"), binary(rnd, rows), probs(rnd, rows));
      case "Circle":
        return new Case(cfg(className, "\"gamma\": 4"), labels(rnd, rows), unit(rnd, rows));
      default:
        throw new IllegalArgumentException("no generator for " + className + "; add one so every loss is tested");
    }
  }

  static String cfg(String className, String options) {
    return "{\"class_name\": \"" + className + "\", \"config\": {" + options + "}}";
  }

  static NdArray binary(Random rnd, int rows) {
    return fill(rows, WIDTH, () -> rnd.nextBoolean() ? 1 : 0);
  }

  static NdArray probs(Random rnd, int rows) {
    return fill(rows, WIDTH, () -> 0.02 + 0.96 * rnd.nextDouble());
  }

  static NdArray positive(Random rnd, int rows) {
    return fill(rows, WIDTH, () -> 0.1 + 3 * rnd.nextDouble());
  }

  static NdArray counts(Random rnd, int rows) {
    return fill(rows, WIDTH, () -> rnd.nextInt(4));
  }

  static NdArray normal(Random rnd, int rows, int... inner) {
    int size = 1;
    for (int d : inner) {
      size *= d;
    }
    double[] d = new double[rows * size];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextGaussian();
    }
    int[] shape = new int[inner.length + 1];
    shape[0] = rows;
    System.arraycopy(inner, 0, shape, 1, inner.length);
    return NdArray.of(d, shape);
  }

  static NdArray oneHot(Random rnd, int rows) {
    double[] d = new double[rows * WIDTH];
    for (int r = 0; r < rows; r++) {
      d[r * WIDTH + rnd.nextInt(WIDTH)] = 1;
    }
    return NdArray.of(d, rows, WIDTH);
  }

  static NdArray simplex(Random rnd, int rows) {
    NdArray p = probs(rnd, rows);
    double[] d = p.data();
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int c = 0; c < WIDTH; c++) {
        s += d[r * WIDTH + c];
      }
      for (int c = 0; c < WIDTH; c++) {
        d[r * WIDTH + c] /= s;
      }
    }
    return p;
  }

  static NdArray unit(Random rnd, int rows) {
    NdArray p = normal(rnd, rows, WIDTH);
    double[] d = p.data();
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int c = 0; c < WIDTH; c++) {
        s += d[r * WIDTH + c] * d[r * WIDTH + c];
      }
      for (int c = 0; c < WIDTH; c++) {
        d[r * WIDTH + c] /= Math.sqrt(s);
      }
    }
    return p;
  }

  /** Class ids 0..WIDTH-1, one per row (a scalar column). */
  static NdArray labels(Random rnd, int rows) {
    double[] d = new double[rows];
    for (int r = 0; r < rows; r++) {
      d[r] = rnd.nextInt(WIDTH);
    }
    return NdArray.of(d, rows);
  }

  /** CTC label rows of length 2 over classes 1..WIDTH-1, padded with the blank 0. */
  static NdArray ctcLabels(Random rnd, int rows) {
    double[] d = new double[rows * 2];
    for (int r = 0; r < rows; r++) {
      d[2 * r] = 1 + rnd.nextInt(WIDTH - 1);
      d[2 * r + 1] = rnd.nextInt(WIDTH);
    }
    return NdArray.of(d, rows, 2);
  }

  /** Positive per-row weights, a scalar column. */
  static NdArray weights(Random rnd, int rows) {
    double[] d = new double[rows];
    for (int r = 0; r < rows; r++) {
      d[r] = 0.1 + 1.9 * rnd.nextDouble();
    }
    return NdArray.of(d, rows);
  }

  private interface Gen {
    double next();
  }

  private static NdArray fill(int rows, int cols, Gen g) {
    double[] d = new double[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = g.next();
    }
    return NdArray.of(d, rows, cols);
  }
}
