package org.lossagg.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lossagg.numerics.DType;

/** Test losses: a loss' option variants, each in both dtypes and both numerics modes. */
public final class LossVariants {
  private LossVariants() {}

  /** {@code spec} with each of {@code variants}' options, in each dtype, Keras 3 and tf.keras 2.x. */
  public static List<Loss> inEachDTypeAndNumerics(LossSpec spec, List<Map<String, Object>> variants) {
    List<Loss> out = new ArrayList<>();
    for (Map<String, Object> options : variants) {
      for (DType dtype : DType.values()) {
        for (boolean keras2 : new boolean[] {false, true}) {
          LossOptions.Builder b = spec.newOptions().dtype(dtype).keras2(keras2);
          options.forEach(b::set);
          try {
            out.add(b.build().create());
          } catch (IllegalArgumentException refused) {
            // tf.keras 2.x does not have this loss.
          }
        }
      }
    }
    return out;
  }
}
