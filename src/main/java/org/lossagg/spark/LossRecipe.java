package org.lossagg.spark;

import java.io.Serializable;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;

/**
 * A configured catalogue loss in a form Spark can ship to executors: its exact serialization
 * ({@link KerasLossConfig#serializeExactly}, with its dtype and Keras version) plus lossagg's
 * {@code keras2} switch. {@link Loss} itself is
 * not serializable; the loss is rebuilt once per deserialized copy.
 */
final class LossRecipe implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String config;
  private final boolean keras2;
  private transient Loss loss;

  private LossRecipe(String config, boolean keras2, Loss loss) {
    this.config = config;
    this.keras2 = keras2;
    this.loss = loss;
  }

  /** The recipe of {@code loss}, which must be one of {@link LossCatalog}'s losses. */
  static LossRecipe of(Loss loss) {
    if (!LossCatalog.all().contains(loss.spec())) {
      throw new IllegalArgumentException(loss.spec().className() + " is not in lossagg's LossCatalog; Spark functions "
          + "take catalogue losses only (known: " + LossCatalog.knownNames() + ")");
    }
    return new LossRecipe(KerasLossConfig.serializeExactly(loss), loss.keras2(), loss);
  }

  Loss loss() {
    Loss l = loss;
    if (l == null) {
      l = KerasLossConfig.optionsFromJson(config).toBuilder().keras2(keras2).build().create();
      loss = l;
    }
    return l;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossRecipe && ((LossRecipe) o).config.equals(config) && ((LossRecipe) o).keras2 == keras2;
  }

  @Override
  public int hashCode() {
    return config.hashCode() * 31 + Boolean.hashCode(keras2);
  }

  @Override
  public String toString() {
    return keras2 ? config + " (keras2)" : config;
  }
}
