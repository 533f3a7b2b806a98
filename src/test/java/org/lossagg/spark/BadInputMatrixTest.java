package org.lossagg.spark;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What bad input gets, case by case: the error type and the words of its message, or the
 * documented NULL/NaN. README.md's "What bad input gets" table is {@link #markdownTable()} of these
 * cases, so the documentation and the behaviour cannot drift apart.
 */
class BadInputMatrixTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  /** {@code input} and {@code gets} are the README's words; {@code check} runs the case. */
  record Case(String input, String gets, Runnable check) {
    @Override
    public String toString() {
      return input;
    }
  }

  @BeforeAll
  static void tables() {
    view("bim_bce", "(array(0, 1), array(0.2, 0.7)), (array(0, 1, 1), array(0.3, 0.6, 0.9)) AS t(y, p)");
    view("bim_cce", "(array(0, 1), array(0.4, 0.6)), (array(0, 0, 1), array(0.2, 0.3, 0.5)) AS t(y, p)");
    view("bim_matrix", "(array(array(1.0)), array(array(0.5))), "
        + "(array(array(1.0), array(0.0)), array(array(0.5), array(0.25))) AS t(y, p)");
    view("bim_num", "(1, 0.9, 1.0), (0, 0.2, CAST(NULL AS DOUBLE)) AS t(y, p, w)");
    view("bim_masked", "(1, 0.9), (CAST(NULL AS INT), 0.2), (0, 0.2) AS t(y, p)");
    view("bim_nan", "(1, 0.9), (0, CAST('NaN' AS DOUBLE)) AS t(y, p)");
    view("bim_str", "('1', 0.9) AS t(y, p)");
  }

  private static void view(String name, String values) {
    SPARK.sql("SELECT * FROM VALUES " + values).createOrReplaceTempView(name);
  }

  static List<Case> cases() {
    return List.of(
        // ---- issue 15's findings ----
        new Case("`keras_loss` config with a 1,001-digit number",
            "AnalysisException: `keras_loss: argument 1 (config) ... not valid JSON: Number length (1001) exceeds the maximum length (1000)`",
            () -> analysis("SELECT keras_loss('{\"class_name\": \"Huber\", \"config\": {\"delta\": 1" + "0".repeat(1000)
                + "}}', y, p) FROM bim_num", "keras_loss: argument 1 (config)", "not valid JSON",
                // The words are Jackson's: Spark 3.5's (2.15) as in the README, Spark 4's (2.18+) say
                // "Number value length (1001) exceeds the maximum allowed (1000, ...)".
                "Number ", "length (1001) exceeds the maximum ", "(1000")),
        new Case("`keras_loss` config nested 1,001 deep",
            "AnalysisException: `... not valid JSON: Depth (1001) exceeds the maximum allowed nesting depth (1000)`",
            () -> analysis("SELECT keras_loss('" + "[".repeat(1001) + "', y, p) FROM bim_num",
                "keras_loss: argument 1 (config)", "not valid JSON",
                // Spark 4's Jackson: "Document nesting depth (1001) exceeds the maximum allowed (1000, ...)".
                "epth (1001) exceeds the maximum allowed ", "(1000")),
        new Case("`keras_loss` config with a 30,000,000-character string",
            "AnalysisException: `... (30000047 characters, shortened) ... not valid JSON: String length (...) exceeds the maximum length (20000000)`",
            () -> analysisOf(() -> SPARK.table("bim_num").select(call_function("keras_loss",
                    lit("{\"class_name\": \"Huber\", \"config\": {\"name\": \"" + "x".repeat(30_000_000) + "\"}}"),
                    col("y"), col("p"))).collect(),
                "keras_loss: argument 1 (config)", "(30000047 characters, shortened)", "not valid JSON", "String ",
                "length (", "exceeds the maximum ", "(20000000")),
        new Case("`keras_loss('binary_crossentropy')` over rows of length 2 and 3",
            "error: `BinaryCrossentropy: rows of y_pred shape (2,) and (3,) in one table or group; ... GROUP BY it`",
            () -> runtime("SELECT keras_loss('binary_crossentropy', y, p) FROM bim_bce",
                "BinaryCrossentropy: rows of y_pred shape (2,) and (3,) in one table or group",
                "a batch has one shape", "GROUP BY it (e.g. size(y_pred))")),
        new Case("the same rows, split over 2 partitions (states merged)",
            "the same error, from the merge",
            () -> runtimeOf(() -> SPARK.table("bim_bce").repartition(2).selectExpr(
                    "keras_loss('binary_crossentropy', y, p)").collect(),
                "BinaryCrossentropy: rows of y_pred shape", "in one table or group")),
        new Case("`keras_loss('categorical_crossentropy')` over a 2-class and a 3-class row",
            "error: `CategoricalCrossentropy: rows of y_pred shape (2,) and (3,) ...`",
            () -> runtime("SELECT keras_loss('categorical_crossentropy', y, p) FROM bim_cce",
                "CategoricalCrossentropy: rows of y_pred shape (2,) and (3,) in one table or group")),
        new Case("`keras_loss('mse')` over matrix rows with T=1 and T=2",
            "error: `MeanSquaredError: rows of y_pred shape (1, 1) and (2, 1) ...`",
            () -> runtime("SELECT keras_loss('mse', y, p) FROM bim_matrix",
                "MeanSquaredError: rows of y_pred shape (1, 1) and (2, 1) in one table or group")),
        new Case("`loss_reduce` over those rows' per-row losses (arrays of length 1 and 2)",
            "error: `loss_reduce: rows of loss shape (1,) and (2,) ...` (agrees with `keras_loss`)",
            () -> runtime("SELECT loss_reduce(loss_mean_squared_error(y, p)) FROM bim_matrix",
                "loss_reduce: rows of loss shape (1,) and (2,) in one table or group")),
        new Case("CategoricalGeneralizedCrossEntropy label 5 with 3 classes (also -1, 1e12)",
            "error: `... y_true label 5 at index [0] is outside the valid range [0, 3) of y_pred's 3 classes`",
            () -> {
              for (String label : List.of("5", "-1", "1e12")) {
                runtime("SELECT loss_categorical_generalized_cross_entropy(" + label + ", array(0.2, 0.3, 0.5))",
                    "CategoricalGeneralizedCrossEntropy: y_true label " + (label.equals("1e12") ? "1000000000000" : label),
                    "is outside the valid range [0, 3) of y_pred's 3 classes");
              }
              runtime("SELECT keras_loss('categorical_generalized_cross_entropy', 5, array(0.2, 0.3, 0.5))",
                  "CategoricalGeneralizedCrossEntropy: y_true label 5", "outside the valid range [0, 3)");
            }),
        new Case("CategoricalGeneralizedCrossEntropy label 2.5 or NaN",
            "error: `... y_true label 2.5 at index [0] is not an integer class id in [0, 3)`",
            () -> {
              runtime("SELECT loss_categorical_generalized_cross_entropy(2.5D, array(0.2, 0.3, 0.5))",
                  "CategoricalGeneralizedCrossEntropy: y_true label 2.5", "is not an integer class id in [0, 3)");
              runtime("SELECT loss_categorical_generalized_cross_entropy(CAST('NaN' AS DOUBLE), array(0.2, 0.3, 0.5))",
                  "CategoricalGeneralizedCrossEntropy: y_true label NaN", "is not an integer class id in [0, 3)");
            }),
        new Case("Huber `delta=-1` (or 0)",
            "AnalysisException: `... Huber: option 'delta' got -1.0; expected a number > 0`",
            () -> {
              analysis("SELECT keras_loss('{\"class_name\": \"Huber\", \"config\": {\"delta\": -1}}', y, p) FROM bim_num",
                  "keras_loss: argument 1 (config)", "Huber: option 'delta' got -1.0; expected a number > 0");
              analysis("SELECT loss_huber(y, p, 0.0) FROM bim_num", "loss_huber", "Huber: option 'delta' got 0.0; "
                  + "expected a number > 0");
            }),
        new Case("Tversky `alpha=-5` (or `beta < 0`)",
            "AnalysisException: `... Tversky: option 'alpha' got -5.0; expected a number >= 0`",
            () -> {
              analysis("SELECT keras_loss('{\"class_name\": \"Tversky\", \"config\": {\"alpha\": -5}}', y, p) FROM bim_num",
                  "Tversky: option 'alpha' got -5.0; expected a number >= 0");
              analysis("SELECT loss_tversky(y, p, 0.5, -0.1) FROM bim_num",
                  "Tversky: option 'beta' got -0.1; expected a number >= 0");
            }),
        new Case("Circle `gamma=-3` (or 0)",
            "AnalysisException: `... Circle: option 'gamma' got -3.0; expected a number > 0`",
            () -> analysis("SELECT keras_loss('{\"class_name\": \"Circle\", \"config\": {\"gamma\": -3}}', y, array(p)) "
                + "FROM bim_num", "Circle: option 'gamma' got -3.0; expected a number > 0")),
        new Case("Circle over a group above `spark.lossagg.circle.maxRowsPerGroup` (default 10,000)",
            "error (bound set to 100): `Circle: a group of more than 100 rows ... GROUP BY a batch id ...`, before the group is collected",
            BadInputMatrixTest::circleAboveTheBound),
        // ---- what held before issue 15 ----
        new Case("a STRING column as y_true",
            "AnalysisException: `keras_loss: argument 2 (y_true) must be a number ... got STRING`",
            () -> analysis("SELECT keras_loss('mse', y, p) FROM bim_str",
                "keras_loss: argument 2 (y_true) must be a number", "got STRING")),
        new Case("a NULL sample weight in a row with y_true and y_pred",
            "error: `keras_loss: argument 4 (sample_weight, bim_num.w) is NULL in a row with y_true and y_pred ...`",
            () -> runtime("SELECT keras_loss('binary_crossentropy', y, p, w) FROM bim_num",
                "keras_loss: argument 4 (sample_weight, bim_num.w) is NULL in a row with y_true and y_pred")),
        new Case("BinaryCrossentropy `label_smoothing=1.5`",
            "AnalysisException: `... option 'label_smoothing' got 1.5; expected a number in [0, 1]`",
            () -> analysis("SELECT loss_binary_crossentropy(y, p, false, 1.5) FROM bim_num",
                "BinaryCrossentropy: option 'label_smoothing' got 1.5; expected a number in [0, 1]")),
        new Case("an unknown loss",
            "AnalysisException: `... unknown loss 'binary_crossentropie'; known losses: ...`",
            () -> analysis("SELECT keras_loss('binary_crossentropie', y, p) FROM bim_num",
                "unknown loss 'binary_crossentropie'; known losses: BinaryCrossentropy")),
        new Case("JSON naming a Java class (`\"class_name\": \"java.lang.Runtime\"`)",
            "AnalysisException: `... unknown loss 'java.lang.Runtime'` (nothing is loaded by name)",
            () -> analysis("SELECT keras_loss('{\"class_name\": \"java.lang.Runtime\", \"config\": {}}', y, p) FROM bim_num",
                "unknown loss 'java.lang.Runtime'")),
        new Case("SparseCategoricalCrossentropy label 3 with 3 classes",
            "error: `... y_true label 3 at index [0] is outside the valid range [0, 3) ...`",
            () -> runtime("SELECT loss_sparse_categorical_crossentropy(3, array(0.2, 0.3, 0.5))",
                "SparseCategoricalCrossentropy: y_true label 3", "outside the valid range [0, 3)")),
        new Case("a NULL y_true",
            "the row is masked: the value of the other rows",
            () -> assertEquals(value("SELECT keras_loss('binary_crossentropy', y, p) FROM bim_masked WHERE y IS NOT NULL"),
                value("SELECT keras_loss('binary_crossentropy', y, p) FROM bim_masked"))),
        new Case("only NULL rows (or an empty table)",
            "NULL",
            () -> assertEquals(null, SPARK.sql("SELECT keras_loss('binary_crossentropy', y, p) FROM bim_masked "
                + "WHERE y IS NULL").first().get(0))),
        new Case("a NaN y_pred",
            "NaN (as in Keras)",
            () -> assertTrue(Float.isNaN((Float) value("SELECT keras_loss('binary_crossentropy', y, p) FROM bim_nan")))));
  }

  static Stream<Case> matrix() {
    return cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void badInputGetsWhatTheTableSays(Case c) {
    c.check().run();
  }

  /** The README table, generated from the cases. */
  static String markdownTable() {
    StringBuilder sb = new StringBuilder("| input | gets |\n|---|---|\n");
    for (Case c : cases()) {
      sb.append("| ").append(c.input()).append(" | ").append(c.gets()).append(" |\n");
    }
    return sb.toString();
  }

  @Test
  void readmeShowsThisMatrix() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String table = markdownTable();
    assertTrue(readme.contains("## What bad input gets") && readme.contains(table),
        "README.md's \"What bad input gets\" table is out of date; it should read:\n" + table);
  }

  @Test
  void describeFunctionShowsTheOptionRanges() {
    assertWords(describe("loss_huber"), "delta - constant, a number > 0 (default 1.0)");
    assertWords(describe("loss_tversky"), "alpha - constant, a number >= 0", "beta - constant, a number >= 0");
    assertWords(describe("loss_circle"), "gamma - constant, a number > 0");
  }

  private static String describe(String function) {
    StringBuilder sb = new StringBuilder();
    for (Row r : SPARK.sql("DESCRIBE FUNCTION EXTENDED " + function).collectAsList()) {
      sb.append(r.getString(0)).append('\n');
    }
    return sb.toString();
  }

  private static void circleAboveTheBound() {
    String key = "spark.lossagg.circle.maxRowsPerGroup";
    SPARK.conf().set(key, "100");
    try {
      runtime("SELECT keras_loss('circle', id % 3, array(cos(id), sin(id))) FROM range(101)",
          "Circle: a group of more than 100 rows", "GROUP BY a batch id", key);
      // At the bound, the value; the grouped form answers each group.
      assertNotNull(value("SELECT keras_loss('circle', id % 3, array(cos(id), sin(id))) FROM range(100)"));
      assertEquals(2, SPARK.sql("SELECT keras_loss('circle', id % 3, array(cos(id), sin(id))) FROM range(150) "
          + "GROUP BY id % 2").count());
    } finally {
      SPARK.conf().unset(key);
    }
  }

  private static Object value(String sql) {
    Row r = SPARK.sql(sql).first();
    return r.get(0);
  }

  private static void analysis(String sql, String... words) {
    analysisOf(() -> SPARK.sql(sql).collect(), words);
  }

  private static void analysisOf(Supplier<Object> query, String... words) {
    AnalysisException e = assertThrows(AnalysisException.class, query::get);
    assertWords(e.getMessage(), words);
  }

  /** An error raised while the query runs: Spark's SparkException around lossagg's IllegalArgumentException. */
  private static void runtime(String sql, String... words) {
    runtimeOf(() -> SPARK.sql(sql).collect(), words);
  }

  private static void runtimeOf(Supplier<Object> query, String... words) {
    Exception e = assertThrows(Exception.class, query::get);
    assertFalse(e instanceof AnalysisException && !(e.getCause() instanceof IllegalArgumentException),
        () -> "expected an error while running, got " + e);
    Throwable cause = e;
    while (cause != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertInstanceOf(IllegalArgumentException.class, cause, () -> "no IllegalArgumentException in " + e);
    if (!(e instanceof IllegalArgumentException)) {
      assertInstanceOf(SparkException.class, e, () -> "expected a SparkException, got " + e);
    }
    assertWords(cause.getMessage(), words);
  }

  private static void assertWords(String message, String... words) {
    assertFalse(message.contains("INTERNAL_ERROR"), message);
    for (String w : words) {
      assertTrue(message.contains(w), () -> "'" + w + "' not in:\n" + message);
    }
  }
}
