package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;

/**
 * {@code DESCRIBE FUNCTION EXTENDED} of every aggregate shows usage, arguments and examples, and
 * every example, run as written, prints exactly the output its text shows.
 */
class AggregateDocsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  static List<SqlFunction> functions() {
    return AggregateSqlFunctions.all();
  }

  /** One {@code > SELECT ...;} line and the output lines under it. */
  record Example(String function, String sql, List<String> expected) {
    @Override
    public String toString() {
      return function + ": " + sql;
    }
  }

  static List<Example> examples() {
    List<Example> out = new ArrayList<>();
    for (SqlFunction f : functions()) {
      String[] lines = f.info().getExamples().split("\n");
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i].strip();
        if (l.startsWith("> ")) {
          List<String> expected = new ArrayList<>();
          int j = i + 1;
          while (j < lines.length && !lines[j].strip().startsWith("> ") && !lines[j].isBlank()) {
            expected.add(lines[j].strip());
            j++;
          }
          out.add(new Example(f.name(), l.substring(2, l.length() - 1), expected));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExamplePrintsWhatItsTextShows(Example e) {
    List<String> got = new ArrayList<>();
    org.apache.spark.sql.Dataset<Row> df = SPARK.sql(e.sql());
    for (Row r : df.collectAsList()) {
      StringJoiner j = new StringJoiner("\t");
      for (int i = 0; i < r.size(); i++) {
        j.add(show(r.get(i)));
      }
      got.add(j.toString());
    }
    assertEquals(e.expected(), got, e.sql());
  }

  @Test
  void everyFunctionHasExamples() {
    for (SqlFunction f : functions()) {
      assertTrue(examples().stream().anyMatch(e -> e.function().equals(f.name())), f.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void describeFunctionExtendedShowsUsageArgumentsAndExamples(SqlFunction f) {
    List<String> rows = new ArrayList<>();
    for (Row r : SPARK.sql("DESCRIBE FUNCTION EXTENDED " + f.name()).collectAsList()) {
      rows.add(r.getString(0));
    }
    String text = String.join("\n", rows);
    assertTrue(text.contains("Function: " + f.name()), text);
    assertTrue(text.contains("Usage: " + f.name() + "("), text);
    assertTrue(text.contains("Arguments:"), text);
    assertTrue(text.contains("Examples:"), text);
    assertTrue(text.contains("> SELECT " + f.name() + "("), text);
    assertFalse(text.contains("_FUNC_"), text);
  }

  @Test
  void kerasLossDocsListEveryCatalogueLoss() {
    String args = AggregateSqlFunctions.all().get(0).info().getArguments();
    for (LossSpec s : LossCatalog.all()) {
      assertTrue(args.contains(s.className() + " (" + s.functionName() + ")"), s.className());
    }
  }

  /** Values as Spark's CLI prints them; structs as JSON objects. */
  static String show(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Row) {
      Row r = (Row) v;
      StructType schema = r.schema();
      StringJoiner j = new StringJoiner(",", "{", "}");
      for (int i = 0; i < r.size(); i++) {
        j.add("\"" + schema.fields()[i].name() + "\":" + (r.isNullAt(i) ? "null" : show(r.get(i))));
      }
      return j.toString();
    }
    return v.toString();
  }
}
