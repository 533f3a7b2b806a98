package org.lossagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lossagg.archfixture.SparkFreeFixture;
import org.lossagg.archfixture.SparkUsingFixture;
import org.lossagg.losses.Loss;

/**
 * The core ({@code losses}, {@code reduce}, {@code numerics}, {@code config}) stays free of Spark, the
 * Spark adapter being a thin layer over it (README, "Architecture"): no source file imports
 * {@code org.apache.spark}, and no compiled class references it in its constant pool, which also
 * catches fully qualified uses and reflection by class name. Beyond the JDK the core depends on
 * nothing but Jackson, and only {@code config} (Keras' JSON configs) uses it.
 */
class ArchitectureTest {
  static final List<String> PURE_PACKAGES = List.of(
      "org/lossagg/losses", "org/lossagg/reduce", "org/lossagg/numerics", "org/lossagg/config");

  @Test
  void pureSourcesImportNoSpark() throws IOException {
    assertEquals(List.of(), coreSourceViolations((pkg, source) -> SparkReferenceScanner.sparkImports(source)),
        "Spark imported by a pure package");
  }

  @Test
  void coreImportsNothingButTheJdkItselfAndJacksonInConfig() throws IOException {
    List<String> violations = coreSourceViolations((pkg, source) -> SparkReferenceScanner.imports(source).stream()
        .filter(name -> !name.startsWith("java.")
            && PURE_PACKAGES.stream().noneMatch(p -> name.startsWith(p.replace('/', '.') + "."))
            && !(pkg.equals("org/lossagg/config") && name.startsWith("com.fasterxml.jackson.")))
        .toList());
    assertEquals(List.of(), violations, "the core imports something beyond the JDK, itself and Jackson in config");
  }

  /** What {@code check} finds in each source file of the core, given its package and text, prefixed by the file. */
  private static List<String> coreSourceViolations(BiFunction<String, String, List<String>> check) throws IOException {
    Path root = Paths.get("src", "main", "java");
    assertTrue(Files.isDirectory(root), "run from the project directory: no " + root.toAbsolutePath());
    List<String> violations = new ArrayList<>();
    for (String pkg : PURE_PACKAGES) {
      List<Path> files = files(root.resolve(pkg), ".java");
      assertTrue(!files.isEmpty(), "no sources in " + pkg);
      for (Path f : files) {
        for (String found : check.apply(pkg, Files.readString(f, StandardCharsets.UTF_8))) {
          violations.add(root.relativize(f) + ": " + found);
        }
      }
    }
    return violations;
  }

  @Test
  void importListingFindsEveryImportOnce() {
    String source = String.join("\n",
        "package x;",
        "import java.util.List;",
        "import static org.lossagg.reduce.Reduction.SUM;",
        "import com.fasterxml.jackson.databind.ObjectMapper;",
        "// import org.apache.spark.sql.Row;",
        "class X {}");
    assertEquals(List.of("java.util.List", "org.lossagg.reduce.Reduction.SUM", "com.fasterxml.jackson.databind.ObjectMapper"),
        SparkReferenceScanner.imports(source));
  }

  @Test
  void pureClassesReferenceNoSpark() throws IOException, URISyntaxException {
    Path classes = Paths.get(Loss.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> violations = new ArrayList<>();
    for (String pkg : PURE_PACKAGES) {
      List<Path> files = files(classes.resolve(pkg), ".class");
      assertTrue(!files.isEmpty(), "no classes in " + classes.resolve(pkg));
      for (Path f : files) {
        for (String ref : SparkReferenceScanner.sparkReferences(Files.readAllBytes(f))) {
          violations.add(classes.relativize(f) + " -> " + ref);
        }
      }
    }
    assertEquals(List.of(), violations, "Spark referenced by a pure package");
  }

  @Test
  void importScannerFindsSparkImportsOnly() {
    String source = String.join("\n",
        "package x;",
        "import org.apache.spark.sql.Row;",
        "  import static org.apache.spark.sql.functions.col;",
        "import org.apache.spark.*;",
        "import org.apache.sparkling.Other;",
        "import java.util.List;",
        "// import org.apache.spark.sql.Dataset;",
        "/* import org.apache.spark.sql.Column;",
        "   import org.apache.spark.sql.Encoder; */",
        "class X { String s = \"org.apache.spark\"; }");
    assertEquals(List.of("import org.apache.spark.sql.Row;", "import static org.apache.spark.sql.functions.col;",
        "import org.apache.spark.*;"), SparkReferenceScanner.sparkImports(source));
  }

  @Test
  void classScannerFindsFullyQualifiedSparkUseThatImportsMiss() throws IOException, URISyntaxException {
    byte[] using = classBytes(SparkUsingFixture.class);
    List<String> refs = SparkReferenceScanner.sparkReferences(using);
    assertTrue(refs.stream().anyMatch(r -> r.contains("org/apache/spark/sql/Row")), refs.toString());
    Path src = Paths.get("src", "test", "java", "org", "lossagg", "archfixture", "SparkUsingFixture.java");
    assertEquals(List.of(), SparkReferenceScanner.sparkImports(Files.readString(src)), "the fixture has no import");

    assertEquals(List.of(), SparkReferenceScanner.sparkReferences(classBytes(SparkFreeFixture.class)));
    Path free = Paths.get("src", "test", "java", "org", "lossagg", "archfixture", "SparkFreeFixture.java");
    assertEquals(List.of(), SparkReferenceScanner.sparkImports(Files.readString(free)));
    // The constant pool parser reads a whole real class (longs/doubles take two slots).
    assertTrue(SparkReferenceScanner.utf8Constants(classBytes(Loss.class)).contains("org/lossagg/losses/Loss"));
  }

  private static byte[] classBytes(Class<?> c) throws IOException, URISyntaxException {
    Path root = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    return Files.readAllBytes(root.resolve(c.getName().replace('.', '/') + ".class"));
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
