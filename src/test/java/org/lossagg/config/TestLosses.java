package org.lossagg.config;

import org.lossagg.losses.Loss;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.losses.OptionSpec;
import org.lossagg.losses.OptionType;
import org.lossagg.losses.PerSample;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;

/**
 * Test-only specs (not in the catalogue) that exercise every option kind and the range rules the
 * focal losses (gamma >= 0) and CategoricalGeneralizedCrossEntropy (0 < q < 1) declare, so the
 * config layer's messages are tested whichever losses the catalogue holds.
 */
final class TestLosses {
  static final LossSpec ALL_KINDS = LossSpec.builder("AllKinds", "all_kinds")
      .option(OptionSpec.of("flag", OptionType.BOOLEAN, false, "a flag"))
      .option(OptionSpec.ranged("scale", 1.0, "a positive scale", 0, false, Double.POSITIVE_INFINITY, true))
      .option(OptionSpec.of("axis", OptionType.INT, -1, "an axis"))
      .option(OptionSpec.of("ignore_class", OptionType.OPTIONAL_INT, null, "a class id"))
      .option(OptionSpec.of("axes", OptionType.AXES, null, "axes"))
      .option(new OptionSpec("alpha", OptionType.FLOAT_OR_LIST, 0.25, "weights", 0, true, 1, true))
      .formula("0")
      .factory(Trivial::new);

  static final LossSpec FOCAL_LIKE = LossSpec.builder("FocalLike", "focal_like")
      .option(OptionSpec.ranged("gamma", 2.0, "focusing exponent", 0, true, Double.POSITIVE_INFINITY, true))
      .formula("0")
      .factory(Trivial::new);

  static final LossSpec GCE_LIKE = LossSpec.builder("GceLike", "gce_like")
      .option(OptionSpec.ranged("q", 0.5, "GCE exponent", 0, false, 1, false))
      .formula("0")
      .factory(Trivial::new);

  private TestLosses() {}

  /** Returns zeros; only its options matter here. */
  private static final class Trivial extends Loss {
    Trivial(LossOptions o) {
      super(o);
    }

    @Override
    protected PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n) {
      return PerSample.of(NdArray.zeros(yPred.shape()[0]));
    }
  }
}
