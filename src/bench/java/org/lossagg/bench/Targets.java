package org.lossagg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The targets, judged from one run's measurements. */
final class Targets {
  /** One target: what it asks, what was measured, and whether it is met (null: not measured). */
  record Verdict(String target, String measured, Boolean met) {
    String status() {
      return met == null ? "NOT MEASURED" : met ? "MET" : "MISSED";
    }

    String line() {
      return String.format("TARGET %-68s %-13s %s", target, status(), measured);
    }
  }

  static final long GIANT_TARGET_ROWS = 1_000_000_000L;

  private Targets() {}

  /**
   * @param heapReference the fused 10^7-row run made right before the giant run (null: the regular
   *     10^7 size's measurement is the reference)
   */
  static List<Verdict> evaluate(List<Measurement> ms, long giantRows, Measurement heapReference) {
    List<Verdict> v = new ArrayList<>();
    long size = largestRegularSize(ms, Workloads.BCE_WEIGHTED, giantRows);
    v.add(ratio(ms, Workloads.BCE_WEIGHTED, size, Peer.NATIVE_SQL, 2.0, "fused BCE+weights >= 2.0x native Spark SQL"));
    v.add(ratio(ms, Workloads.BCE_WEIGHTED, size, Peer.MLLIB, 20.0, "fused BCE+weights >= 20x MLlib logLoss"));
    v.add(ratio(ms, Workloads.BCE_WEIGHTED, size, Peer.TENSORFLOW, 1.5, "fused BCE+weights >= 1.5x TensorFlow Java"));
    v.add(ratio(ms, Workloads.BCE_WEIGHTED, size, Peer.SCAN_FLOOR, 0.45, "fused BCE+weights >= 0.45x scan floor"));
    long cceSize = largestRegularSize(ms, Workloads.CCE_1000, giantRows);
    v.add(ratio(ms, Workloads.CCE_1000, cceSize, Peer.TENSORFLOW, 1.5, "fused CCE 1,000 classes >= 1.5x TensorFlow Java"));

    v.addAll(queryShapes(ms, giantRows));

    Optional<Measurement> giant = find(ms, Workloads.BCE_WEIGHTED, giantRows, Peer.FUSED);
    String wallTarget = "10^9 rows (generated), fused BCE+weights <= 10 s wall";
    if (giantRows > 0 && giant.isPresent()) {
      double s = giant.get().medianSeconds();
      String measured = String.format("%,d rows in %.2f s (median)", giantRows, s);
      // Only a run of 10^9 rows can meet or miss it; another giant size is shown, not judged.
      v.add(new Verdict(wallTarget, measured, giantRows == GIANT_TARGET_ROWS ? s <= 10.0 : null));
    } else {
      v.add(new Verdict(wallTarget, "no giant run", null));
    }
    Optional<Measurement> ten7 = heapReference != null ? Optional.of(heapReference)
        : find(ms, Workloads.BCE_WEIGHTED, 10_000_000L, Peer.FUSED);
    String heapTarget = "peak heap at 10^9 within 10% of 10^7 (fused BCE+weights; live heap after GC; 10^7 run "
        + (heapReference != null ? "just before the 10^9 run)" : "of the 10^7 size)");
    if (giant.isPresent() && ten7.isPresent() && giantRows > 0) {
      // Judged on the live heap (largest occupancy left after a collection): what the aggregation
      // retains. The sampled used heap also counts garbage, whose peak follows G1's young
      // generation sizing over a longer run, not the rows; it is reported alongside.
      long live = giant.get().peakLiveHeapBytes();
      long live7 = ten7.get().peakLiveHeapBytes();
      long used = giant.get().peakHeapBytes();
      long used7 = ten7.get().peakHeapBytes();
      String measured = String.format("live %,d MB vs %,d MB (%+.1f%%); sampled used %,d MB vs %,d MB (%+.1f%%)",
          live >> 20, live7 >> 20, 100.0 * (live - live7) / live7, used >> 20, used7 >> 20,
          100.0 * (used - used7) / used7);
      boolean judged = giantRows == GIANT_TARGET_ROWS && live >= 0 && live7 >= 0;
      v.add(new Verdict(heapTarget, measured + (giantRows == GIANT_TARGET_ROWS ? "" : String.format(
          " (giant run of %,d rows)", giantRows)), judged ? live <= 1.1 * live7 : null));
    } else {
      v.add(new Verdict(heapTarget, "needs the 10^7 size and the 10^9 run", null));
    }
    return v;
  }

