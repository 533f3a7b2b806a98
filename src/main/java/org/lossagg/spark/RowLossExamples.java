package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.lossagg.losses.LossSpec;

/**
 * The runnable examples of the per-row functions' docs, with the output {@code spark-sql} prints
 * for them (each was run; {@code RowLossExamplesTest} runs them again and compares).
 */
public final class RowLossExamples {
  /** One example: a SQL statement and its printed result. */
  public record Example(String function, String sql, String output) {}

  private static final List<Example> ALL = List.of(
      new Example("loss_binary_crossentropy",
          "SELECT loss_binary_crossentropy(array(0, 1), array(0.4, 0.6));",
          "0.5108256237659907"),
      new Example("loss_binary_crossentropy",
          "SELECT loss_binary_crossentropy(CAST(array(0, 1) AS ARRAY<FLOAT>), CAST(array(0.4, 0.6) AS ARRAY<FLOAT>));",
          "0.5108255743980408"),
      new Example("loss_binary_crossentropy",
          "SELECT loss_binary_crossentropy(array(0, 1), array(-1.2, 2.5), true, 0.1);",
          "0.26358610081529044"),
      new Example("loss_binary_focal_crossentropy",
          "SELECT loss_binary_focal_crossentropy(array(0, 1), array(0.4, 0.6));",
          "0.08173209980255854"),
      new Example("loss_binary_focal_crossentropy",
          "SELECT loss_binary_focal_crossentropy(array(0, 1), array(0.4, 0.6), true, 0.25, 2.0);",
          "0.04086604990127927"),
      new Example("loss_categorical_crossentropy",
          "SELECT loss_categorical_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0));",
          "0.05129329438755058"),
      new Example("loss_categorical_crossentropy",
          "SELECT loss_categorical_crossentropy(array(array(0, 1, 0), array(0, 0, 1)), array(array(0.05, 0.95, 0), array(0.1, 0.8, 0.1)));",
          "[0.05129329438755058,2.3025850929940455]"),
      new Example("loss_categorical_focal_crossentropy",
          "SELECT loss_categorical_focal_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0));",
          "3.2058308992219164E-5"),
      new Example("loss_categorical_focal_crossentropy",
          "SELECT loss_categorical_focal_crossentropy(array(0, 1, 0), array(0.05, 0.95, 0), array(0.2, 0.5, 0.3), 1.0);",
          "0.0012823323596887655"),
      new Example("loss_sparse_categorical_crossentropy",
          "SELECT loss_sparse_categorical_crossentropy(1, array(0.05, 0.95, 0));",
          "0.05129339438754555"),
      new Example("loss_sparse_categorical_crossentropy",
          "SELECT loss_sparse_categorical_crossentropy(array(1, 2), array(array(0.05, 0.95, 0), array(0.1, 0.8, 0.1)), false, 2);",
          "[0.05129339438754555,null]"),
      new Example("loss_poisson",
          "SELECT loss_poisson(array(1, 0), array(0.8, 0.3));",
          "0.6615717131571088"),
      new Example("loss_kl_divergence",
          "SELECT loss_kl_divergence(array(0.3, 0.7), array(0.4, 0.6));",
          "0.02160085414354654"),
      new Example("loss_ctc",
          "SELECT loss_ctc(array(1, 2), array(array(0.1, 0.5, 0.4), array(0.2, 0.3, 0.5), array(0.6, 0.3, 0.1)));",
          "1.6793937683105469"),
      new Example("loss_mean_squared_error",
          "SELECT loss_mean_squared_error(array(0, 1), array(1, 3));",
          "2.5"),
      new Example("loss_mean_squared_error",
          "SELECT loss_mean_squared_error(1, 3);",
          "4.0"),
      new Example("loss_mean_squared_error",
          "SELECT loss_mean_squared_error(array(array(0, 0), array(1, 1)), array(array(1, 1), array(1, 3)));",
          "[1.0,2.0]"),
      new Example("loss_mean_absolute_error",
          "SELECT loss_mean_absolute_error(array(0, 1), array(1, 3));",
          "1.5"),
      new Example("loss_mean_absolute_percentage_error",
          "SELECT loss_mean_absolute_percentage_error(array(2, 4), array(1, 3));",
          "37.5"),
      new Example("loss_mean_squared_logarithmic_error",
          "SELECT loss_mean_squared_logarithmic_error(array(2, 4), array(1, 3));",
          "0.10709749919314143"),
      new Example("loss_cosine_similarity",
          "SELECT loss_cosine_similarity(array(0, 1), array(1, 1));",
          "-0.7071067811865475"),
      new Example("loss_huber",
          "SELECT loss_huber(array(0, 1), array(0.6, 3));",
          "0.84"),
      new Example("loss_huber",
          "SELECT loss_huber(array(0, 1), array(0.6, 3), 2.5);",
          "1.09"),
      new Example("loss_log_cosh",
          "SELECT loss_log_cosh(array(0, 1), array(0.6, 3));",
          "0.747569015163321"),
      new Example("loss_hinge",
          "SELECT loss_hinge(array(0, 1), array(0.6, 0.4));",
          "1.1"),
      new Example("loss_squared_hinge",
          "SELECT loss_squared_hinge(array(0, 1), array(0.6, 0.4));",
          "1.4600000000000002"),
      new Example("loss_categorical_hinge",
          "SELECT loss_categorical_hinge(array(0, 1, 0), array(0.3, 0.6, 0.1));",
          "0.7"),
      new Example("loss_dice",
          "SELECT loss_dice(array(0, 1, 1), array(0.2, 0.6, 0.7));",
          "0.2571428783673464"),
      new Example("loss_dice",
          "SELECT loss_dice(array(array(0, 1), array(1, 1)), array(array(0.2, 0.6), array(0.7, 0.9)), array(2));",
          "[0.33333337037036836,0.11111113580246834]"),
      new Example("loss_tversky",
          "SELECT loss_tversky(array(0, 1, 1), array(0.2, 0.6, 0.7));",
          "0.25714289959183445"),
      new Example("loss_tversky",
          "SELECT loss_tversky(array(0, 1, 1), array(0.2, 0.6, 0.7), 0.7, 0.3);",
          "0.29729733528122515"),  // Keras 3.15.x roles (the default); 3.16 gives 0.21212126
      new Example("loss_categorical_generalized_cross_entropy",
          "SELECT loss_categorical_generalized_cross_entropy(1, array(0.1, 0.8, 0.1));",
          "0.2111456180001683"),
      new Example("loss_categorical_generalized_cross_entropy",
          "SELECT loss_categorical_generalized_cross_entropy(1, array(0.1, 0.8, 0.1), 0.7);",
          "0.20658902858149927"),
      new Example("loss_circle",
          "SELECT loss_circle(1, array(1, 0), array(1, 1, 2), array(array(1, 0), array(0.6, 0.8), array(0, 1)), false);",
          "2.76077638295578E-6"),
      new Example("loss_circle",
          "SELECT loss_circle(2, array(0, 1), array(1, 1, 2), array(array(1, 0), array(0.6, 0.8), array(0, 1)), false, 64, 0.25);",
          "32.960000000000015"),
      new Example("loss_circle",
          "SELECT loss_circle(1, array(1, 0));",
          "NULL")
);

  private RowLossExamples() {}

  public static List<Example> all() {
    return ALL;
  }

  /** The examples of {@code spec}'s function. */
  public static List<Example> of(LossSpec spec) {
    List<Example> out = new ArrayList<>();
    for (Example e : ALL) {
      if (e.function().equals(spec.sqlName())) {
        out.add(e);
      }
    }
    return out;
  }
}
