package org.lossagg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lossagg.losses.CatalogDocs;

/** The README documents what the code does: its loss table is the catalogue's, its commands are CI's. */
class ReadmeTest {
  private static String readme() throws IOException {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  void lossTableIsGeneratedFromTheCatalogue() throws IOException {
    String table = CatalogDocs.markdownTable();
    assertTrue(readme().contains(table),
        "README.md's loss table is out of date; regenerate it with\n"
            + "  mvn -q compile -pl src/core && java -cp target/core/classes org.lossagg.losses.CatalogDocs\n"
            + "or copy:\n" + table);
  }

  @Test
  void ciRunsTheReadmeTestCommand() throws IOException {
    String ci = Files.readString(Path.of(".ci/run"));
    assertTrue(readme().contains("mvn -B test") && ci.contains("mvn -B test"),
        "README and .ci/run must both use the test command 'mvn -B test'");
  }
}
