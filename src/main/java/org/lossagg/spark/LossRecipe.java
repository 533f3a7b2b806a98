package org.lossagg.spark;

import java.io.Serializable;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.config.LossStateIdentity;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.StatePreamble;

/**
 * A catalogue loss in the form Spark ships to executors: its Keras JSON (a {@code keras_loss}
 * config as given, or for a loss built in Java {@link KerasLossConfig#serializeExactly}, which
 * carries every option, the dtype and the Keras version) and lossagg's {@code keras2} switch.
 * {@link Loss} itself is not serializable; each deserialized copy rebuilds it once, on first use.
 * Every Spark-side holder of a loss (the per-row functions, {@code keras_loss}, the Dataset
 * aggregator) holds one of these.
 */
final class LossRecipe implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String config;
  private final boolean keras2;
  private transient volatile Loss loss;
  private transient volatile Loss aggregated;
  private transient volatile StatePreamble preamble;

  private LossRecipe(String config, boolean keras2, Loss loss) {
    this.config = config;
    this.keras2 = keras2;
    this.loss = loss;
  }

  /**
   * The recipe of {@code loss}, which must be one of {@link LossCatalog}'s losses; its JSON rebuilds
   * exactly this loss (an IllegalStateException otherwise, which would be a lossagg bug).
   */
  static LossRecipe of(Loss loss) {
    if (!LossCatalog.all().contains(loss.spec())) {
      throw new IllegalArgumentException(loss.spec().className() + " is not in lossagg's LossCatalog; Spark functions "
          + "take catalogue losses only (known: " + LossCatalog.knownNames() + ")");
    }
    LossRecipe r = new LossRecipe(KerasLossConfig.serializeExactly(loss), loss.keras2(), null);
    if (!r.options().create().mergesWith(loss)) {
      throw new IllegalStateException("the config " + r.config + " does not rebuild " + loss);
    }
    r.loss = loss;
    return r;
  }

  /**
   * The recipe of a Keras identifier or JSON config, {@code keras2} selecting tf.keras 2.x numerics;
   * checked on first use ({@link #options()}).
   */
  static LossRecipe of(String config, boolean keras2) {
    return new LossRecipe(config, keras2, null);
  }

  /** The options the config gives (an IllegalArgumentException naming what is wrong otherwise). */
  LossOptions options() {
    LossOptions o = KerasLossConfig.optionsFromJson(config);
    return keras2 ? o.toBuilder().keras2(true).build() : o;
  }

  /** The loss, rebuilt once per copy. */
  Loss loss() {
    Loss l = loss;
    if (l == null) {
      l = options().create();
      loss = l;
    }
    return l;
  }

  /** {@link #loss()} as a table or group aggregates it: with the session's {@link GroupRowsBound}. */
  Loss aggregatedLoss() {
    Loss l = aggregated;
    if (l == null) {
      l = GroupRowsBound.apply(loss());
      aggregated = l;
    }
    return l;
  }

  /** The preamble of this loss' serialized states (kind 'K', {@link LossStateIdentity}). */
  StatePreamble statePreamble() {
    StatePreamble p = preamble;
    if (p == null) {
      p = StatePreamble.of(StatePreamble.KERAS_LOSS, LossStateIdentity.of(loss()));
      preamble = p;
    }
    return p;
  }

  String config() {
    return config;
  }

  boolean keras2() {
    return keras2;
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
