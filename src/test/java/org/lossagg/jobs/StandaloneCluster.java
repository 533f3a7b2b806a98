package org.lossagg.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.lossagg.spark.TestJvm;

/**
 * A Spark standalone cluster on loopback made of separate JVMs: one
 * {@code org.apache.spark.deploy.master.Master} and workers ({@code deploy.worker.Worker}) started
 * from the Maven Spark jars, which also form the Spark home the workers launch executors from
 * ({@code SPARK_HOME/jars}), and {@link #submit} runs Spark's own {@code SparkSubmit} the way
 * {@code .ci/run}'s spark-submit stand-in does. {@link #close()} stops every process it started,
 * executors included.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The module options Spark needs on Java 17, for every JVM (those of the test JVM). */
  private static final List<String> OPENS = TestJvm.moduleOptions();

  private final Path dir;
  private final Path sparkHome;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path dir) throws IOException {
    this.dir = dir;
    this.sparkHome = dir.resolve("spark-home");
    this.masterPort = freePort();
    this.masterUiPort = freePort();
  }

  /**
   * Starts a master and {@code workers} workers of one core each in {@code dir} (logs, work dirs,
   * the Spark home) and waits until every worker has registered.
   */
  static StandaloneCluster start(Path dir, int workers, Duration timeout) throws IOException {
    StandaloneCluster c = new StandaloneCluster(dir);
    try {
      c.linkSparkHome();
      c.processes.add(c.launch("master", List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
          List.of("--host", "127.0.0.1", "--port", String.valueOf(c.masterPort), "--webui-port",
              String.valueOf(c.masterUiPort))));
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        Process w = c.launch("worker-" + i, List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
            List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
                "--webui-port", "0", c.url()));
        c.processes.add(w);
        c.workers.add(w);
      }
      c.await(timeout, () -> c.aliveWorkers() == workers, "the master to list " + workers + " alive workers");
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  String url() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The master's status page as JSON ({@code /json}). */
  JsonNode masterStatus() {
    return getJson("http://127.0.0.1:" + masterUiPort + "/json/");
  }

  private int aliveWorkers() {
    JsonNode s = masterStatus();
    return s == null ? 0 : s.path("aliveworkers").asInt();
  }

  /**
   * Starts {@code SparkSubmit} with {@code args} (after {@code --master URL} and the executors'
   * module options) in its own JVM, its output in {@code log}.
   */
  Process submit(List<String> args, Path log) throws IOException {
    List<String> a = new ArrayList<>(List.of("--master", url(), "--conf",
        "spark.executor.extraJavaOptions=" + String.join(" ", OPENS)));
    a.addAll(args);
    Process p = launch(log, List.of("-Xmx1g"), "org.apache.spark.deploy.SparkSubmit", a);
    processes.add(p);
    return p;
  }

  /** The executor JVMs the workers are running now. */
  List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process w : workers) {
      w.descendants().filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(out::add);
    }
    return out;
  }

  /** Each worker's {@code <app id>/<executor id>} directories: one per executor it has launched. */
  List<Path> executorDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      try (var apps = Files.list(dir.resolve("worker-" + i))) {
        for (Path app : apps.toList()) {
          try (var execs = Files.list(app)) {
            out.addAll(execs.toList());
          }
        }
      }
    }
    return out;
  }

  /**
   * A file the build made for the Spark line under test, named by a system property the module's
   * surefire sets: {@code lossagg.jar} (the line's shaded jar), {@code lossagg.sparkClasspath} (its
   * Spark jars, target/MODULE/classpath.txt).
   */
  static Path buildFile(String property) {
    String path = System.getProperty(property);
    if (path == null) {
      throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven "
          + "(mvn test), whose surefire configuration names the Spark line's files");
    }
    return Path.of(path);
  }

  /** Symlinks every Maven Spark jar (the line's classpath.txt) into {@code spark-home/jars}, as a distribution has them. */
  private void linkSparkHome() throws IOException {
    Path classpath = buildFile("lossagg.sparkClasspath");
    if (!Files.exists(classpath)) {
      throw new IOException(classpath + " is missing: the build writes it (maven-dependency-plugin, "
          + "process-classes); run mvn test or mvn package");
    }
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (String jar : Files.readString(classpath).strip().split(":")) {
      Path j = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
    }
  }

  private Process launch(String name, List<String> jvm, String main, List<String> args) throws IOException {
    return launch(dir.resolve(name + ".log"), jvm, main, args);
  }

  private Process launch(Path log, List<String> jvm, String main, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(TestJvm.java());
    cmd.addAll(jvm);
    cmd.addAll(OPENS);
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", main));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Waits until {@code condition} holds, failing after {@code timeout} with what was awaited. */
  static void await(Duration timeout, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  /** GETs a JSON document; null while nothing answers there. */
  static JsonNode getJson(String url) {
    try {
      return JSON.readTree(URI.create(url).toURL());
    } catch (IOException e) {
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops every process started here, executors first, and waits for them to end. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      p.descendants().forEach(all::add);
    }
    for (Process p : processes) {
      all.add(p.toHandle());
    }
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop process " + h.pid(), e);
      }
    }
  }

  /** The log a process wrote, for failure messages (its last {@code chars} characters). */
  static String tail(Path log, int chars) {
    try {
      String s = Files.readString(log);
      return s.length() <= chars ? s : s.substring(s.length() - chars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
