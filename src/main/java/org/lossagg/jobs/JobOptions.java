package org.lossagg.jobs;

import org.lossagg.losses.KerasVersion;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Options the lossagg jobs share, checked once. */
final class JobOptions {
  private JobOptions() {}

  /**
   * The Keras version of {@code --keras-version V} and its alias {@code --keras2} (tf.keras 2.x), or
   * null when neither is given; an unknown version, or both options naming different Keras, is a
   * ParameterException.
   */
  static KerasVersion kerasVersion(CommandSpec spec, String kerasVersion, boolean keras2) {
    if (kerasVersion == null) {
      return keras2 ? KerasVersion.TF_KERAS_2 : null;
    }
    KerasVersion v;
    try {
      v = KerasVersion.parse(kerasVersion);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--keras-version: " + e.getMessage());
    }
    if (keras2 && !v.keras2()) {
      throw new ParameterException(spec.commandLine(), "--keras2 (tf.keras 2.x) contradicts --keras-version "
          + kerasVersion + "; give one of them");
    }
    return v;
  }
}
