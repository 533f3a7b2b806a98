package org.lossagg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lossagg.spark.SparkTestSession;

/**
 * The harness compares like with like: on a small input, every contender of every workload
 * (native SQL, MLlib, TensorFlow Java, lossagg's loss_reduce) gives lossagg's fused keras_loss
 * value within its tolerance, and a contender computing other math is caught. Named *Check, not
 * *Test: the default test run must never pick up its class left in target/test-classes by a
 * bench build; jobs/lossagg-bench runs it with -Dtest.
 */
class BenchContendersAgreeCheck {
  private static final long SIZE = 4_000;
  @TempDir
  static Path data;
  private static List<Workload> workloads;

  private static List<Workload> workloads() {
    if (workloads == null) {
      workloads = Workloads.all(SparkTestSession.get(), data);
    }
    return workloads;
  }

  @AfterAll
  static void closePeers() throws Exception {
    for (Workload w : workloads()) {
      for (Contender c : w.contenders()) {
        if (c instanceof AutoCloseable ac) {
          ac.close();
        }
      }
    }
  }

  @Test
  void everyContenderComputesTheFusedValueOnASmallInput() throws Exception {
    SparkSuite suite = new SparkSuite(SIZE);
    for (Workload w : workloads()) {
      suite.run(w, SIZE, 1, null, false);
    }
    assertEquals(List.of(), suite.mismatches());
    for (Measurement m : suite.results()) {
      // The scan floor, per-row sinks and the evaluate job give no loss value to compare.
      Contender c = workloads().stream().filter(w -> w.name().equals(m.workload())).findFirst().orElseThrow()
          .contender(m.peer());
      String expected = Double.isNaN(c.tolerance(SIZE)) ? "n/a" : "ok";
      assertEquals(expected, m.agreement(), m.workload() + " / " + m.peer().label);
    }
    long checkedPeers = suite.results().stream()
        .filter(m -> m.peer() != Peer.FUSED && m.peer() != Peer.SCAN_FLOOR && m.agreement().equals("ok")).count();
    assertTrue(checkedPeers >= 20, "expected every peer of every workload checked, got " + checkedPeers);
  }

  @Test
  void aContenderWithDifferentMathIsReportedAsAMismatch() throws Exception {
    SparkSession spark = SparkTestSession.get();
    // Natural log replaced by log10: a plausible slip in a hand-written query.
    Workload wrong = new Workload("bce_wrong", "BCE with log10", 1, rows -> Sources.binary(spark, rows), List.of(
        SqlContender.of(Peer.FUSED, "keras_loss(" + Workloads.BCE + ", label, prob)"),
        SqlContender.of(Peer.NATIVE_SQL, "avg(" + Workloads.BCE_TERM.replace("ln(", "log10(") + ")")));
    SparkSuite suite = new SparkSuite(SIZE);
    suite.run(wrong, SIZE, 1, null, false);
    assertEquals(1, suite.mismatches().size(), suite.mismatches().toString());
    assertTrue(suite.mismatches().get(0).startsWith("bce_wrong at 4000 rows, native Spark SQL: value "),
        suite.mismatches().get(0));
  }

  @Test
  void tensorFlowIsComparedOnlyWhenItCoveredTheSameRows() {
    TensorFlowContender tf = new TensorFlowContender(TensorFlowContender.Kind.BCE, "label", "prob", null, 1);
    assertEquals(1e-4, tf.tolerance(TensorFlowContender.MAX_POOL_ROWS));
    assertTrue(Double.isNaN(tf.tolerance(TensorFlowContender.MAX_POOL_ROWS + 1L)));
    TensorFlowContender wide = new TensorFlowContender(TensorFlowContender.Kind.CCE_LOGITS, "y", "z", null, 1000);
    assertTrue(Double.isNaN(wide.tolerance(TensorFlowContender.POOL_ELEMENTS / 1000 + 1)));
  }
}
