package org.lossagg.losses;

import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * The user subclass of Keras' {@code loss_test.py}: element-wise {@code (y_true - y_pred)^2}, no axis
 * reduction and no rank alignment. It exercises the base class (weights, masks, reductions), and
 * shows that a custom loss is a few lines.
 */
final class ExampleLoss extends Loss {
  static final LossSpec SPEC = LossSpec.builder("ExampleLoss", "example_loss")
      .rowOutput(RowOutput.ELEMENTWISE)
      .formula("(y_true - y_pred)^2 per element")
      .factory(ExampleLoss::new);

  private ExampleLoss(LossOptions options) {
    super(options);
  }

  @Override
  protected boolean alignsInputs() {
    return false;
  }

  @Override
  protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
    return PerSample.of(NdArray.broadcast(yTrue, yPred, (t, p) -> {
      double d = n.sub(t, p);
      return n.mul(d, d);
    }));
  }
}
