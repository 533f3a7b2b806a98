package org.lossagg.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.lossagg.spark.SparkTestSession;

/**
 * The notebooks in notebooks/ keep working: every Spark statement of quickstart.ipynb (PySpark) and
 * quickstart.zpln (Zeppelin) runs against a local session with lossagg, and what it prints equals the
 * output saved in the notebook; the Zeppelin note has the structure Zeppelin 0.10 imports; no notebook
 * holds a machine's path or run metadata. (loss-report.ipynb is executed by .ci/notebooks.)
 *
 * <p>With {@code -Dlossagg.notebooks.dump=PREFIX} the outputs Spark prints now are written to
 * PREFIX.ipynb.json and PREFIX.zpln.json (by notebook and cell id) instead of compared, for updating
 * the notebooks after an intended change; statements must still run.
 */
class NotebookSqlTest {

  private static final Path NOTEBOOKS = Path.of("notebooks");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MACHINE_PATH = Pattern.compile("/work/|/home/|/tmp/|/Users/|/root/|[A-Za-z]:\\\\\\\\");
  private static final Set<String> ZEPPELIN_RUN_METADATA = Set.of(
      "user", "dateCreated", "dateStarted", "dateFinished", "dateUpdated", "jobName", "runtimeInfos");
  private static final Set<String> ZEPPELIN_INTERPRETERS = Set.of("md", "spark", "spark.sql", "spark.conf", "spark.pyspark");

  private final SparkSession spark = SparkTestSession.get();
  private final String dumpFile = System.getProperty("lossagg.notebooks.dump");
  private final Map<String, Object> dump = new LinkedHashMap<>();

