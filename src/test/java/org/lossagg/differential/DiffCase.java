package org.lossagg.differential;

import java.util.Map;

/**
 * One random input of the differential test: the loss options (Keras names; numbers are float32
 * values widened to double, so both libraries see the same constant), y_true, y_pred, and the
 * sample weights used for the weighted comparisons.
 */
record DiffCase(Map<String, Object> options, F32Array yTrue, F32Array yPred, F32Array weights) {

  boolean bool(String option) {
    return (Boolean) options.get(option);
  }

  float number(String option) {
    return ((Double) options.get(option)).floatValue();
  }

  String describe() {
    return "options " + options + "\n    y_true " + yTrue.describe() + "\n    y_pred " + yPred.describe()
        + "\n    sample_weight " + weights.describe();
  }
}
