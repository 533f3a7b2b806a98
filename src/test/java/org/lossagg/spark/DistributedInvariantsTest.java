package org.lossagg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What held in issue 15's trials and must keep holding: the same bits under injected task
 * failures (at a partition's start, mid-partition, in the final merge), for 1 to 1,000 shuffle
 * partitions and with adaptive query execution on or off. (Repartitionings of every kind are
 * {@link KerasLossPartitioningTest}'s.)
 */
class DistributedInvariantsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir Path tmp;

  @BeforeAll
  static void table() {
    InvariantQueries.register(SPARK);
  }

  @Test
  void shufflePartitionsFromOneToAThousandAndAqeOnOrOffGiveTheSameBits() {
    String baseline = InvariantQueries.run(SPARK, "p", "", "");
    String sp = "spark.sql.shuffle.partitions";
    String aqe = "spark.sql.adaptive.enabled";
    String spBefore = SPARK.conf().get(sp);
    String aqeBefore = SPARK.conf().get(aqe);
    try {
      for (String adaptive : List.of("true", "false")) {
        for (int partitions : new int[] {1, 2, 7, 200, 1000}) {
          SPARK.conf().set(sp, String.valueOf(partitions));
          SPARK.conf().set(aqe, adaptive);
          assertEquals(baseline, InvariantQueries.run(SPARK, "p", "", ""),
              partitions + " shuffle partitions, AQE " + adaptive);
        }
      }
    } finally {
      SPARK.conf().set(sp, spBefore);
      SPARK.conf().set(aqe, aqeBefore);
    }
  }

  /** {@link FlakyTasksMain} in its own JVM (local[2,4]): each mode's failures happened, and changed no bit. */
  @Test
  void injectedTaskFailuresChangeNoBit() throws IOException, InterruptedException {
    Path out = tmp.resolve("flaky.txt");
    List<String> cmd = new ArrayList<>(List.of(TestJvm.java(), "-Xmx1g"));
    cmd.addAll(TestJvm.moduleOptions());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FlakyTasksMain.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "FlakyTasksMain did not finish");
    String text = Files.readString(out);
    assertEquals(0, p.exitValue(), text);
    Map<String, String> results = new HashMap<>();
    Map<String, Integer> failures = new HashMap<>();
    for (String line : text.lines().filter(l -> l.matches("[a-z-]+ failures=\\d+ .*")).toList()) {
      String[] parts = line.split(" ", 3);
      results.put(parts[0], parts[2]);
      failures.put(parts[0], Integer.parseInt(parts[1].substring("failures=".length())));
    }
    assertEquals(5, results.size(), text);
    assertEquals(0, failures.get("none"), text);
    for (String mode : List.of("start", "mid", "merge-final")) {
      assertTrue(failures.get(mode) > 0, mode + " injected no failure: " + text);
    }
    assertEquals(results.get("none"), results.get("start"), "failure at a partition's start");
    assertEquals(results.get("none"), results.get("mid"), "failure mid-partition");
    assertEquals(results.get("merge-none"), results.get("merge-final"), "failure in the final merge");
    // And the other JVM's local[2,4] numbers are this JVM's local[2] numbers.
    assertEquals(InvariantQueries.run(SPARK, "p", "", ""), results.get("none"));
  }
}