  @Test
  void quickstartIpynbStatementsRunAndPrintTheSavedOutputs() throws IOException {
    JsonNode nb = read("quickstart.ipynb");
    SparkScript script = new SparkScript(spark, true);
    Map<String, Object> saved = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode cell : nb.get("cells")) {
      index++;
      if (!cell.get("cell_type").asText().equals("code")) {
        continue;
      }
      String where = "notebooks/quickstart.ipynb cell " + index + " (id " + cell.path("id").asText() + ")";
      List<SparkScript.Output> outputs = run(script, where, source(cell));
      StringBuilder printed = new StringBuilder();
      outputs.forEach(o -> printed.append(o.text()));
      StringBuilder stdout = new StringBuilder();
      for (JsonNode output : cell.get("outputs")) {
        if (output.path("output_type").asText().equals("stream") && output.path("name").asText().equals("stdout")) {
          stdout.append(text(output.get("text")));
        }
      }
      if (printed.length() > 0) {
        saved.put(cell.path("id").asText(), printed.toString());
      }
      if (dumpFile == null) {
        assertSameOutput(where, stdout.toString(), printed.toString());
      }
    }
    assertCovers("quickstart.ipynb", script.ran(), 8);
    dump.put("quickstart.ipynb", saved);
    writeDump("ipynb");
  }

  @Test
  void quickstartZeppelinParagraphsRunAndShowTheSavedTables() throws IOException {
    JsonNode note = read("quickstart.zpln");
    SparkScript script = new SparkScript(spark, false);
    Map<String, Object> saved = new LinkedHashMap<>();
    int index = 0;
    int sqlParagraphs = 0;
    for (JsonNode paragraph : note.get("paragraphs")) {
      index++;
      String text = paragraph.get("text").asText();
      String interpreter = interpreter(text);
      String body = text.substring(text.indexOf('\n') + 1);
      String where = "notebooks/quickstart.zpln paragraph " + index + " (id " + paragraph.path("id").asText() + ")";
      List<Map<String, String>> expected = new ArrayList<>();
      if (interpreter.equals("spark.sql")) {
        sqlParagraphs++;
        Dataset<Row> df;
        try {
          df = spark.sql(body);
        } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
          throw new AssertionError(where + ": the SQL failed: " + e.getMessage() + "\n--- SQL\n" + body, e);
        }
        if (df.columns().length > 0) {
          expected.add(Map.of("type", "TABLE", "data", SparkScript.zeppelinTable(df)));
        }
      } else if (interpreter.equals("spark")) {
        for (SparkScript.Output output : run(script, where, body)) {
          expected.add(Map.of("type", output.table() ? "TABLE" : "TEXT", "data", output.text()));
        }
        if (!script.echoes().isEmpty()) {
          expected.add(Map.of("type", "TEXT", "data", String.join("", script.echoes())));
        }
      } else {
        continue;
      }
      saved.put(paragraph.path("id").asText(), expected);
      if (dumpFile == null) {
        List<Map<String, String>> actual = new ArrayList<>();
        for (JsonNode msg : paragraph.path("results").path("msg")) {
          actual.add(Map.of("type", msg.path("type").asText(), "data", msg.path("data").asText()));
        }
        assertSameOutput(where, render(actual), render(expected));
      }
    }
    assertTrue(sqlParagraphs >= 8, "notebooks/quickstart.zpln: expected at least 8 %spark.sql paragraphs, found " + sqlParagraphs);
    assertCovers("quickstart.zpln", script.ran(), 1);
    dump.put("quickstart.zpln", saved);
    writeDump("zpln");
  }

  @Test
  void zeppelinNoteHasTheStructureZeppelin010Imports() throws IOException {
    JsonNode note = read("quickstart.zpln");
    String where = "notebooks/quickstart.zpln";
    for (String key : List.of("paragraphs", "name", "id", "defaultInterpreterGroup", "version", "noteParams",
        "noteForms", "angularObjects", "config", "info")) {
      assertTrue(note.has(key), where + ": missing top-level \"" + key + "\" (Zeppelin 0.10 note JSON)");
    }
    assertTrue(note.get("paragraphs").isArray() && note.get("paragraphs").size() > 0, where + ": \"paragraphs\" must be a non-empty array");
    assertTrue(note.get("version").asText().startsWith("0.10"), where + ": \"version\" must be 0.10.x, is " + note.get("version"));
    assertEquals("spark", note.get("defaultInterpreterGroup").asText(), where + ": defaultInterpreterGroup");
    assertTrue(note.get("id").asText().matches("[A-Z0-9]{9}"), where + ": note id must be 9 characters A-Z0-9 as Zeppelin makes them");
    for (String key : List.of("noteParams", "noteForms", "angularObjects", "config", "info")) {
      assertTrue(note.get(key).isObject(), where + ": \"" + key + "\" must be an object");
    }
    Set<String> ids = new HashSet<>();
    boolean confSeen = false;
    int index = 0;
    for (JsonNode p : note.get("paragraphs")) {
      index++;
      String at = where + " paragraph " + index;
      for (String key : List.of("text", "config", "settings", "results", "id", "status")) {
        assertTrue(p.has(key), at + ": missing \"" + key + "\"");
      }
      String interpreter = interpreter(p.get("text").asText());
      assertTrue(ZEPPELIN_INTERPRETERS.contains(interpreter), at + ": unknown interpreter %" + interpreter);
      assertTrue(ids.add(p.get("id").asText()), at + ": duplicate paragraph id " + p.get("id"));
      assertTrue(p.get("config").isObject() && p.get("config").path("editorSetting").isObject(),
          at + ": config.editorSetting must be an object");
      assertTrue(p.get("settings").path("params").isObject() && p.get("settings").path("forms").isObject(),
          at + ": settings needs params and forms objects");
      assertEquals("SUCCESS", p.get("results").path("code").asText(), at + ": results.code");
      assertTrue(p.get("results").path("msg").isArray(), at + ": results.msg must be an array");
      for (JsonNode msg : p.get("results").get("msg")) {
        assertTrue(Set.of("TEXT", "TABLE", "HTML", "IMG").contains(msg.path("type").asText()) && msg.path("data").isTextual(),
            at + ": each results.msg needs a type (TEXT, TABLE, HTML, IMG) and a data string");
      }
      assertEquals("FINISHED", p.get("status").asText(), at + ": status (saved results come from a finished run)");
      for (String key : ZEPPELIN_RUN_METADATA) {
        assertTrue(!p.has(key), at + ": run metadata \"" + key + "\" must not be saved");
      }
      if (interpreter.equals("spark.conf")) {
        assertTrue(p.get("text").asText().contains("spark.jars"), at + ": %spark.conf must set spark.jars");
        confSeen = true;
      } else if (interpreter.startsWith("spark")) {
        assertTrue(confSeen, at + ": the %spark.conf paragraph must come before the first Spark paragraph");
      }
    }
  }

  @Test
  void notebooksHoldNoMachinePathsOrRunMetadata() throws IOException {
    for (String name : List.of("quickstart.ipynb", "loss-report.ipynb", "quickstart.zpln")) {
      String raw = Files.readString(NOTEBOOKS.resolve(name));
      var m = MACHINE_PATH.matcher(raw);
      if (m.find()) {
        int from = Math.max(0, m.start() - 60);
        fail("notebooks/" + name + ": holds a machine-specific path \"" + m.group() + "\" near: "
            + raw.substring(from, Math.min(raw.length(), m.end() + 60)).replace("\n", "\\n"));
      }
      if (name.endsWith(".ipynb")) {
        assertIpynbHasNoRunMetadata(name, JSON.readTree(raw));
      }
    }
  }

  private static void assertIpynbHasNoRunMetadata(String name, JsonNode nb) {
    String where = "notebooks/" + name;
    assertEquals(4, nb.path("nbformat").asInt(), where + ": nbformat");
    assertEquals("python3", nb.path("metadata").path("kernelspec").path("name").asText(), where + ": kernelspec.name");
    nb.path("metadata").fieldNames().forEachRemaining(key -> assertTrue(Set.of("kernelspec", "language_info").contains(key),
        where + ": notebook metadata \"" + key + "\" is run metadata; keep only kernelspec and language_info"));
    assertTrue(!nb.path("metadata").path("language_info").has("version"),
        where + ": language_info.version is the machine's Python version; remove it");
    int index = 0;
    for (JsonNode cell : nb.get("cells")) {
      index++;
      String at = where + " cell " + index;
      assertTrue(!cell.path("metadata").has("execution"), at + ": metadata.execution holds run timestamps; remove it");
      assertTrue(cell.path("execution_count").isNull() || cell.path("execution_count").isMissingNode(),
          at + ": execution_count must be null (run metadata)");
      for (JsonNode output : cell.path("outputs")) {
        assertTrue(output.path("execution_count").isNull() || output.path("execution_count").isMissingNode(),
            at + ": an output's execution_count must be null (run metadata)");
      }
    }
  }

  private static List<SparkScript.Output> run(SparkScript script, String where, String code) {
    try {
      return script.runCell(code);
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
  }

  /** At least {@code sqlCalls} spark.sql statements ran, and every statement with SQL in it ran. */
  private static void assertCovers(String name, List<SparkScript.Ran> ran, int sqlCalls) {
    long sql = ran.stream().filter(r -> r.sql() != null).count();
    assertTrue(sql >= sqlCalls, "notebooks/" + name + ": expected at least " + sqlCalls + " spark.sql statements to run, ran " + sql);
  }

  private static void assertSameOutput(String where, String saved, String now) {
    if (!saved.equals(now)) {
      fail(where + ": the saved output differs from what Spark prints now. If the change is intended, put the new"
          + " output in the notebook (-Dlossagg.notebooks.dump=PREFIX writes them all).\n--- saved\n" + saved
          + "\n--- Spark now\n" + now);
    }
  }

  private static String render(List<Map<String, String>> msgs) {
    StringBuilder s = new StringBuilder();
    for (Map<String, String> m : msgs) {
      s.append("[").append(m.get("type")).append("]\n").append(m.get("data"));
    }
    return s.toString();
  }

  private static String interpreter(String text) {
    if (!text.startsWith("%")) {
      throw new AssertionError("notebooks/quickstart.zpln: a paragraph does not start with %interpreter: "
          + text.lines().findFirst().orElse(""));
    }
    int end = text.indexOf('\n');
    return (end < 0 ? text.substring(1) : text.substring(1, end)).trim();
  }

  private static String source(JsonNode cell) {
    return text(cell.get("source"));
  }

  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    StringBuilder s = new StringBuilder();
    node.forEach(line -> s.append(line.asText()));
    return s.toString();
  }

  private static JsonNode read(String name) throws IOException {
    return JSON.readTree(NOTEBOOKS.resolve(name).toFile());
  }

  private void writeDump(String suffix) throws IOException {
    if (dumpFile != null) {
      Path file = Path.of(dumpFile + "." + suffix + ".json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), dump);
    }
  }
}
