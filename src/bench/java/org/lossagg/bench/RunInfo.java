package org.lossagg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where and how a run happened: command, machine, versions, load, and time per workload. */
record RunInfo(String command, Instant start, Instant end, String cpuModel, int cores, long ramBytes,
    String loadAtStart, String loadAtEnd, String java, String spark, String scalaVersion, String tensorflow, String jmh,
    Map<String, Double> sizeSeconds) {

  static RunInfo capture(String command, Instant start) {
    return new RunInfo(command, start, null, readCpuModel(), Runtime.getRuntime().availableProcessors(), readRamBytes(),
        loadAverage(), null,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        null, scalaLibraryVersion(), tensorflowVersion(),
        org.openjdk.jmh.util.Version.getPlainVersion(), new LinkedHashMap<>());
  }

  RunInfo withSpark(String version) {
    return new RunInfo(command, start, end, cpuModel, cores, ramBytes, loadAtStart, loadAtEnd, java, version, scalaVersion,
        tensorflow, jmh, sizeSeconds);
  }

  RunInfo finished(Instant at) {
    return new RunInfo(command, start, at, cpuModel, cores, ramBytes, loadAtStart, loadAverage(), java, spark, scalaVersion,
        tensorflow, jmh, sizeSeconds);
  }

  void addSizeSeconds(String size, double seconds) {
    sizeSeconds.put(size, seconds);
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return System.getProperty("os.arch") + " (no /proc/cpuinfo: " + e.getMessage() + ")";
    }
    return System.getProperty("os.arch");
  }

  private static long readRamBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String scalaLibraryVersion() {
    return scala.util.Properties$.MODULE$.versionNumberString();
  }

  /** The 1, 5 and 15 minute load averages (other processes on a shared machine show here). */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** TensorFlow Java's framework jar version and the native TensorFlow it runs. */
  private static String tensorflowVersion() {
    Package p = org.tensorflow.framework.losses.Loss.class.getPackage();
    String framework = p.getImplementationVersion();
    if (framework == null) {
      String jar = org.tensorflow.framework.losses.Loss.class.getProtectionDomain().getCodeSource().getLocation().getPath();
      framework = jar.substring(jar.lastIndexOf('/') + 1).replace("tensorflow-framework-", "").replace(".jar", "");
    }
    return "tensorflow-framework " + framework + " (native TensorFlow " + org.tensorflow.TensorFlow.version() + ")";
  }
}
