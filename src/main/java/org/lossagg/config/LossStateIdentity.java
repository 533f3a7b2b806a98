package org.lossagg.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lossagg.losses.Loss;

/**
 * The text that identifies the aggregation state of a loss (see
 * {@link org.lossagg.losses.StatePreamble}): everything that changes the numbers the state holds,
 * and only that. It is {@link KerasLossConfig#serializeExactly}'s form, which {@code keras_loss}
 * reads back: the {@code {"class_name", "config", "keras_version"}} with every option and the dtype
 * in the config, and the Keras version whose numerics the loss reproduces; {@code name} and
 * {@code reduction} are left out, because every reduction is read from the same state and the name
 * is a label. Any option a loss gains is part of its config, and so of the identity.
 */
public final class LossStateIdentity {
  private LossStateIdentity() {}

  /**
   * E.g. {@code {"class_name": "BinaryCrossentropy", "config": {"from_logits": false, ..., "dtype":
   * "float32"}, "keras_version": "3.15"}}.
   */
  public static String of(Loss loss) {
    Map<String, Object> config = KerasLossConfig.exactConfig(loss);
    config.remove("name");
    config.remove("reduction");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", loss.spec().className());
    m.put("config", config);
    m.put(KerasLossConfig.KERAS_VERSION_KEY, loss.kerasVersion().toString());
    return PythonJson.dumps(m);
  }
}
