package org.lossagg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes BENCHMARKS.md, benchmarks/throughput.svg and benchmarks/results.csv from one run. */
final class Report {
  static final String PLOT = "benchmarks/throughput.svg";
  static final String CSV = "benchmarks/results.csv";

  private Report() {}

  static void write(Path dir, RunInfo info, List<Workload> workloads, List<Measurement> ms, List<JmhKernels.Row> kernels,
      List<Targets.Verdict> verdicts, List<String> mismatches) throws IOException {
    Files.createDirectories(dir.resolve("benchmarks"));
    List<String> names = ms.stream().map(Measurement::workload).distinct().toList();
    Map<String, String> titles = new LinkedHashMap<>();
    workloads.forEach(w -> titles.put(w.name(), w.title()));
    if (!ms.isEmpty()) {
      Files.writeString(dir.resolve(PLOT), ThroughputPlot.svg(ms, names, titles));
    }
    Files.writeString(dir.resolve(CSV), csv(ms));
    Files.writeString(dir.resolve("BENCHMARKS.md"), markdown(info, workloads, ms, kernels, verdicts, mismatches));
    System.out.println("lossagg-bench: wrote " + dir.resolve("BENCHMARKS.md") + ", " + dir.resolve(PLOT) + ", "
        + dir.resolve(CSV));
  }