  /** Issue 13's targets: the grouped, per-row and job shapes. */
  static List<Verdict> queryShapes(List<Measurement> ms, long giantRows) {
    List<Verdict> v = new ArrayList<>();
    long g = largestRegularSize(ms, Workloads.BCE_WEIGHTED_BY_SLICE, giantRows);
    v.add(between(ms, g, Workloads.BCE_WEIGHTED_BY_SLICE, Peer.FUSED, Workloads.BCE_WEIGHTED_BY_SLICE, Peer.NATIVE_SQL,
        2.0, "GROUP BY keras_loss (16 slices) >= 2x native GROUP BY"));
    // Against the same query without GROUP BY, timed in the same workload, alternating.
    v.add(between(ms, g, Workloads.BCE_WEIGHTED_BY_SLICE, Peer.FUSED, Workloads.BCE_WEIGHTED_BY_SLICE, Peer.UNGROUPED,
        0.8, "GROUP BY keras_loss (16 slices) >= 0.8x ungrouped fused"));
    v.add(between(ms, g, Workloads.BCE_WEIGHTED_BY_SLICE, Peer.REDUCE, Workloads.BCE_WEIGHTED_BY_SLICE,
        Peer.NATIVE_SQL, 1.5, "loss_reduce(loss_*) by slice >= 1.5x native"));
    long s = largestRegularSize(ms, Workloads.SUM_BCE_ROWS, giantRows);
    v.add(between(ms, s, Workloads.SUM_BCE_ROWS, Peer.REDUCE, Workloads.SUM_BCE_ROWS, Peer.NATIVE_SQL, 1.5,
        "sum(loss_*) >= 1.5x native"));
    long r = largestRegularSize(ms, Workloads.BCE_ROWS_NOOP, giantRows);
    v.add(between(ms, r, Workloads.BCE_ROWS_NOOP, Peer.REDUCE, Workloads.BCE_ROWS_NOOP, Peer.NATIVE_SQL, 1.2,
        "per-row loss output (noop sink) >= 1.2x native"));
    long c = largestRegularSize(ms, Workloads.CCE_10_BY_SLICE, giantRows);
    v.add(between(ms, c, Workloads.CCE_10_BY_SLICE, Peer.FUSED, Workloads.CCE_10_BY_SLICE, Peer.NATIVE_SQL, 1.0,
        "CCE 10 classes GROUP BY keras_loss >= 1.0x native"));
    // No shape slower than native SQL: every lossagg contender of every workload with a native peer,
    // at the workload's largest regular size as the other ratio targets (at 10^6 rows a query is
    // mostly its fixed planning and task cost).
    double worst = Double.POSITIVE_INFINITY;
    String worstAt = "no shape with a native peer in this run";
    for (Measurement m : ms) {
      if (m.peer() != Peer.FUSED && m.peer() != Peer.REDUCE
          || m.size() != largestRegularSize(ms, m.workload(), giantRows)) {
        continue;
      }
      Optional<Measurement> nat = find(ms, m.workload(), m.size(), Peer.NATIVE_SQL);
      if (nat.isPresent()) {
        double q = m.mrowsPerSecond() / nat.get().mrowsPerSecond();
        if (q < worst) {
          worst = q;
          worstAt = String.format("slowest: %s %s at %,d rows, %.2fx native", m.workload(), m.peer().label, m.rows(), q);
        }
      }
    }
    v.add(new Verdict("no lossagg shape slower than native SQL", worstAt,
        Double.isInfinite(worst) ? null : worst >= 1.0));
    // The issue judges the job at 10^7 rows: that size when it ran, else the largest (shown, not judged).
    long j = find(ms, Workloads.EVALUATE_JOB, JOB_TARGET_ROWS, Peer.JOB).isPresent() ? JOB_TARGET_ROWS
        : largestRegularSize(ms, Workloads.EVALUATE_JOB, giantRows);
    Optional<Measurement> job = find(ms, Workloads.EVALUATE_JOB, j, Peer.JOB);
    Optional<Measurement> query = find(ms, Workloads.EVALUATE_JOB, j, Peer.FUSED);
    String jobTarget = "lossagg-evaluate (demo losses, 2 slice columns, --worst, --report) <= 2x one six-keras_loss query";
    if (job.isPresent() && query.isPresent()) {
      double q = job.get().medianSeconds() / query.get().medianSeconds();
      String measured = String.format("%.2fx at %,d rows (job %.2f s = %,.0f rows/s; query %.2f s)", q, job.get().rows(),
          job.get().medianSeconds(), job.get().rows() / job.get().medianSeconds(), query.get().medianSeconds());
      v.add(new Verdict(jobTarget, measured, j == JOB_TARGET_ROWS ? q <= 2.0 : null));
    } else {
      v.add(new Verdict(jobTarget, "not in this run", null));
    }
    return v;
  }

  private static Verdict between(List<Measurement> ms, long size, String workloadA, Peer a, String workloadB, Peer b,
      double min, String target) {
    Optional<Measurement> x = find(ms, workloadA, size, a);
    Optional<Measurement> y = find(ms, workloadB, size, b);
    if (x.isEmpty() || y.isEmpty()) {
      return new Verdict(target, "not in this run", null);
    }
    double q = x.get().mrowsPerSecond() / y.get().mrowsPerSecond();
    return new Verdict(target, String.format("%.2fx at %,d rows (%.3g vs %.3g Mrows/s)", q, x.get().rows(),
        x.get().mrowsPerSecond(), y.get().mrowsPerSecond()), q >= min);
  }

  /** The input size at which issue 13 judges lossagg-evaluate against the six-keras_loss query. */
  private static final long JOB_TARGET_ROWS = 10_000_000L;

  private static long largestRegularSize(List<Measurement> ms, String workload, long giantRows) {
    return ms.stream().filter(m -> m.workload().equals(workload) && m.size() != giantRows)
        .mapToLong(Measurement::size).max().orElse(-1);
  }

  private static Optional<Measurement> find(List<Measurement> ms, String workload, long size, Peer peer) {
    return ms.stream().filter(m -> m.workload().equals(workload) && m.size() == size && m.peer() == peer).findFirst();
  }

  private static Verdict ratio(List<Measurement> ms, String workload, long size, Peer peer, double min, String target) {
    return between(ms, size, workload, Peer.FUSED, workload, peer, min, target);
  }

}
