package org.lossagg.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.spark.SparkTestSession;

/**
 * lossagg on a real multi-process cluster: a standalone master and two one-core workers in
 * separate JVMs on loopback, the shaded jar submitted with {@code spark-submit --master
 * spark://127.0.0.1:PORT}, the demo's six losses by two slice columns (so partial states cross
 * JVMs through real shuffles), and one executor JVM killed by its pid while a stage is half done.
 * Spark reruns what was lost on the relaunched executor; the summary must equal the local run's
 * byte for byte.
 */
class StandaloneClusterTest {
  private static final int ROWS = 40_000;
  /** Files of the input table; the cluster reads each as one task (no packing of small files). */
  private static final int PARTITIONS = 16;
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration RUN = Duration.ofMinutes(8);

  @TempDir Path tmp;

  @Test
  void aClusterRunThatLosesAnExecutorMidStageGivesTheLocalRunsSummaryBitForBit() throws Exception {
    long t0 = System.nanoTime();
    Path table = tmp.resolve("preds.parquet");
    PredictionTableGenerator.generate(SparkTestSession.get(), ROWS, 11, PARTITIONS).write().parquet(table.toString());
    Path losses = tmp.resolve("losses.json");
    try (InputStream in = EvaluateMain.class.getResourceAsStream("demo-losses.json")) {
      Files.write(losses, in.readAllBytes());
    }
    List<String> job = List.of("--input", table.toString(), "--config", losses.toString(),
        "--group-by", "model_version,region");

    List<String> local = new ArrayList<>(job);
    local.addAll(List.of("--output", tmp.resolve("local").toString()));
    StringWriter err = new StringWriter();
    assertEquals(0, EvaluateMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err), local.toArray(String[]::new)),
        err::toString);

    Path jar = StandaloneCluster.buildFile("lossagg.jar");
    assertTrue(Files.exists(jar), "the shaded jar (built at process-classes) is missing: " + jar);
    try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, START)) {
      int uiPort = StandaloneCluster.freePort();
      List<String> submit = new ArrayList<>(List.of("--conf", "spark.ui.port=" + uiPort, "--conf",
          "spark.executor.memory=768m", "--conf", "spark.sql.shuffle.partitions=8", "--conf",
          "spark.sql.files.openCostInBytes=134217728", "--class",
          EvaluateMain.class.getName(), jar.toAbsolutePath().toString()));
      submit.addAll(job);
      submit.addAll(List.of("--output", tmp.resolve("cluster-out").toString()));
      Path log = tmp.resolve("submit.log");
      Process run = cluster.submit(submit, log);

      // Kill one executor JVM by its pid once a stage has finished some tasks and has at least two to go.
      String api = "http://127.0.0.1:" + uiPort + "/api/v1/applications";
      JsonNode[] killedIn = new JsonNode[1];
      StandaloneCluster.await(RUN, () -> {
        if (!run.isAlive()) {
          throw new AssertionError("the job ended before an executor could be killed mid-stage:\n"
              + StandaloneCluster.tail(log, 4000));
        }
        JsonNode apps = StandaloneCluster.getJson(api);
        if (apps == null || apps.size() == 0 || cluster.executors().size() < 2) {
          return false;
        }
        JsonNode stages = StandaloneCluster.getJson(api + "/" + apps.get(0).path("id").asText() + "/stages?status=active");
        for (JsonNode s : stages == null ? List.<JsonNode>of() : toList(stages)) {
          int done = s.path("numCompleteTasks").asInt();
          if (s.path("numActiveTasks").asInt() > 0 && done >= 1 && done + 2 <= s.path("numTasks").asInt()) {
            killedIn[0] = s;
            return true;
          }
        }
        return false;
      }, "a stage with finished and unfinished tasks");
      ProcessHandle victim = cluster.executors().get(0);
      long pid = victim.pid();
      assertTrue(victim.destroyForcibly(), "kill -9 executor " + pid);
      victim.onExit().get(1, TimeUnit.MINUTES);

      assertTrue(run.waitFor(RUN.toMinutes(), TimeUnit.MINUTES), "spark-submit did not finish");
      assertEquals(0, run.exitValue(), () -> StandaloneCluster.tail(log, 8000));
      List<Path> executorDirs = cluster.executorDirs();
      assertTrue(executorDirs.size() >= 3, () -> "the killed executor was replaced by a new one: " + executorDirs);
      JsonNode s = killedIn[0];
      System.out.printf(Locale.ROOT, "StandaloneClusterTest: killed executor pid %d in stage %d (%d/%d tasks done); "
              + "wall time %.1f s%n", pid, s.path("stageId").asInt(), s.path("numCompleteTasks").asInt(),
          s.path("numTasks").asInt(), (System.nanoTime() - t0) / 1e9);
    }
    byte[] expected = Files.readAllBytes(tmp.resolve("local/summary.json"));
    byte[] got = Files.readAllBytes(tmp.resolve("cluster-out/summary.json"));
    assertNotNull(got);
    assertEquals(new String(expected, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8),
        "cluster summary vs local summary");
    assertTrue(Arrays.equals(expected, got));
    assertEquals(8 * 6, new ObjectMapper().readTree(got).size(),
        "one record per slice and loss");
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
