package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.HiveResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.losses.JavadocExamples;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossSpec;
import scala.collection.JavaConverters;

/**
 * Every example a loss documents gives the value it shows: each SQL example of its {@link LossSpec}
 * (the {@code DESCRIBE FUNCTION EXTENDED} examples) prints, in {@code spark-sql}'s format, exactly
 * its output; each Java example in its class javadoc compiles against the public API, runs, and
 * gives exactly the values its comments show. Every loss has both kinds.
 */
class LossDocExamplesTest {
  /** One SQL example of a loss' spec. */
  record SqlCase(LossSpec spec, LossSpec.SqlExample example) {
    @Override
    public String toString() {
      return example.sql();
    }
  }

  static Stream<SqlCase> sqlExamples() {
    return LossCatalog.all().stream().flatMap(s -> s.sqlExamples().stream().map(e -> new SqlCase(s, e)));
  }

  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sqlExamples")
  void everySqlExamplePrintsItsDocumentedOutput(SqlCase c) {
    String sql = c.example().sql();
    Dataset<Row> df = SparkTestSession.get().sql(sql.substring(0, sql.length() - 1));
    List<String> printed = JavaConverters.seqAsJavaList(HiveResult.hiveResultString(df.queryExecution().executedPlan()));
    assertEquals(c.example().output(), String.join("\n", printed), sql);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void everyJavaExampleInALossJavadocGivesTheValuesItShows(LossSpec spec, @TempDir Path work) {
    Class<?> lossClass = spec.create().getClass();
    List<List<String>> blocks = JavadocExamples.blocks(JavadocExamples.read(lossClass));
    assertFalse(blocks.isEmpty(), spec + ": no <pre>{@code ...}</pre> example in the javadoc of " + lossClass.getName());
    int checked = 0;
    for (int b = 0; b < blocks.size(); b++) {
      for (JavadocExamples.Outcome o : JavadocExamples.run(spec.className() + "_" + b, blocks.get(b), work)) {
        assertTrue(o.ok(), () -> spec + ": " + o);
        checked++;
      }
    }
    assertTrue(checked > 0, spec + ": its javadoc example shows no value ('expr;   // value')");
  }
}
