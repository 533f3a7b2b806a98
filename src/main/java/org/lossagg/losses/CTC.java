package org.lossagg.losses;

import java.util.Arrays;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code CTC} (Connectionist Temporal Classification): per sequence, the negative
 * log-likelihood of the label sequence under {@code log_softmax(y_pred)} summed over every CTC
 * alignment, blank = class 0.
 *
 * <ul>
 *   <li>{@code y_true} (B, L): integer class ids, where 0 is the blank and the padding. The label
 *       length is the number of non-zero entries and the sequence is the FIRST that many entries,
 *       so {@code [1, 2, 0, 2]} scores {@code [1, 2, 0]} (Keras behaviour: that 0 is an ordinary
 *       token emitting class 0).
 *   <li>{@code y_pred} (B, T, C): raw logits (not softmax output); every sequence uses all T frames.
 *   <li>A blank may be skipped only between two different adjacent labels of the sequence, so a
 *       repeated label needs a blank frame in between.
 * </ul>
 *
 * <p>No options beyond {@code reduction}, {@code name} (default {@code ctc}) and {@code dtype}.
 * The numbers follow TensorFlow's dense {@code tf.nn.ctc_loss}, which Keras' TF backend calls:
 * a max-subtracted log-softmax, then the batched backward recursion in log space over the states
 * (start, L label states, L+1 blank states) of the padded label row, renormalised at every frame,
 * with non-final states starting at {@code float32(log(1e-307))} rather than -inf; the likelihood is
 * the start state plus the running sum of the per-frame normalisers. Everything is float32, also
 * for a float64 dtype (Keras' TF backend casts float64 logits to float32 and the result back).
 *
 * <pre>{@code
 * Loss ctc = CTC.builder().reduction(Reduction.NONE).build();
 * // T = 3 frames of uniform logits over C = 3 classes: every path has probability 1/27;
 * // "1 1" has one alignment (1 _ 1), so log 27; "1 2" has five, so log(27/5).
 * ctc.call(NdArray.matrix(new double[][] {{1, 1}, {1, 2}}), NdArray.zeros(2, 3, 3));   // [3.295837, 1.6863991]
 * }</pre>
 */
public final class CTC extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("CTC", "ctc")
      .rowOutput(RowOutput.SCALAR)
      .formula("-log sum over CTC alignments of prod_t softmax(y_pred)[t, state]; blank = 0, "
          + "labels = first count(y_true != 0) entries")
      .keras3Only(1)
      .sqlExample("SELECT loss_ctc(array(1, 2), array(array(0.1, 0.5, 0.4), array(0.2, 0.3, 0.5), array(0.6, 0.3, 0.1)));",
          "1.6793937683105469")
      .factory(CTC::new);

  /** TF's {@code log_0} for impossible initial/final states: float32(log(1e-307)) = -706.8936. */
  private static final double LOG_0 = (float) Math.log(1e-307);
  private static final Numerics F32 = Numerics.of(DType.FLOAT32, false);

  private CTC(LossOptions options) {
    super(options);
  }

  public static Builder<?, CTC> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    if (yTrue.rank() != 2) {
      throw new IllegalArgumentException("CTC: y_true must have shape (batch_size, max_length) of integer labels, got shape "
          + Arrays.toString(yTrue.shape()));
    }
    if (yPred.rank() != 3) {
      throw new IllegalArgumentException("CTC: y_pred must have shape (batch_size, max_length, num_classes) of logits, "
          + "got shape " + Arrays.toString(yPred.shape()));
    }
    int batch = yPred.dim(0);
    int frames = yPred.dim(1);
    int classes = yPred.dim(2);
    if (yTrue.dim(0) != batch) {
      throw new IllegalArgumentException("CTC: y_true has " + yTrue.dim(0) + " rows but y_pred has " + batch
          + " (shapes " + Arrays.toString(yTrue.shape()) + " and " + Arrays.toString(yPred.shape()) + ")");
    }
    int maxLength = yTrue.dim(1);
    double[] t = yTrue.data();
    double[] p = yPred.data();
    double[] out = new double[batch];
    int[] labels = new int[maxLength];
    double[] logProbs = new double[frames * classes];
    for (int b = 0; b < batch; b++) {
      int labelLength = 0;
      for (int k = 0; k < maxLength; k++) {
        double v = t[b * maxLength + k];
        if (!(v == Math.rint(v) && v >= 0 && v < classes)) {
          throw new IllegalArgumentException("CTC: y_true[" + b + ", " + k + "] = " + v + " is not a class id; labels "
              + "must be integers in [0, " + classes + ") (num_classes of y_pred), with 0 the blank/padding");
        }
        labels[k] = (int) v;
        labelLength += labels[k] != 0 ? 1 : 0;
      }
      logSoftmax(p, b * frames * classes, frames, classes, logProbs);
      out[b] = n.r(-logLikelihood(labels, labelLength, logProbs, frames, classes));
    }
    return PerSample.of(NdArray.of(out, batch));
  }

  /** Max-subtracted log-softmax of each frame in float32, as TF's kernel: (x - max) - log(Σ exp(x - max)). */
  private static void logSoftmax(double[] logits, int offset, int frames, int classes, double[] out) {
    for (int f = 0; f < frames; f++) {
      int base = offset + f * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, F32.r(logits[base + c]));
      }
      double sum = 0.0;
      for (int c = 0; c < classes; c++) {
        double shifted = F32.sub(F32.r(logits[base + c]), max);
        out[f * classes + c] = shifted;
        sum = F32.add(sum, F32.exp(shifted));
      }
      double lse = F32.log(sum);
      for (int c = 0; c < classes; c++) {
        out[f * classes + c] = F32.sub(out[f * classes + c], lse);
      }
    }
  }

  /**
   * TF's dense CTC log-likelihood of one sequence. States: 0 = start, k = 1..L label k (emits
   * labels[k-1]), L+1+k = the blank after label state k (k = 0..L), over the padded length L.
   * Backward from the final states (label state labelLength and its blank), renormalising each frame.
   */
  static double logLikelihood(int[] labels, int labelLength, double[] logProbs, int frames, int classes) {
    int maxLength = labels.length;
    int blank0 = maxLength + 1;
    int states = 2 * (maxLength + 1);
    double[] state = new double[states];
    double[] emitted = new double[states];
    double[] next = new double[states];
    Arrays.fill(state, LOG_0);
    // TF: final_state_log_probs = (1 - mask) * log_0, i.e. -0.0 on the two final states.
    state[labelLength] = -0.0;
    state[blank0 + labelLength] = -0.0;
    double cumulative = 0.0;
    for (int f = frames - 1; f >= 0; f--) {
      int row = f * classes;
      emitted[0] = Double.NEGATIVE_INFINITY;
      for (int k = 1; k <= maxLength; k++) {
        emitted[k] = F32.add(state[k], logProbs[row + labels[k - 1]]);
      }
      for (int k = 0; k <= maxLength; k++) {
        emitted[blank0 + k] = F32.add(state[blank0 + k], logProbs[row]);
      }
      // next[i] = logsumexp over the states j that i moves to: itself, the next label (a skip over
      // the blank only between different labels) and its blank.
      for (int k = 0; k <= maxLength; k++) {
        boolean toNextLabel = k < maxLength && (k == 0 || labels[k - 1] != labels[k]);
        next[k] = logSumExp(emitted[k], toNextLabel ? emitted[k + 1] : Double.NEGATIVE_INFINITY, emitted[blank0 + k]);
        next[blank0 + k] = logSumExp(k < maxLength ? emitted[k + 1] : Double.NEGATIVE_INFINITY, emitted[blank0 + k],
            Double.NEGATIVE_INFINITY);
      }
      double norm = logSumExp(next);
      for (int i = 0; i < states; i++) {
        next[i] = F32.sub(next[i], norm);
      }
      cumulative = F32.add(cumulative, norm);
      double[] swap = state;
      state = next;
      next = swap;
    }
    return F32.add(state[0], cumulative);
  }

  /** TF's reduce_logsumexp of three values (-inf entries add exp(-inf) = 0), in float32. */
  private static double logSumExp(double a, double b, double c) {
    double m = Math.max(a, Math.max(b, c));
    if (Double.isInfinite(m) || Double.isNaN(m)) {
      m = 0.0;
    }
    double s = F32.add(F32.add(F32.exp(F32.sub(a, m)), F32.exp(F32.sub(b, m))), F32.exp(F32.sub(c, m)));
    return F32.add(F32.log(s), m);
  }

  /** TF's reduce_logsumexp of a vector: log(Σ exp(x - max)) + max, max taken as 0 when not finite. */
  private static double logSumExp(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    if (Double.isInfinite(m) || Double.isNaN(m)) {
      m = 0.0;
    }
    double s = 0.0;
    for (double v : x) {
      s = F32.add(s, F32.exp(F32.sub(v, m)));
    }
    return F32.add(F32.log(s), m);
  }
}
