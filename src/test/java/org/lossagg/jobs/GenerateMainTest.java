package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lossagg.spark.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMainTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenerateMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> siblings(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheTableAsParquetAndReportsProgressAndSize() throws IOException {
    Path out = tmp.resolve("table");
    Result r = run("--rows", "2500", "--out", out.toString(), "--seed", "5", "--partitions", "3");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    assertTrue(r.out().contains("done: 2,500 / 2,500 rows"), r.out());
    assertTrue(r.out().contains("rows/s"), r.out());
    assertTrue(r.out().contains(" bytes ("), r.out());
    assertEquals(List.of("table"), siblings(tmp), "no temporary directory left behind");
    assertTrue(Files.exists(out.resolve("_SUCCESS")));

    List<Row> back = SPARK.read().parquet(out.toString()).orderBy("id").collectAsList();
    assertEquals(2500, back.size());
    assertEquals(PredictionTableGenerator.generate(SPARK, 2500, 5, 1).orderBy("id").collectAsList(), back);
    assertFalse(SPARK.sparkContext().isStopped(), "the shared session must stay up");
  }

  @Test
  void overwriteReplacesAnExistingTable() throws IOException {
    Path out = tmp.resolve("t");
    assertEquals(0, run("--rows", "100", "--out", out.toString()).code());
    Result r = run("--rows", "40", "--out", out.toString(), "--overwrite");
    assertEquals(0, r.code(), r.err());
    assertEquals(40, SPARK.read().parquet(out.toString()).count());
    assertEquals(List.of("t"), siblings(tmp));
  }

  @Test
  void anEmptyExistingDirectoryIsFilled() throws IOException {
    Path out = Files.createDirectory(tmp.resolve("empty"));
    assertEquals(0, run("--rows", "10", "--out", out.toString()).code());
    assertEquals(10, SPARK.read().parquet(out.toString()).count());
  }

  @Test
  void nonEmptyOutputWithoutOverwriteIsExitCode2() throws IOException {
    Path out = Files.createDirectory(tmp.resolve("busy"));
    Files.writeString(out.resolve("keep.txt"), "x");
    Result r = run("--rows", "10", "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("lossagg-generate: --out "), r.err());
    assertTrue(r.err().contains("already exists; choose another path or add --overwrite"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(List.of("keep.txt"), siblings(out));
  }

  @Test
  void nonPositiveRowsIsExitCode2WithOneLine() {
    for (String rows : List.of("0", "-5")) {
      Result r = run("--rows", rows, "--out", tmp.resolve("x").toString());
      assertEquals(2, r.code());
      assertEquals("lossagg-generate: --rows must be > 0, got " + rows + " (see --help)", r.err().strip());
    }
    Result p = run("--rows", "10", "--partitions", "0", "--out", tmp.resolve("x").toString());
    assertEquals(2, p.code());
    assertEquals("lossagg-generate: --partitions must be > 0, got 0 (see --help)", p.err().strip());
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void missingOrMalformedOptionsAreExitCode2() {
    Result missing = run("--rows", "10");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("Missing required option: '--out=DIR'"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());

    Result notANumber = run("--rows", "lots", "--out", tmp.resolve("x").toString());
    assertEquals(2, notANumber.code());
    assertTrue(notANumber.err().contains("'lots' is not a long"), notANumber.err());
  }

  @Test
  void helpListsTheOptions() {
    Result r = run("--help");
    assertEquals(0, r.code());
    for (String option : List.of("--rows", "--out", "--seed", "--partitions", "--overwrite", "Default: 42")) {
      assertTrue(r.out().contains(option), option + " in\n" + r.out());
    }
  }

  @Test
  void defaultPartitionsIsOnePerFiveMillionRows() {
    assertEquals(1, GenerateMain.defaultPartitions(1));
    assertEquals(1, GenerateMain.defaultPartitions(9_999_999));
    assertEquals(2, GenerateMain.defaultPartitions(10_000_000));
    assertEquals(200, GenerateMain.defaultPartitions(1_000_000_000));
  }
}
