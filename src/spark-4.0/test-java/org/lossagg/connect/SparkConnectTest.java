package org.lossagg.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.spark.SparkTestSession;
import org.lossagg.spark.TestJvm;

/**
 * lossagg through Spark Connect: a real Connect server (spark-connect 4.2.0's SparkConnectServer, on a
 * loopback port) runs in a child JVM on Spark's jars and the lossagg-spark-4.0_2.13 jar, whose
 * service-loader entry registers the functions; a Spark Connect JVM client (spark-connect-client-jvm
 * 4.2.0) runs in another JVM (client and server both ship org.apache.spark.connect.proto, relocated
 * differently, so they cannot share one). The client's per-row functions, keras_loss (whole table and
 * GROUP BY, and over 1, 3 and 7 partitions), loss_reduce and loss_summary, in SQL and through
 * functions.call_function, and every example of every function's DESCRIBE FUNCTION, equal this JVM's
 * classic session bit for bit (the server is a plain Spark 4.2.0 with nothing of lossagg but its jar); Lossagg.register on the Connect session is refused with a
 * message saying where the functions come from on Connect.
 */
class SparkConnectTest {
  private static final long START_SECONDS = 240;

  @TempDir
  static Path tmp;
  private static Process server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    port = freePort();
    List<String> cmd = javaCommand(sparkClasspath() + ":" + jar());
    cmd.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=4",
        "-Dspark.default.parallelism=2", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.sql.warehouse.dir=" + tmp.resolve("warehouse"),
        "-Dspark.connect.grpc.binding.address=127.0.0.1", "-Dspark.connect.grpc.binding.port=" + port,
        "org.apache.spark.sql.connect.service.SparkConnectServer"));
    server = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("server.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!listening(port)) {
      assertTrue(server.isAlive(), () -> "the Connect server exited: " + log("server.log"));
      assertTrue(System.nanoTime() < deadline, () -> "the Connect server did not listen on " + port + " within "
          + START_SECONDS + " s: " + log("server.log"));
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void connectClientGetsTheClassicSessionsValuesBitForBit() throws Exception {
    List<String> client = runClient();
    int results = client.indexOf("== results");
    assertTrue(results > 0 && client.get(client.size() - 1).equals("== end"), () -> String.join("\n", client));
    List<String> viaConnect = client.subList(results + 1, client.size() - 1);

    List<String> classic = ConnectQueries.run(SparkTestSession.get());
    assertEquals(String.join("\n", classic), String.join("\n", viaConnect));
    // Every query answered, with rows: 60 per-row rows, 1 whole-table row, 3 slices, ...
    assertEquals(60, classic.indexOf("== keras_loss") - classic.indexOf("== per-row") - 1);
    assertEquals(1, classic.indexOf("== keras_loss GROUP BY") - classic.indexOf("== keras_loss") - 1);
    assertEquals(3, classic.indexOf("== loss_reduce") - classic.indexOf("== keras_loss GROUP BY") - 1);
    assertTrue(classic.stream().noneMatch(l -> l.contains("null") && !l.startsWith("[") && !l.startsWith("==")),
        () -> String.join("\n", classic));
    // Every function's DESCRIBE FUNCTION examples ran through Connect: at least one per function.
    long functions = SparkTestSession.get().sql("SHOW FUNCTIONS LIKE 'loss_*|keras_loss*'").count();
    long examples = classic.stream().filter(l -> l.startsWith("== example ")).count();
    assertTrue(functions >= 25 && examples >= functions, functions + " functions, " + examples + " examples");
    // One value however the table is partitioned.
    String one = classic.get(classic.indexOf("== partitions 1") + 1);
    assertEquals(one, classic.get(classic.indexOf("== partitions 3") + 1));
    assertEquals(one, classic.get(classic.indexOf("== partitions 7") + 1));
  }

  @Test
  void registerOnAConnectSessionSaysWhereTheFunctionsComeFrom() throws Exception {
    List<String> client = runClient();
    assertTrue(client.get(0).startsWith("session org.apache.spark.sql.connect.SparkSession"), client.get(0));
    String register = client.get(1);
    assertTrue(register.startsWith("register: IllegalArgumentException: lossagg: Lossagg.register needs a classic "
        + "SparkSession"), register);
    assertTrue(register.contains("Connect server's classpath") && register.contains("functions.call_function"), register);
  }

  private static List<String> cachedClient;

  private static synchronized List<String> runClient() throws Exception {
    if (cachedClient != null) {
      return cachedClient;
    }
    Path clientClasspath = buildFile("lossagg.connectClientClasspath");
    String testClasses = Path.of(ConnectClientMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> cmd = javaCommand(Files.readString(clientClasspath).strip() + ":" + testClasses + ":" + jar());
    cmd.addAll(List.of(ConnectClientMain.class.getName(), "sc://127.0.0.1:" + port));
    Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("client.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the Connect client did not finish");
    assertEquals(0, p.exitValue(), () -> "the Connect client failed:\n" + out + "\n" + log("client.err")
        + "\nserver:\n" + log("server.log"));
    cachedClient = out.lines().toList();
    return cachedClient;
  }

  private static List<String> javaCommand(String classpath) {
    List<String> cmd = new ArrayList<>(List.of(TestJvm.java(), "-Xmx1g"));
    cmd.addAll(TestJvm.moduleOptions());
    cmd.addAll(List.of("-cp", classpath));
    return cmd;
  }

  private static String sparkClasspath() throws IOException {
    return Files.readString(buildFile("lossagg.sparkClasspath")).strip();
  }

  private static String jar() {
    return buildFile("lossagg.jar").toString();
  }

  private static Path buildFile(String property) {
    String path = System.getProperty(property);
    assertTrue(path != null, "system property " + property + " is not set: run the tests through Maven");
    Path p = Path.of(path);
    assertTrue(Files.exists(p), () -> p + " is missing: mvn test builds it");
    return p;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String log(String name) {
    try {
      String s = Files.readString(tmp.resolve(name));
      return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
    } catch (IOException e) {
      return "(no " + name + ": " + e + ")";
    }
  }
}
