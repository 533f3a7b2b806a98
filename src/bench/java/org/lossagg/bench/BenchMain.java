package org.lossagg.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * lossagg's benchmark harness (issue 5): JMH kernels and reductions, then Spark end to end against
 * native SQL, MLlib, TensorFlow Java and the scan floor, then the 10^9-row run; writes
 * BENCHMARKS.md and benchmarks/throughput.svg. Run through {@code jobs/lossagg-bench}.
 */
@Command(name = "lossagg-bench", sortOptions = false, mixinStandardHelpOptions = false,
    description = "Benchmarks lossagg against native Spark SQL, MLlib, TensorFlow Java and the scan floor.")
public final class BenchMain implements Callable<Integer> {
  /** Rows of the heap target's reference run (fused BCE with weights, just before the giant run). */
  static final long HEAP_REFERENCE_ROWS = 10_000_000L;

  @Option(names = "--quick", description = "Small run for CI/dev: 10^6 rows, 3 repetitions, short JMH, no 10^9 run; "
      + "report to target/bench-quick unless --report-dir is given.")
  boolean quick;

  @Option(names = "--sizes", split = ",", paramLabel = "N", description = "Sizes (rows of the scalar workloads); "
      + "default 1000000,10000000,100000000 (--quick: 1000000).")
  List<Long> sizes;

  @Option(names = "--reps", paramLabel = "R", description = "Timed repetitions per size (default 5; --quick 3).")
  Integer reps;

  @Option(names = "--giant", paramLabel = "N", description = "Rows of the one giant run (fused BCE with weights, "
      + "native SQL, scan floor; generated source); default 1000000000, 0 skips it (--quick: 0).")
  Long giant;

  @Option(names = "--giant-reps", paramLabel = "R", defaultValue = "2", description = "Repetitions of the giant run (default 2).")
  int giantReps;

  @Option(names = "--workloads", split = ",", paramLabel = "NAME", description = "Only these workloads (default all): bce_weighted, bce_weighted_parquet, bce, bce_logits, "
      + "bce_weighted_by_slice, sum_bce_rows, bce_rows_noop, cce_10_by_slice, evaluate_job, "
      + "focal_bce, cce_10, cce_1000, scce_10, ctc.")
  List<String> workloads;

  @Option(names = "--peers", split = ",", paramLabel = "PEER", description = "Only these contenders: "
      + "FUSED, REDUCE, UNGROUPED, NATIVE_SQL, MLLIB, TENSORFLOW, JOB, SCAN_FLOOR (default all; FUSED always runs, it is the reference).")
  Set<Peer> peers;

  @Option(names = "--skip-jmh", description = "Skip the JMH kernels.")
  boolean skipJmh;

  @Option(names = "--skip-spark", description = "Skip the Spark end-to-end runs.")
  boolean skipSpark;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "Where BENCHMARKS.md and benchmarks/ go "
      + "(default: the working directory; --quick: target/bench-quick).")
  Path reportDir;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "target/bench-data",
      description = "Where the Parquet sources are written and reused (default target/bench-data).")
  Path dataDir;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default local[2]).")
  String master;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Long> runSizes = sizes != null ? sizes : quick ? List.of(1_000_000L) : List.of(1_000_000L, 10_000_000L, 100_000_000L);
    int runReps = reps != null ? reps : quick ? 3 : 5;
    long giantRows = giant != null ? giant : quick ? 0 : 1_000_000_000L;
    Path out = reportDir != null ? reportDir : quick ? Path.of("target/bench-quick") : Path.of(".");
    String command = System.getProperty("lossagg.bench.command", "BenchMain " + String.join(" ", argsForReport()));
    RunInfo info = RunInfo.capture(command, Instant.now());

    List<JmhKernels.Row> kernels = skipJmh ? List.of() : JmhKernels.run(quick);

    SparkSuite suite = new SparkSuite(1_000_000L);
    Measurement heapReference = null;
    List<Workload> all = new ArrayList<>();
    if (!skipSpark) {
      SparkSession spark = BenchSession.create(master);
      info = info.withSpark(spark.version());
      Files.createDirectories(dataDir);
      all.addAll(Workloads.all(spark, dataDir));
      for (long size : runSizes) {
        long s0 = System.nanoTime();
        for (Workload w : all) {
          if (workloads == null || workloads.contains(w.name())) {
            suite.run(w, size, runReps, peerFilter(), true);
          }
        }
        double secs = (System.nanoTime() - s0) / 1e9;
        info.addSizeSeconds(String.format("%,d", size), secs);
        System.out.printf("%n(size %,d: %.0f s for all workloads, set-up and warm-up included)%n", size, secs);
      }
      if (giantRows > 0) {
        Workload headline = all.stream().filter(w -> w.name().equals(Workloads.BCE_WEIGHTED)).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        // The heap target's reference: the fused contender at 10^7 rows right before the giant run,
        // so both see the same JVM (whose live heap also holds what earlier queries left behind,
        // such as Spark's store of finished queries), not the state of an hour earlier.
        System.out.printf("%n(heap reference for the giant run: fused at %,d rows)%n", HEAP_REFERENCE_ROWS);
        suite.run(headline, HEAP_REFERENCE_ROWS, 1, EnumSet.of(Peer.FUSED), false);
        heapReference = suite.removeLast();
        suite.run(headline, giantRows, giantReps, EnumSet.of(Peer.FUSED, Peer.NATIVE_SQL, Peer.SCAN_FLOOR), false);
        info.addSizeSeconds(String.format("%,d (%s only)", giantRows, headline.name()), (System.nanoTime() - t0) / 1e9);
      }
      for (Workload w : all) {
        for (Contender c : w.contenders()) {
          if (c instanceof AutoCloseable ac) {
            ac.close();
          }
        }
      }
    }
    info = info.finished(Instant.now());
    List<Targets.Verdict> verdicts = Targets.evaluate(suite.results(), giantRows, heapReference);
    System.out.println();
    for (Targets.Verdict v : verdicts) {
      System.out.println(v.line());
    }
    Report.write(out, info, all, suite.results(), kernels, verdicts, suite.mismatches());
    if (!suite.mismatches().isEmpty()) {
      System.err.println("lossagg-bench: contenders disagree (the timings compare different numbers):");
      suite.mismatches().forEach(m -> System.err.println("  " + m));
      return 1;
    }
    return 0;
  }

  private Set<Peer> peerFilter() {
    if (peers == null) {
      return null;
    }
    Set<Peer> p = EnumSet.copyOf(peers);
    p.add(Peer.FUSED);
    return p;
  }

  private List<String> argsForReport() {
    List<String> a = new ArrayList<>();
    if (quick) {
      a.add("--quick");
    }
    return a;
  }
}
