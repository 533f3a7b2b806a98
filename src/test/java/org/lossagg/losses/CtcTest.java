package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.reduce.Reduction;

class CtcTest {
  private static final Loss CTC_NONE = CTC.builder().reduction(Reduction.NONE).build();

  @Test
  void repeatedLabelNeedsABlankFrameInBetween() {
    // Uniform logits: every path of T frames has probability C^-T. "1 1" in 3 frames has the single
    // alignment 1 _ 1; "1 2" has five (1 1 2, 1 2 2, _ 1 2, 1 _ 2, 1 2 _).
    NdArray v = CTC_NONE.call(NdArray.matrix(new double[][] {{1, 1}, {1, 2}}), NdArray.zeros(2, 3, 3));
    assertEquals((float) Math.log(27), (float) v.get(0), 2e-6);
    assertEquals((float) Math.log(27.0 / 5), (float) v.get(1), 2e-6);
  }

  @Test
  void repeatedLabelThatCannotFitGivesTensorFlowsLogZeroNotInfinity() {
    // "1 1" needs 3 frames; TF's dense CTC starts impossible states at float32(log(1e-307)) = -706.89.
    double v = CTC_NONE.call(NdArray.matrix(new double[][] {{1, 1}}), NdArray.zeros(1, 2, 3)).item();
    assertTrue(Double.isFinite(v) && v > 700 && v < 712, "got " + v);
    // Keras TF backend, probe: labels [1,2,3], T=2 -> 707.626220703125 (the same recursion).
    assertEquals((float) Math.log(1e-307), (float) -CTC_NONE.call(NdArray.matrix(new double[][] {{1, 0}}),
        NdArray.zeros(1, 0, 3)).item());
  }

  @Test
  void labelSequenceIsTheFirstLabelLengthEntries() {
    // [1, 2, 0, 2] has 3 non-zero labels, so it scores [1, 2, 0] (0 emitted as a token), not [1, 2, 2].
    Random rnd = new Random(5);
    NdArray logits = randomLogits(rnd, 1, 6, 4, 1.0);
    double got = CTC_NONE.call(NdArray.matrix(new double[][] {{1, 2, 0, 2}}), logits).item();
    assertEquals(bruteForce(new int[] {1, 2, 0}, logits.data(), 6, 4), got, 1e-5);
    double notThis = bruteForce(new int[] {1, 2, 2}, logits.data(), 6, 4);
    assertTrue(Math.abs(notThis - got) > 1e-3, "window must not skip the inner 0");
  }

