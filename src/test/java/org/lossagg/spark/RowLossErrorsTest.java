package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad calls fail with a message naming the function, the argument and what is allowed: at analysis
 * for types, arity and options; at run time (inside Spark's task failure) for the data of a row.
 */
class RowLossErrorsTest {
  @BeforeAll
  static void table() {
    List<Object[]> rows = List.<Object[]>of(new Object[] {
        new double[] {0, 1}, new double[] {0.4, 0.6}, new double[] {0.4, 0.6, 0.7}, true, "x",
        new double[][] {{0, 1}, {1}}, new Double[] {0.5, null}, 5, new int[] {1, 7}});
    SparkRows.table(rows, new String[] {"t", "p", "p3", "flag", "s", "ragged", "holey", "label", "labels"},
        new DataType[] {SparkRows.doubles(1), SparkRows.doubles(1), SparkRows.doubles(1), DataTypes.BooleanType,
            DataTypes.StringType, SparkRows.doubles(2), SparkRows.doubles(1), DataTypes.IntegerType,
            SparkRows.nested(DataTypes.IntegerType, 1)})
        .createOrReplaceTempView("bad_rows");
  }

  private static void analysisFails(String select, String... parts) {
    AnalysisException e = assertThrows(AnalysisException.class,
        () -> SparkRows.spark().sql("SELECT " + select + " FROM bad_rows").collectAsList(), select);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + p + "' not in: " + e.getMessage());
    }
  }

  private static void rowFails(String select, String... parts) {
    try {
      SparkRows.spark().sql("SELECT " + select + " FROM bad_rows").collectAsList();
      fail(select + " did not fail");
    } catch (Exception e) {
      Throwable c = e;
      while (c != null && !(c instanceof IllegalArgumentException)) {
        c = c.getCause();
      }
      assertTrue(c != null, () -> select + ": no IllegalArgumentException in " + e);
      String m = c.getMessage();
      for (String p : parts) {
        assertTrue(m.contains(p), () -> "'" + p + "' not in: " + m);
      }
    }
  }

  @Test
  void wrongArgumentCounts() {
    analysisFails("loss_binary_crossentropy(t, p, false, 0.0, -1, 3)",
        "loss_binary_crossentropy takes 2 to 5 arguments, loss_binary_crossentropy(y_true, y_pred[, from_logits[, "
            + "label_smoothing[, axis]]]); got 6");
    analysisFails("loss_mean_squared_error(t)", "loss_mean_squared_error takes 2 to 2 arguments", "got 1");
    analysisFails("loss_circle(label, p, labels)", "loss_circle takes 4 to 7 arguments, loss_circle(y_true, y_pred, "
        + "ref_labels, ref_embeddings, remove_diagonal[, gamma[, margin]]); got 3");
  }

  @Test
  void wrongInputTypes() {
    analysisFails("loss_mean_squared_error(s, p)",
        "loss_mean_squared_error: argument 1 (y_true) has type STRING; expected a number, an ARRAY of numbers or an "
            + "ARRAY<ARRAY> of numbers (elements TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE or DECIMAL)");
    analysisFails("loss_mean_squared_error(t, map('a', 1))", "argument 2 (y_pred) has type MAP<STRING, INT>");
    // A nullable field: Spark 4 writes a NOT NULL field's type as "a: INT NOT NULL", Spark 3.5 as "a: INT".
    analysisFails("loss_mean_squared_error(t, named_struct('a', CAST(NULL AS INT)))",
        "argument 2 (y_pred) has type STRUCT<a: INT>");
    analysisFails("loss_hinge(flag, p)", "loss_hinge: argument 1 (y_true) has type BOOLEAN");
    analysisFails("loss_hinge(array(s), p)", "argument 1 (y_true) has type ARRAY<STRING>");
    analysisFails("loss_mean_squared_error(array(array(array(t))), p)", "has type ARRAY<ARRAY<ARRAY<ARRAY<DOUBLE>>>>");
  }

  @Test
  void shapeKindsThatDoNotPair() {
    analysisFails("loss_binary_crossentropy(t, 0.5)", "loss_binary_crossentropy: argument 1 (y_true) is an ARRAY of "
        + "numbers but argument 2 (y_pred) is a number; y_true and y_pred must both be numbers, both ARRAYs or both "
        + "ARRAY<ARRAY>s");
    analysisFails("loss_sparse_categorical_crossentropy(t, p)", "argument 1 (y_true) is an ARRAY of numbers but "
        + "argument 2 (y_pred) is an ARRAY of numbers; y_true holds one class id per score vector of y_pred");
    analysisFails("loss_sparse_categorical_crossentropy(1, 0.5)", "argument 2 (y_pred) is a number; expected class "
        + "scores: an ARRAY (one sample) or an ARRAY<ARRAY>");
    analysisFails("loss_ctc(label, ragged)", "loss_ctc: argument 1 (y_true) is a number; expected an ARRAY of class ids");
    analysisFails("loss_ctc(labels, p)", "loss_ctc: argument 2 (y_pred) is an ARRAY of numbers; expected an "
        + "ARRAY<ARRAY> of logits");
    analysisFails("loss_circle(labels, p)", "loss_circle: argument 1 (y_true) is an ARRAY of numbers; expected a number");
    analysisFails("loss_circle(label, p, labels, p, false)",
        "loss_circle: argument 4 (ref_embeddings) is an ARRAY of numbers; expected an ARRAY<ARRAY> of numbers");
  }

  @Test
  void optionsMustBeConstantsOfTheRightKind() {
    analysisFails("loss_binary_crossentropy(t, p, flag)", "loss_binary_crossentropy: argument 3 (from_logits) must be a "
        + "constant (options must be constants), got the expression bad_rows.flag; expected true or false");
    analysisFails("loss_huber(t, p, label)", "loss_huber: argument 3 (delta) must be a constant");
    analysisFails("loss_binary_crossentropy(t, p, false, 1.5)", "loss_binary_crossentropy: argument 4 (label_smoothing): "
        + "BinaryCrossentropy: option 'label_smoothing' got 1.5; expected a number in [0, 1]");
    analysisFails("loss_binary_crossentropy(t, p, 'yes')",
        "argument 3 (from_logits): BinaryCrossentropy: option 'from_logits' got 'yes'; expected true or false");
    analysisFails("loss_binary_crossentropy(t, p, 1)", "option 'from_logits' got 1; expected true or false");
    analysisFails("loss_huber(t, p, true)", "argument 3 (delta): Huber: option 'delta' got true; expected a number");
    analysisFails("loss_huber(t, p, NULL)", "option 'delta' got null; expected a number");
    analysisFails("loss_sparse_categorical_crossentropy(1, p, false, 1.5)",
        "argument 4 (ignore_class): SparseCategoricalCrossentropy: option 'ignore_class' got 1.5; expected an integer or null");
    analysisFails("loss_categorical_focal_crossentropy(t, p, array(0.5, NULL))",
        "argument 3 (alpha) has a NULL element at index 1");
    analysisFails("loss_categorical_focal_crossentropy(t, p, map(1, 2))", "argument 3 (alpha) has type MAP<INT, INT>");
    analysisFails("loss_categorical_generalized_cross_entropy(1, p, 1.0)",
        "option 'q' got 1.0; expected a number in (0, 1)");
  }

  @Test
  void axisMayNotBeTheBatchAxisOfTheRow() {
    analysisFails("loss_binary_crossentropy(t, p, false, 0.0, 0)", "loss_binary_crossentropy: option axis = 0 is the "
        + "batch axis for an ARRAY of numbers evaluated as a Keras batch of one (shape rank 2); allowed: -1, 1");
    analysisFails("loss_cosine_similarity(t, p, 2)", "option axis = 2 is out of range", "allowed: -1, 1");
    analysisFails("loss_categorical_crossentropy(array(t), array(p), false, 0.0, -3)",
        "option axis = -3 is the batch axis for an ARRAY<ARRAY> of numbers", "allowed: -2, -1, 1, 2");
    analysisFails("loss_dice(t, p, array(0, 1))", "loss_dice: option axis = 0 is the batch axis");
    analysisFails("loss_tversky(array(t), array(p), 0.5, 0.5, array(2, -1))",
        "loss_tversky: option axis = [2, -1] lists axis 2 twice");
  }

  @Test
  void circleReferencesNeedRemoveDiagonalFalse() {
    analysisFails("loss_circle(label, p, labels, array(p, p))", "loss_circle: with ref_labels and ref_embeddings each row "
        + "is a Keras batch of one, where remove_diagonal=true would drop the row's pair with the FIRST reference row");
  }

  @Test
  void rowDataErrorsNameTheFunctionArgumentAndValue() {
    rowFails("loss_mean_squared_error(t, p3)", "loss_mean_squared_error: argument 1 (y_true) has shape [2] but "
        + "argument 2 (y_pred) has shape [3] in this row; expected the same shape");
    rowFails("loss_mean_squared_error(ragged, ragged)", "loss_mean_squared_error: argument 1 (y_true) is a ragged "
        + "ARRAY<ARRAY>: inner array 1 has 1 elements but inner array 0 has 2");
    rowFails("loss_mean_squared_error(t, holey)",
        "loss_mean_squared_error: argument 2 (y_pred) has a NULL element at index [1]");
    rowFails("loss_mean_squared_error(array(t, NULL), array(p, p))",
        "argument 1 (y_true) has a NULL inner array at index 1");
    rowFails("loss_sparse_categorical_crossentropy(label, p)", "loss_sparse_categorical_crossentropy: "
        + "SparseCategoricalCrossentropy: y_true label 5 at index [0] is outside the valid range [0, 2) of y_pred's 2 classes");
    rowFails("loss_sparse_categorical_crossentropy(labels, array(p))", "loss_sparse_categorical_crossentropy: argument 1 "
        + "(y_true) has 2 class ids but argument 2 (y_pred) has 1 score vectors in this row");
    rowFails("loss_ctc(labels, array(p, p, p))", "loss_ctc: CTC: y_true");
  }
}
