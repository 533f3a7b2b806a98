package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;

/**
 * {@code DESCRIBE FUNCTION EXTENDED} of every per-row function shows its signature, formula, each
 * argument with type, default and allowed values, and the examples of its spec
 * ({@link LossDocExamplesTest} runs them).
 */
class RowLossDocsTest {
  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void describeFunctionExtendedShowsUsageArgumentsAndExamples(LossSpec spec) {
    String fn = spec.sqlName();
    List<String> lines = new ArrayList<>();
    for (Row r : SparkTestSession.get().sql("DESCRIBE FUNCTION EXTENDED " + fn).collectAsList()) {
      lines.add(r.getString(0));
    }
    String text = String.join("\n", lines);
    List<String> expected = new ArrayList<>(List.of(
        "Function: " + fn,
        "Class: " + RowLoss.class.getName(),
        RowLossDocs.signature(spec) + " - Keras' " + spec.functionName() + " (keras.losses." + spec.functionName() + ")",
        spec.formula(),
        "Arguments:",
        "* y_true - " + RowSignature.expected(spec, 0),
        "* y_pred - " + RowSignature.expected(spec, 1),
        "Examples:",
        "Computes in float32 when the elements of y_pred are FLOAT and in float64 otherwise"));
    for (String name : spec.functionArgs()) {
      OptionSpec o = spec.option(name);
      expected.add("* " + name + " - constant, " + o.allowed() + " (default "
          + OptionArguments.literal(o.coerce(spec.className(), o.defaultValue())) + "): " + o.description());
    }
    List<LossSpec.SqlExample> examples = spec.sqlExamples();
    assertFalse(examples.isEmpty(), fn + " has no example");
    for (LossSpec.SqlExample e : examples) {
      expected.add("> " + e.sql() + "\n       " + e.output() + "\n");
    }
    for (String part : expected) {
      assertTrue(text.contains(part), () -> fn + ": '" + part + "' not in\n" + text);
    }
  }
}
