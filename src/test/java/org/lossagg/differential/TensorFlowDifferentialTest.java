package org.lossagg.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Differential test of lossagg's tf.keras 2.x mode ({@code keras2(true)}, float32) against TensorFlow
 * Java 1.0.0's {@code org.tensorflow.framework.losses}, which ports tf.keras 2.x's losses onto TF's
 * own kernels. For every loss in {@link TensorFlowLosses#ALL}, {@value #CASES} seeded random cases
 * (small (B,C) and (B,T,C) batches with edge values) are compared three ways:
 * the default reduction without weights, the default reduction with sample weights, and reduction
 * none (per-sample values, weighted on odd cases), shapes included.
 *
 * <p>One eager session serves the whole class: TF Java 1.0 keeps every eager result alive until the
 * session closes, so the process grows to about 1.6 GB resident over the ~45,000 TF calls of the 15
 * losses (about 50 s on 2 cores) and releases the native memory when the class ends.
 */
class TensorFlowDifferentialTest {
  static final int CASES = 1000;
  static final long SEED = 0x5EED_7F_10_55L;

  private static final int MAX_REPORTED_FAILURES = 8;

  private static EagerSession session;
  private static Ops tf;

  @BeforeAll
  static void openSession() {
    session = EagerSession.create();
    tf = Ops.create(session);
  }

  @AfterAll
  static void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> lossaggKeras2MatchesTensorFlowJava() {
    return TensorFlowLosses.ALL.stream().map(e -> DynamicTest.dynamicTest(e.className(), () -> compareAll(e)));
  }

  /** The table covers exactly the losses TF Java ships, so none is left out unnoticed. */
  @Test
  void tableCoversEveryTensorFlowJavaLoss() throws IOException, URISyntaxException {
    Path jar = Path.of(org.tensorflow.framework.losses.Loss.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    TreeSet<String> shipped = new TreeSet<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
        String n = en.nextElement().getName();
        String prefix = "org/tensorflow/framework/losses/";
        if (n.startsWith(prefix) && n.endsWith(".class") && !n.contains("$") && n.indexOf('/', prefix.length()) < 0) {
          String simple = n.substring(prefix.length(), n.length() - ".class".length());
          try {
            Class<?> c = Class.forName("org.tensorflow.framework.losses." + simple);
            if (org.tensorflow.framework.losses.Loss.class.isAssignableFrom(c) && !c.isInterface()) {
              shipped.add(simple);
            }
          } catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
          }
        }
      }
    }
    TreeSet<String> table = new TreeSet<>();
    TensorFlowLosses.ALL.forEach(e -> table.add(e.className()));
    assertEquals(shipped, table, "TensorFlow Java losses vs the differential table");
  }

  /**
   * TF Java converts {0,1} hinge labels to ±1 per lane of the last axis; tf.keras 2.x (and Keras 3)
   * decide once for the whole y_true tensor. With lanes [0, 1] and [-1, 1] and predictions 0.5, tf.keras
   * keeps the first lane's 0 (0.75 for that lane, 0.875 in all) while TF Java converts it (1.0). The
   * random hinge cases avoid this input family; lossagg follows tf.keras here, not TF Java.
   */
  @Test
  void hingeLabelConversionIsPerLaneInTensorFlowJava() {
    F32Array t = new F32Array(new float[] {0f, 1f, -1f, 1f}, new int[] {2, 2});
    F32Array p = new F32Array(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new int[] {2, 2});
    org.tensorflow.framework.losses.Hinge tfHinge =
        new org.tensorflow.framework.losses.Hinge(org.tensorflow.framework.losses.Reduction.AUTO);
    assertEquals(1.0f, F32Array.read(tfHinge.call(tf, t.toConstant(tf), p.toConstant(tf), null)).data()[0]);
    Optional<LossSpec> hinge = LossCatalog.find("Hinge");
    if (hinge.isPresent()) {
      Loss l = hinge.get().newOptions().keras2(true).build().create();
      assertEquals(0.875, l.call(t.toNdArray(), p.toNdArray()).item(), 1e-7, "lossagg Hinge, whole-tensor conversion");
    }
  }

  private void compareAll(TensorFlowLosses.Entry e) {
    Optional<LossSpec> spec = LossCatalog.find(e.className());
    if (spec.isEmpty()) {
      fail(e.className() + " is implemented by TensorFlow Java but missing from LossCatalog (known: "
          + LossCatalog.knownNames() + ")");
    }
    // String.hashCode is specified, so the per-loss seed is stable across JVMs.
    CaseGen g = new CaseGen(new Random(SEED ^ e.className().hashCode()));
    Stats stats = new Stats(e);
    long t0 = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      DiffCase c = e.generator().next(g);
      compareCase(e, spec.get(), c, i, stats);
    }
    System.out.println(stats.summary((System.nanoTime() - t0) / 1e9));
    if (stats.failedChecks > 0) {
      fail(e.className() + ": " + stats.failedChecks + " of " + stats.checks + " checks outside |diff| <= "
          + e.atol() + " + " + e.rtol() + "·|tf| (first " + stats.failures.size() + " below)\n"
          + String.join("\n", stats.failures));
    }
  }

  private void compareCase(TensorFlowLosses.Entry e, LossSpec spec, DiffCase c, int index, Stats stats) {
    boolean weightedNone = index % 2 == 1;
    Operand<TFloat32> yt = c.yTrue().toConstant(tf);
    Operand<TFloat32> yp = c.yPred().toConstant(tf);
    Operand<TFloat32> w = c.weights().toConstant(tf);
    NdArray t = c.yTrue().toNdArray();
    NdArray p = c.yPred().toNdArray();
    NdArray sw = c.weights().toNdArray();
    org.tensorflow.framework.losses.Reduction auto = org.tensorflow.framework.losses.Reduction.AUTO;
    org.tensorflow.framework.losses.Reduction none = org.tensorflow.framework.losses.Reduction.NONE;
    stats.cases++;
    check(stats, e, c, index, "sum_over_batch_size, no weights",
        () -> F32Array.read(e.tf().create(c, auto).call(tf, yt, yp, null)),
        () -> lossagg(spec, c, Reduction.SUM_OVER_BATCH_SIZE).call(t, p));
    check(stats, e, c, index, "sum_over_batch_size, weighted",
        () -> F32Array.read(e.tf().create(c, auto).call(tf, yt, yp, w)),
        () -> lossagg(spec, c, Reduction.SUM_OVER_BATCH_SIZE).call(t, p, sw));
    check(stats, e, c, index, weightedNone ? "none, weighted" : "none, no weights",
        () -> F32Array.read(e.tf().create(c, none).call(tf, yt, yp, weightedNone ? w : null)),
        () -> lossagg(spec, c, Reduction.NONE).call(t, p, weightedNone ? sw : null));
  }

  /** The lossagg loss for a case: Keras option names, tf.keras 2.x numerics, float32. */
  private static Loss lossagg(LossSpec spec, DiffCase c, Reduction reduction) {
    LossOptions.Builder b = spec.newOptions();
    c.options().forEach(b::set);
    return b.keras2(true).reduction(reduction).build().create();
  }

  private interface TfRun {
    F32Array run();
  }

  private interface LossaggRun {
    NdArray run();
  }

  private static void check(Stats stats, TensorFlowLosses.Entry e, DiffCase c, int index, String mode, TfRun tfRun,
      LossaggRun lossaggRun) {
    stats.checks++;
    F32Array expected;
    NdArray got;
    try {
      expected = tfRun.run();
    } catch (RuntimeException ex) {
      stats.fail("case " + index + " (" + mode + "): TensorFlow Java threw " + ex + "\n    " + c.describe());
      return;
    }
    try {
      got = lossaggRun.run();
    } catch (RuntimeException ex) {
      stats.fail("case " + index + " (" + mode + "): lossagg threw " + ex + "; TF gave " + expected.describe()
          + "\n    " + c.describe());
      return;
    }
    if (!Arrays.equals(expected.shape(), got.shape())) {
      stats.fail("case " + index + " (" + mode + "): shape " + Arrays.toString(got.shape()) + ", TF "
          + Arrays.toString(expected.shape()) + "\n    " + c.describe());
      return;
    }
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      double x = expected.data()[i];
      double y = got.get(i);
      stats.values++;
      if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
        if (Double.compare(x, y) == 0 || (Double.isNaN(x) && Double.isNaN(y))) {
          stats.nonFinite++;
        } else {
          bad.add("[" + i + "] lossagg " + y + " TF " + x);
        }
        continue;
      }
      double diff = Math.abs(y - x);
      double limit = e.atol() + e.rtol() * Math.abs(x);
      stats.record(diff, x, limit);
      if (!(diff <= limit)) {
        bad.add("[" + i + "] lossagg " + y + " TF " + x + " |diff| " + diff + " > " + limit);
      }
    }
    if (!bad.isEmpty()) {
      stats.fail("case " + index + " (" + mode + "): " + String.join("; ", bad) + "\n    " + c.describe());
    }
  }

  /** Per-loss counters and the worst differences seen. */
  private static final class Stats {
    final TensorFlowLosses.Entry entry;
    int cases;
    int checks;
    long values;
    long nonFinite;
    int failedChecks;
    double maxAbs;
    double maxRel;
    double maxRatio;
    final List<String> failures = new ArrayList<>();

    Stats(TensorFlowLosses.Entry entry) {
      this.entry = entry;
    }

    void record(double diff, double expected, double limit) {
      maxAbs = Math.max(maxAbs, diff);
      maxRatio = Math.max(maxRatio, diff / limit);
      if (expected != 0.0) {
        maxRel = Math.max(maxRel, diff / Math.abs(expected));
      }
    }

    void fail(String message) {
      failedChecks++;
      if (failures.size() < MAX_REPORTED_FAILURES) {
        failures.add("  " + message);
      }
    }

    String summary(double seconds) {
      return String.format(java.util.Locale.ROOT,
          "[tf-differential] %-29s cases %d, checks %d, values %d (%d NaN/inf matched), max |diff| %.3g, "
              + "max rel %.3g, max |diff|/limit %.3f, failed checks %d, %.1f s",
          entry.className(), cases, checks, values, nonFinite, maxAbs, maxRel, maxRatio, failedChecks, seconds);
    }
  }
}
