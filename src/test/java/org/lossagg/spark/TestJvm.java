package org.lossagg.spark;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/** What a test needs to start another JVM like its own (for Spark processes of their own). */
public final class TestJvm {
  private TestJvm() {}

  /** This JVM's java executable. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The {@code --add-opens} options this JVM runs with (surefire's argLine: the ones Spark needs on Java 17). */
  public static List<String> moduleOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).toList();
  }
}
