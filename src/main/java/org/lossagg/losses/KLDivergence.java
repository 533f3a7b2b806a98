package org.lossagg.losses;

import org.lossagg.numerics.Lanes;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Keras {@code KLDivergence}: with {@code t = clip(y_true, eps, 1)} and {@code q = clip(y_pred, eps,
 * 1)}, per sample {@code sum_{-1}(t * log(t / q))}: a <em>sum</em> over the last axis, not a mean.
 *
 * <p>A zero label is not a zero term: it is clipped to eps and contributes {@code eps log(eps/q)}.
 * Values above 1 are clipped to 1 (the Keras docs' "[0, 1]" is really [eps, 1]). The output drops
 * the last axis. No options beyond reduction, name and dtype; tf.keras 2.x computes the same formula.
 * Identifiers: {@code KLDivergence}, {@code kl_divergence}, {@code kld}, {@code KLD}, and tf.keras
 * 2.x's {@code kullback_leibler_divergence}.
 *
 * <pre>{@code
 * Loss kld = KLDivergence.builder().build();
 * kld.call(NdArray.matrix(new double[][] {{0, 1}, {0, 0}}),
 *          NdArray.matrix(new double[][] {{0.6, 0.4}, {0.4, 0.6}}));  // 0.45814306 (float32)
 * }</pre>
 */
public final class KLDivergence extends Loss {
  public static final LossSpec SPEC = LossSpec.builder("KLDivergence", "kl_divergence")
      .aliases("kld", "KLD", "kullback_leibler_divergence")
      .formula("sum(t log(t / q)) over the last axis, t = clip(y_true, eps, 1), q = clip(y_pred, eps, 1)")
      .sqlExample("SELECT loss_kl_divergence(array(0.3, 0.7), array(0.4, 0.6));",
          "0.02160085414354654")
      .factory(KLDivergence::new);

  private KLDivergence(LossOptions options) {
    super(options);
  }

  public static Builder<?, KLDivergence> builder() {
    return new Builder<>(SPEC);
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    AxisInputs.requireSameShape(spec(), yTrue, yPred);
    return PerSample.of(Lanes.reduce(yTrue, yPred, -1, (t, p, off, stride, len) -> {
      double sum = 0.0;
      for (int k = 0, i = off; k < len; k++, i += stride) {
        double tc = Numerics.clip(t[i], n.eps, 1.0);
        double qc = Numerics.clip(p[i], n.eps, 1.0);
        sum = n.add(sum, n.mul(tc, n.log(n.div(tc, qc))));
      }
      return sum;
    }));
  }
}
