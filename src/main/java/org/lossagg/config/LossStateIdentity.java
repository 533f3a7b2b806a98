package org.lossagg.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lossagg.losses.Loss;

/**
 * The text that identifies the aggregation state of a loss (see
 * {@link org.lossagg.losses.StatePreamble}): everything that changes the numbers the state holds,
 * and only that. It is the loss' Keras config in the {@code {"class_name", "config"}} form Keras
 * reads back, with {@code dtype} added (Keras leaves it out of configs) and lossagg's tf.keras 2.x
 * switch appended; {@code name} and {@code reduction} are left out, because every reduction is read
 * from the same state and the name is a label. Any option a loss gains is part of its config, and so
 * of the identity.
 */
public final class LossStateIdentity {
  private LossStateIdentity() {}

  /** E.g. {@code {"class_name": "BinaryCrossentropy", "config": {"from_logits": false, ..., "dtype": "float32"}}}. */
  public static String of(Loss loss) {
    Map<String, Object> config = new LinkedHashMap<>(KerasLossConfig.getConfig(loss));
    config.remove("name");
    config.remove("reduction");
    config.put("dtype", loss.dtype().kerasName());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", loss.spec().className());
    m.put("config", config);
    String json = PythonJson.dumps(m);
    return loss.keras2() ? json + " with keras2=true (tf.keras 2.x numerics)" : json;
  }
}
