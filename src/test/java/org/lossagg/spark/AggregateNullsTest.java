package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NULL handling of keras_loss: a row with NULL y_true or y_pred is left out exactly as if filtered
 * away (for every kind of loss state: per-sample, table-wide Dice, Hinge's label decision, Circle's
 * group); nothing left gives NULL; a NULL weight where the row counts is an error naming the column,
 * and so are NULL elements inside arrays and ragged arrays.
 */
class AggregateNullsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void table() {
    SPARK.sql("SELECT * FROM VALUES "
        + "(0, 'a', array(0, 1), array(0.2, 0.7), 1, 1.0), "
        + "(1, 'a', NULL, array(0.9, 0.4), NULL, NULL), "
        + "(2, 'a', array(1, 1), NULL, 0, 0.5), "
        + "(3, 'b', array(1, 0), array(0.6, 0.3), 1, 2.0), "
        + "(4, 'b', array(0, 0), array(0.1, 0.8), 2, 1.5), "
        + "(5, 'c', NULL, NULL, NULL, NULL) "
        + "AS t(id, g, y, p, label, w)").createOrReplaceTempView("with_nulls");
  }

  private static final String[] AGGS = {
      "keras_loss('binary_crossentropy', y, p)",
      "keras_loss('binary_crossentropy', y, p, w)",
      "keras_loss('dice', y, p)",
      "keras_loss('dice', y, p, w)",
      "keras_loss('hinge', y, p, w)",
      "keras_loss('{\"class_name\": \"Circle\", \"config\": {\"gamma\": 2}}', label, p, w)"};

  @Test
  void rowsWithNullInputsAreLeftOutAsIfFiltered() {
    String list = String.join(", ", AGGS);
    Row withNulls = SPARK.sql("SELECT " + list + " FROM with_nulls").first();
    Row filtered = SPARK.sql("SELECT " + list + " FROM with_nulls WHERE y IS NOT NULL AND p IS NOT NULL").first();
    for (int i = 0; i < AGGS.length; i++) {
      if (AGGS[i].contains("Circle")) {
        // Circle reads label, not y: its left-out rows are those with NULL label or p.
        Row circle = SPARK.sql("SELECT " + AGGS[i] + " FROM with_nulls WHERE label IS NOT NULL AND p IS NOT NULL").first();
        assertEquals(circle.get(0), withNulls.get(i), AGGS[i]);
      } else {
        assertEquals(filtered.get(i), withNulls.get(i), AGGS[i]);
      }
    }
  }

  @Test
  void nothingLeftGivesNull() {
    String list = String.join(", ", AGGS);
    Row none = SPARK.sql("SELECT " + list + " FROM with_nulls WHERE id = 5").first();
    Row empty = SPARK.sql("SELECT " + list + " FROM with_nulls WHERE id > 99").first();
    for (int i = 0; i < AGGS.length; i++) {
      assertTrue(none.isNullAt(i), AGGS[i]);
      assertTrue(empty.isNullAt(i), AGGS[i]);
    }
    List<Row> groups = SPARK.sql("SELECT g, keras_loss('mse', y, p) FROM with_nulls GROUP BY g ORDER BY g").collectAsList();
    assertNotNull(groups.get(0).get(1));
    assertNotNull(groups.get(1).get(1));
    assertNull(groups.get(2).get(1), "group c has only a NULL row");
  }

  @Test
  void aNullConstantWeightMeansNoWeights() {
    Row r = SPARK.sql("SELECT keras_loss('mse', y, p, NULL), keras_loss('mse', y, p) FROM with_nulls").first();
    assertEquals(r.get(1), r.get(0));
  }

  @Test
  void aNullWeightInACountedRowIsAnErrorNamingTheColumn() {
    Exception e = assertThrows(Exception.class,
        () -> SPARK.sql("SELECT keras_loss('mse', y, p, w) FROM VALUES (array(1.0), array(0.5), CAST(NULL AS DOUBLE)) AS t(y, p, w)").collect());
    assertEquals("keras_loss: argument 4 (sample_weight, t.w) is NULL in a row with y_true and y_pred; give every such row "
        + "a weight (0 leaves its loss out of the sums), or leave the row out", rootMessage(e));
  }

  @Test
  void nullElementsAndRaggedArraysAreErrorsNamingTheArgument() {
    Exception nullElement = assertThrows(Exception.class,
        () -> SPARK.sql("SELECT keras_loss('mse', y, p) FROM VALUES (array(1.0, 0.0), array(0.5, NULL)) AS t(y, p)").collect());
    assertEquals("keras_loss: argument 3 (y_pred, t.p) holds a NULL element at index 1 (row-major) of an array of shape [2]; "
        + "every element must be a number", rootMessage(nullElement));

    Exception ragged = assertThrows(Exception.class, () -> SPARK.sql("SELECT keras_loss('mse', y, p) FROM VALUES "
        + "(array(array(1.0, 0.0), array(1.0)), array(array(0.5, 0.5), array(0.5, 0.5))) AS t(y, p)").collect());
    assertEquals("keras_loss: argument 2 (y_true, t.y) is a ragged array: a sub-array at depth 1 has 1 elements where the "
        + "first has 2; every row must be a rectangular array (shape [2, 2])", rootMessage(ragged));

    Exception lengths = assertThrows(Exception.class, () -> SPARK.sql(
        "SELECT keras_loss('binary_crossentropy', y, p) FROM VALUES (array(1, 0), array(0.5, 0.5, 0.5)) AS t(y, p)").collect());
    assertTrue(rootMessage(lengths).startsWith("keras_loss(BinaryCrossentropy): a row with y_true shape [2] and y_pred shape "
        + "[3] (row shapes, before the batch axis of 1) was refused: "), rootMessage(lengths));
  }

  /** The message of the innermost IllegalArgumentException lossagg threw inside the task. */
  static String rootMessage(Throwable e) {
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage().contains("keras_loss") || t instanceof IllegalArgumentException
          && t.getMessage().startsWith("loss_")) {
        found = t.getMessage();
      }
    }
    assertNotNull(found, () -> "no lossagg error in " + e);
    return found;
  }
}
