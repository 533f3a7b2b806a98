package org.lossagg.spark;

import org.apache.spark.sql.internal.SQLConf;
import org.lossagg.config.KerasLossConfig;
import org.lossagg.losses.KerasVersion;
import org.lossagg.losses.LossOptions;

/**
 * The session's default Keras version, {@code spark.lossagg.kerasVersion} ({@code SET
 * spark.lossagg.kerasVersion=2.9}): read when a query is analysed, so a {@code SET} applies to the
 * queries analysed after it. It is folded into each loss the query builds (a {@code keras_loss}
 * config gains a {@code keras_version} key, a per-row function's loss the version), so executors,
 * states and plans carry it with the loss. A config's own {@code keras_version} wins.
 */
final class SessionKerasVersion {
  static final String KEY = "spark.lossagg.kerasVersion";

  private SessionKerasVersion() {}

  /** The session default, or null when it is not set (each loss then reproduces {@link KerasVersion#DEFAULT}). */
  static KerasVersion get() {
    String v = SQLConf.get().getConfString(KEY, null);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return KerasVersion.parse(v);
    } catch (IllegalArgumentException e) {
      throw AnalysisErrors.raise(KEY + " (the session's default Keras version) is set to '" + v + "': " + e.getMessage()
          + "; change it with SET " + KEY + "=3.15, or RESET " + KEY, e);
    }
  }

  /** {@code config} with the session default as its {@code keras_version} unless it names one. */
  static String applyTo(String config) {
    KerasVersion v = get();
    return v == null ? config : KerasLossConfig.withDefaultVersion(config, v);
  }

  /** {@code options} with the session default version, if one is set. */
  static LossOptions.Builder applyTo(LossOptions.Builder options) {
    KerasVersion v = get();
    return v == null ? options : options.kerasVersion(v);
  }
}