  @Test
  void matchesBruteForceOverEveryAlignment() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 40; trial++) {
      int frames = 1 + rnd.nextInt(6);
      int classes = 2 + rnd.nextInt(3);
      int maxLength = 1 + rnd.nextInt(4);
      double[] labels = new double[maxLength];
      int len = rnd.nextInt(maxLength + 1);
      for (int k = 0; k < len; k++) {
        labels[k] = 1 + rnd.nextInt(classes - 1);
      }
      NdArray logits = randomLogits(rnd, 1, frames, classes, 2.0);
      double got = CTC_NONE.call(NdArray.of(labels, 1, maxLength), logits).item();
      int[] seq = new int[len];
      for (int k = 0; k < len; k++) {
        seq[k] = (int) labels[k];
      }
      double want = bruteForce(seq, logits.data(), frames, classes);
      if (Double.isInfinite(want)) {
        assertTrue(got > 700, "impossible alignment, got " + got);
      } else {
        assertEquals(want, got, 4e-6 * Math.max(1, Math.abs(want)), "trial " + trial);
      }
    }
  }

  @Test
  void float64DtypeComputesInFloat32LikeKerasTensorFlowBackend() {
    Random rnd = new Random(2);
    NdArray logits = randomLogits(rnd, 2, 5, 4, 3.0);
    NdArray labels = NdArray.matrix(new double[][] {{1, 3, 0}, {2, 2, 1}});
    NdArray f32 = CTC_NONE.call(labels, logits);
    NdArray f64 = CTC.builder().reduction(Reduction.NONE).dtype(DType.FLOAT64).build().call(labels, logits);
    assertArrayEquals(f32.data(), f64.data());
    for (double v : f64.data()) {
      assertEquals((float) v, v);
    }
  }

  @Test
  void defaultReductionIsTheMeanOverSequences() {
    NdArray labels = NdArray.matrix(new double[][] {{1, 1}, {1, 2}});
    NdArray none = CTC_NONE.call(labels, NdArray.zeros(2, 3, 3));
    double mean = CTC.builder().build().call(labels, NdArray.zeros(2, 3, 3)).item();
    assertEquals((float) ((none.get(0) + none.get(1)) / 2), (float) mean);
    assertEquals(RowOutput.SCALAR, CTC.SPEC.rowOutput());
    assertEquals("ctc", CTC.builder().build().name());
  }

  @Test
  void rejectsWrongRanks() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CTC_NONE.call(NdArray.vector(1, 2), NdArray.zeros(2, 3, 3)));
    assertTrue(e.getMessage().contains("CTC") && e.getMessage().contains("y_true") && e.getMessage().contains("[2]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CTC_NONE.call(NdArray.matrix(new double[][] {{1, 2}}), NdArray.zeros(1, 3, 3, 2)));
    assertTrue(e.getMessage().contains("y_pred") && e.getMessage().contains("[1, 3, 3, 2]"), e.getMessage());
  }

  @Test
  void rejectsLabelsOutsideTheClassRange() {
    for (double bad : new double[] {3, -1, 1e9}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CTC_NONE.call(NdArray.matrix(new double[][] {{1, bad}}), NdArray.zeros(1, 4, 3)));
      assertTrue(e.getMessage().contains("CTC") && e.getMessage().contains("y_true[0, 1]")
          && e.getMessage().contains("[0, 3)"), e.getMessage());
    }
  }

  @Test
  void rejectsNonIntegerLabels() {
    for (double bad : new double[] {1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CTC_NONE.call(NdArray.matrix(new double[][] {{bad, 1}}), NdArray.zeros(1, 4, 3)));
      assertTrue(e.getMessage().contains("y_true[0, 0] = " + bad) && e.getMessage().contains("integers"),
          e.getMessage());
    }
  }

  private static NdArray randomLogits(Random rnd, int batch, int frames, int classes, double scale) {
    double[] d = new double[batch * frames * classes];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (rnd.nextGaussian() * scale);
    }
    return NdArray.of(d, batch, frames, classes);
  }

  /**
   * -log of the sum, over every alignment (a state sequence through blank, l1, blank, l2, ..., blank
   * that starts in one of the first two states, ends in one of the last two, and moves by 0, 1 or 2
   * with a skip only between different labels), of the product of the emission probabilities; by
   * enumeration, in double.
   */
  private static double bruteForce(int[] seq, double[] logits, int frames, int classes) {
    double[] prob = new double[logits.length];
    for (int f = 0; f < frames; f++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[f * classes + c]);
      }
      double s = 0;
      for (int c = 0; c < classes; c++) {
        s += Math.exp(logits[f * classes + c] - max);
      }
      for (int c = 0; c < classes; c++) {
        prob[f * classes + c] = Math.exp(logits[f * classes + c] - max) / s;
      }
    }
    int states = 2 * seq.length + 1;
    double total = 0;
    for (int first = 0; first < Math.min(2, states); first++) {
      total += alignments(seq, prob, classes, frames, 0, first, 1.0);
    }
    return -Math.log(total);
  }

  private static double alignments(int[] seq, double[] prob, int classes, int frames, int f, int s, double p) {
    int states = 2 * seq.length + 1;
    double here = p * prob[f * classes + (s % 2 == 0 ? 0 : seq[s / 2])];
    if (f == frames - 1) {
      return s >= states - 2 ? here : 0.0;
    }
    double sum = alignments(seq, prob, classes, frames, f + 1, s, here);
    if (s + 1 < states) {
      sum += alignments(seq, prob, classes, frames, f + 1, s + 1, here);
    }
    if (s % 2 == 1 && s + 2 < states && seq[s / 2] != seq[s / 2 + 1]) {
      sum += alignments(seq, prob, classes, frames, f + 1, s + 2, here);
    }
    return sum;
  }
}
