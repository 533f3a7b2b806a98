package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.spark.SparkTestSession;

/**
 * What {@code lossagg-evaluate} leaves on disk: the README's own example runs as written and writes
 * every output (its report sits inside its output folder); a run removes the temporary folders that
 * killed runs left beside its outputs, and nothing else; a config file past the JSON parser's limits
 * is bad input, not a crash.
 */
class JobOutputsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path preds;

  @BeforeAll
  static void table() {
    preds = shared.resolve("preds.parquet");
    PredictionTableGenerator.generate(SparkTestSession.get(), 2000, 3, 2).write().parquet(preds.toString());
  }

  record Result(int code, String out, String err) {}

  private static Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EvaluateMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** The README's {@code jobs/lossagg-evaluate --input preds.parquet ...} example, as shell words. */
  static List<String> readmeExample() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("jobs/lossagg-evaluate --input preds.parquet");
    assertTrue(start >= 0, "README.md has the job example");
    return shellWords(readme.substring(start, readme.indexOf("```", start)));
  }

  /** Splits a shell command: blanks separate words, '...' quotes, a backslash before a newline joins lines. */
  static List<String> shellWords(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '\\' && i + 1 < command.length() && command.charAt(i + 1) == '\n') {
        i++;
      } else if (c == '\'') {
        int end = command.indexOf('\'', i + 1);
        w = w == null ? new StringBuilder() : w;
        w.append(command, i + 1, end);
        i = end;
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else {
        w = w == null ? new StringBuilder() : w;
        w.append(c);
      }
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }

  @Test
  void theReadmeJobExampleRunsAsWrittenAndWritesEveryOutput() throws IOException {
    List<String> words = readmeExample();
    assertEquals("jobs/lossagg-evaluate", words.get(0));
    // The example's relative paths, resolved in a scratch folder holding a generated preds.parquet.
    Files.createSymbolicLink(tmp.resolve("preds.parquet"), preds);
    Set<String> pathOptions = Set.of("--input", "--output", "--per-row", "--report");
    List<String> args = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      boolean path = pathOptions.contains(words.get(i - 1));
      args.add(path ? tmp.resolve(words.get(i)).toString() : words.get(i));
    }
    assertTrue(args.contains(tmp.resolve("out/report.html").toString()), "the report inside the output: " + args);
    Result r = run(args);
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("out/summary.json", "out/summary.csv", "out/summary.parquet", "out/worst.parquet",
        "out/worst.csv", "out/report.html", "out-rows/_SUCCESS")) {
      assertTrue(Files.exists(tmp.resolve(f)), f + " missing after: " + r.out());
    }
    assertTrue(Files.readString(tmp.resolve("out/report.html")).contains("<svg"));
    assertEquals(List.of("out", "out-rows", "preds.parquet"), names(tmp), "no temporary names left");
  }

  @Test
  void aRunRemovesStaleTemporarySiblingsOfItsOwnOutputsAndNothingElse() throws IOException {
    // What kill -9 during a write leaves: hidden .NAME.tmp-<uuid> folders and files.
    List<String> stale = List.of(".out.tmp-" + UUID.randomUUID(), ".rows.tmp-" + UUID.randomUUID(),
        ".report.html.tmp-" + UUID.randomUUID());
    List<String> others = List.of(".out.tmp-backup", ".other.tmp-" + UUID.randomUUID(), "out.tmp-" + UUID.randomUUID(),
        ".out.tmp-" + UUID.randomUUID() + ".keep", "notes.txt");
    for (String name : stale) {
      Path p = tmp.resolve(name);
      if (name.startsWith(".report")) {
        Files.writeString(p, "<html>half");
      } else {
        Files.createDirectories(p);
        Files.writeString(p.resolve("part-00000.parquet"), "half-written");
      }
    }
    for (String name : others) {
      Files.writeString(tmp.resolve(name), "not the job's");
    }
    Result r = run(List.of("--input", preds.toString(), "--y-true", "label", "--y-pred", "prob", "--loss",
        "binary_crossentropy", "--output", tmp.resolve("out").toString(), "--per-row", tmp.resolve("rows").toString(),
        "--report", tmp.resolve("report.html").toString()));
    assertEquals(0, r.code(), r.err());
    List<String> expected = new ArrayList<>(others);
    expected.addAll(List.of("out", "report.html", "rows"));
    assertEquals(expected.stream().sorted().toList(), names(tmp));
  }

  @Test
  void outputsInsideEachOtherAreRefusedWhenTheOuterWouldReplaceTheInner() throws IOException {
    Result r = run(List.of("--input", preds.toString(), "--y-true", "label", "--y-pred", "prob", "--loss",
        "binary_crossentropy", "--output", tmp.resolve("rows/summary").toString(), "--per-row",
        tmp.resolve("rows").toString()));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--output") && r.err().contains("lies inside --per-row"), r.err());
    assertEquals(List.of(), names(tmp));
  }

  @Test
  void aConfigFilePastTheParsersLimitsIsBadInputInOneLine() throws IOException {
    Path config = tmp.resolve("losses.json");
    Files.writeString(config, "[".repeat(1001));
    Result r = run(List.of("--input", preds.toString(), "--y-true", "label", "--y-pred", "prob", "--config",
        config.toString(), "--output", tmp.resolve("out").toString()));
    assertEquals(2, r.code(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("lossagg-evaluate: --config " + config + " is not valid JSON: ")
        && err.contains("epth (1001) exceeds the maximum allowed ") && err.contains("(1000"), err); // Jackson's words vary
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