  private static String markdown(RunInfo info, List<Workload> workloads, List<Measurement> ms,
      List<JmhKernels.Row> kernels, List<Targets.Verdict> verdicts, List<String> mismatches) {
    StringBuilder md = new StringBuilder();
    md.append("# lossagg benchmarks\n\n");
    md.append("Written by the benchmark harness (`src/bench/java`, issue 5) from one run; do not edit by hand.\n\n");
    md.append("```bash\n").append(info.command()).append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| date | ").append(info.start().truncatedTo(ChronoUnit.SECONDS)).append(" to ")
        .append(info.end().truncatedTo(ChronoUnit.SECONDS)).append(" (")
        .append(minutes(Duration.between(info.start(), info.end()).toSeconds())).append(") |\n");
    md.append("| machine | ").append(info.cpuModel()).append(", ").append(info.cores()).append(" cores, ")
        .append(info.ramBytes() >> 30).append(" GiB RAM |\n");
    md.append("| load average (1/5/15 min) | start ").append(info.loadAtStart()).append(", end ")
        .append(info.loadAtEnd()).append(" |\n");
    md.append("| Java | ").append(info.java()).append(" |\n");
    md.append("| Spark | ").append(info.spark() == null ? "not run" : info.spark()).append(" (Scala ")
        .append(info.scalaVersion()).append("), local[2] |\n");
    md.append("| TensorFlow Java | ").append(info.tensorflow()).append(" |\n");
    md.append("| JMH | ").append(info.jmh()).append(" |\n\n");

    md.append("## Targets (issue 5)\n\n| target | status | measured |\n|---|---|---|\n");
    for (Targets.Verdict v : verdicts) {
      md.append("| ").append(v.target()).append(" | **").append(v.status()).append("** | ").append(v.measured())
          .append(" |\n");
    }
    md.append('\n');
    if (!mismatches.isEmpty()) {
      md.append("**Contenders disagreed in this run — their timings compare different numbers:**\n\n");
      mismatches.forEach(m -> md.append("- ").append(m).append('\n'));
      md.append('\n');
    }

    if (!ms.isEmpty()) {
      md.append("## End to end (Spark local[2])\n\n");
      md.append("![throughput against rows](").append(PLOT).append(")\n\n");
      md.append("Mrows/s = rows / median wall time of the timed repetitions (client-side, query planning ")
          .append("included). \"fused ÷ this\" = lossagg keras_loss' Mrows/s over this contender's, same size, ")
          .append("same run. \"agrees\": the value matches lossagg's fused value within float32 tolerance ")
          .append("(n/a: not the same number by design — the scan floor, or a peer that covered other rows). ")
          .append("Peak heap: largest sampled used heap of the driver JVM (local mode runs the executors in it) ")
          .append("during the contender's repetitions, each started after a full GC (the CSV also has the live heap: the ")
          .append("largest occupancy left after a collection). Raw timings of every ")
          .append("repetition: [").append(CSV).append("](").append(CSV).append(").\n\n");
      for (Workload w : workloads) {
        List<Measurement> wm = ms.stream().filter(m -> m.workload().equals(w.name())).toList();
        if (wm.isEmpty()) {
          continue;
        }
        md.append("### ").append(w.name()).append(" — ").append(w.title()).append("\n\n");
        if (w.rowDivisor() > 1) {
          md.append("Rows = size / ").append(w.rowDivisor()).append(" (wide rows: about as many values per size ")
              .append("as the scalar workloads have rows).\n\n");
        }
        md.append("| rows | contender | Mrows/s | median s | reps | fused ÷ this | value | agrees | peak heap MB |\n");
        md.append("|---:|---|---:|---:|---:|---:|---|---|---:|\n");
        for (Measurement m : wm) {
          Measurement fused = wm.stream().filter(f -> f.size() == m.size() && f.peer() == Peer.FUSED).findFirst()
              .orElse(null);
          md.append(String.format(Locale.ROOT, "| %,d | %s | %.3g | %.3f | %d | %s | %s | %s | %,d |%n",
              m.rows(), m.peer().label, m.mrowsPerSecond(), m.medianSeconds(), m.seconds().length,
              fused == null ? "" : String.format(Locale.ROOT, "%.2fx", fused.mrowsPerSecond() / m.mrowsPerSecond()),
              m.value(), m.agreement(), m.peakHeapBytes() >> 20));
        }
        md.append("\n<details><summary>what each contender runs</summary>\n\n");
        for (Contender c : w.contenders()) {
          md.append("- ").append(c.peer().label).append(": `").append(c.describe().replace("|", "\\|")).append("`\n");
        }
        md.append("\n</details>\n\n");
      }
      md.append("### Time per size (all workloads, set-up and warm-up included)\n\n| size | minutes |\n|---|---:|\n");
      info.sizeSeconds().forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", k, v / 60)));
      md.append('\n');
    }

    if (!kernels.isEmpty()) {
      md.append("## Kernels and reductions (JMH, one fork, pure Java core)\n\n");
      md.append("| benchmark | ns per op | ± (99.9%) | M ops/s |\n|---|---:|---:|---:|\n");
      for (JmhKernels.Row k : kernels) {
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", k.benchmark(), k.nsPerOp(), k.error(),
            1e3 / k.nsPerOp()));
      }
      md.append("\nAn op is one row (`bce*`, `cce1000*`: a row of 1,000 classes), one term (`exactSumAdd`, ")
          .append("`lossAccumulatorAddWeighted`: value and weight), or one whole state (`lossAccumulatorCopyAndMerge`, ")
          .append("`lossAccumulatorBytesRoundTrip`, states of 100,000 terms), or one value (`Float32MathBenchmarks`: ")
          .append("lossagg's float32 function against the `(float) Math` call whose bits it gives).\n");
    }
    return md.toString();
  }

  private static String minutes(long seconds) {
    return String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
  }

  private static String csv(List<Measurement> ms) {
    List<String> lines = new ArrayList<>();
    lines.add("workload,size,rows,contender,rows_covered,median_s,mrows_per_s,value,agreement,peak_heap_bytes,"
        + "peak_live_heap_bytes,seconds_per_rep");
    for (Measurement m : ms) {
      lines.add(String.join(",", m.workload(), Long.toString(m.size()), Long.toString(m.rows()), m.peer().name(),
          Long.toString(m.rowsCovered()), Double.toString(m.medianSeconds()), Double.toString(m.mrowsPerSecond()),
          Double.toString(m.value()), m.agreement(), Long.toString(m.peakHeapBytes()),
          Long.toString(m.peakLiveHeapBytes()),
          Arrays.stream(m.seconds()).mapToObj(Double::toString).collect(Collectors.joining(" "))));
    }
    return String.join("\n", lines) + "\n";
  }
}
