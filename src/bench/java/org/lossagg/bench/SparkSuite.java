package org.lossagg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs workloads end to end: per size, every contender prepares, runs once untimed (see
 * {@link #warmUpRows}), then {@code reps} timed repetitions alternate the contenders (the
 * starting contender rotates per repetition, so no one always runs first or after the same
 * neighbour). Each value is checked against lossagg's fused value, and lossagg must give the
 * identical double in every repetition.
 */
final class SparkSuite {
  private final long warmupRows;
  private final List<Measurement> results = new ArrayList<>();
  private final List<String> mismatches = new ArrayList<>();

  SparkSuite(long warmupRows) {
    this.warmupRows = warmupRows;
  }

  List<Measurement> results() {
    return results;
  }

  /** Takes the last measurement out of the results (a reference run that the tables do not show). */
  Measurement removeLast() {
    return results.remove(results.size() - 1);
  }

  List<String> mismatches() {
    return mismatches;
  }

  /** Runs {@code w} at {@code size} with the contenders of {@code peers} (null: all). */
  void run(Workload w, long size, int reps, Set<Peer> peers, boolean warmUp) throws Exception {
    long rows = w.rowsAt(size);
    List<Contender> cs = w.contenders().stream().filter(c -> peers == null || peers.contains(c.peer())).toList();
    System.out.printf("%n== %s (%s): %,d rows, %d repetitions ==%n", w.name(), w.title(), rows, reps);
    Dataset<Row> source = w.source().rows(rows);
    for (Contender c : cs) {
      c.prepare(source, rows);
    }
    if (warmUp) {
      Dataset<Row> smallSource = null;
      for (Contender c : cs) {
        long warm = warmUpRows(w, c, rows);
        if (warm == rows) {
          c.run(source, rows);
        } else {
          smallSource = smallSource != null ? smallSource : w.source().rows(warm);
          c.run(smallSource, warm);
        }
      }
      if (smallSource != null) {
        smallSource.unpersist();
      }
    }
    int n = cs.size();
    double[][] seconds = new double[n][reps];
    double[][] values = new double[n][reps];
    long[] covered = new long[n];
    long[] peak = new long[n];
    long[] peakLive = new long[n];
    java.util.Arrays.fill(peakLive, -1);
    for (int rep = 0; rep < reps; rep++) {
      for (int k = 0; k < n; k++) {
        int i = (k + rep) % n;
        HeapSampler sampler = HeapSampler.start();
        long t0 = System.nanoTime();
        Contender.Outcome o = cs.get(i).run(source, rows);
        seconds[i][rep] = (System.nanoTime() - t0) / 1e9;
        HeapSampler.Peak p = sampler.stop();
        values[i][rep] = o.value();
        covered[i] = o.rows();
        peak[i] = Math.max(peak[i], p.used());
        peakLive[i] = Math.max(peakLive[i], p.afterGc());
      }
    }
    double reference = values[0][0];
    Measurement fused = null;
    for (int i = 0; i < n; i++) {
      Contender c = cs.get(i);
      String agreement = agreement(w, c, source, rows, values[i], reference);
      Measurement m = new Measurement(w.name(), size, rows, c.peer(), seconds[i], covered[i], values[i][0],
          agreement, peak[i], peakLive[i]);
      results.add(m);
      fused = i == 0 ? m : fused;
      System.out.printf("  %-28s %9.3g Mrows/s  median %8.3f s  value %-22s %-6s fused/this %6.2fx  peak heap %,d MB%n",
          c.peer().label, m.mrowsPerSecond(), m.medianSeconds(), Double.toString(m.value()), agreement,
          fused.mrowsPerSecond() / m.mrowsPerSecond(),
          m.peakHeapBytes() >> 20);
    }
    source.unpersist();
  }

  /**
   * Rows of a contender's untimed run: the measured size when its run there is expected to take at
   * most {@link #FULL_SIZE_WARMUP_SECONDS} (its median at the previous size, scaled by rows), else
   * {@code warmupRows}. A run at another size is a different compiled stage (Range's bounds are
   * literals in Spark's generated code), so a smaller warm-up left the first timed repetition to
   * compile and profile the measured one: in runs at 10^8 rows the first repetition took up to 1.5x
   * the later ones. Contenders whose runs take minutes (MLlib, the evaluate job) warm up small.
   */
  private long warmUpRows(Workload w, Contender c, long rows) {
    long small = Math.min(rows, warmupRows);
    Measurement previous = null;
    for (Measurement m : results) {
      if (m.workload().equals(w.name()) && m.peer() == c.peer() && m.rows() < rows) {
        previous = m;
      }
    }
    if (previous == null) {
      return small;
    }
    double expected = previous.medianSeconds() * rows / previous.rows();
    return expected <= FULL_SIZE_WARMUP_SECONDS ? rows : small;
  }

  static final double FULL_SIZE_WARMUP_SECONDS = 15.0;

  private String agreement(Workload w, Contender c, Dataset<Row> source, long rows, double[] values, double reference) {
    if (c.peer() == Peer.FUSED || c.peer() == Peer.REDUCE) {
      for (double v : values) {
        if (Double.doubleToLongBits(v) != Double.doubleToLongBits(values[0])) {
          return fail(w, c, rows, "repetitions gave different values " + java.util.Arrays.toString(values));
        }
      }
    }
    if (c.peer() == Peer.FUSED) {
      return "ok";
    }
    double rtol = c.tolerance(rows);
    if (Double.isNaN(rtol)) {
      return "n/a";
    }
    double v = values[0];
    if (c.toFusedScale() != null) {
      v *= ((Number) source.selectExpr(c.toFusedScale()).first().get(0)).doubleValue();
    }
    if (!(Math.abs(v - reference) <= rtol * Math.abs(reference))) {
      return fail(w, c, rows, "value " + v + " vs lossagg fused " + reference + " (rtol " + rtol + ")");
    }
    return "ok";
  }

  private String fail(Workload w, Contender c, long rows, String what) {
    String msg = w.name() + " at " + rows + " rows, " + c.peer().label + ": " + what;
    mismatches.add(msg);
    System.out.println("  MISMATCH " + msg);
    return "MISMATCH";
  }
}
