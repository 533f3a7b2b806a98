package org.lossagg.losses;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Keras a loss reproduces: a version as Keras writes it ({@code keras.__version__}, the
 * {@code keras_version} of a saved model's {@code metadata.json}) or as a user gives it. lossagg
 * knows three lines of numerics and configs:
 * <ul>
 *   <li>tf.keras 2.x ({@code "2"}, {@code "2.9"}, {@code "2.15.1"}, tf_keras up to 2.20): eps inside the
 *       BCE logs, label smoothing over y_true's last axis, the 1e-12 cosine floor, ... (see the losses);
 *   <li>released Keras 3 ({@code "3.15"}, the newest release and the default; earlier 3.x from
 *       {@code "3.0"} are given the same numbers and configs, which agree with theirs for the losses
 *       they have): Tversky with Keras 3.15.x's FP/FN roles, categorical label smoothing over the
 *       last axis, and 3.15.x's {@code get_config} keys;
 *   <li>the development line ({@code "3.16"}, Keras' HEAD 3.16.0.dev), where those differ.
 * </ul>
 * A version also decides which losses exist ({@link #check}): tf.keras 2.x has no CTC, Dice, Tversky,
 * Circle or CategoricalGeneralizedCrossEntropy, and losses were added to Keras 3 over its releases.
 * Patch numbers and pre-release suffixes are ignored ({@code "3.15.1"} is {@code "3.15"}).
 */
public final class KerasVersion {
  /** The three sets of numerics and configs lossagg reproduces. */
  public enum Line {
    TF_KERAS_2("tf.keras 2.x"),
    KERAS_3_RELEASED("Keras 3.15.x (the newest release)"),
    KERAS_3_DEVELOPMENT("Keras 3.16 (the development line, Keras' HEAD)");

    private final String description;

    Line(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** The newest tf_keras 2.x release lossagg accepts. */
  private static final int LAST_TF_KERAS_2_MINOR = 20;
  /** The newest Keras 3 release; its numerics are the default. */
  static final int RELEASED_KERAS_3_MINOR = 15;
  /** The development line, Keras' HEAD. */
  static final int DEVELOPMENT_KERAS_3_MINOR = 16;

  /** What a version lossagg does not know is compared against, for error messages. */
  public static final String KNOWN = "'2' or '2.0' to '2." + LAST_TF_KERAS_2_MINOR + "' (tf.keras 2.x numerics), '3.0' to '3."
      + RELEASED_KERAS_3_MINOR + "' (released Keras 3; '3." + RELEASED_KERAS_3_MINOR + "' is the default) and '3."
      + DEVELOPMENT_KERAS_3_MINOR + "' (the development line, Keras' HEAD)";

  /** Keras 3.15.x, the newest release: what every loss reproduces unless told otherwise. */
  public static final KerasVersion DEFAULT = new KerasVersion(3, RELEASED_KERAS_3_MINOR);
  /** Keras 3.16, the development line (HEAD). */
  public static final KerasVersion DEVELOPMENT = new KerasVersion(3, DEVELOPMENT_KERAS_3_MINOR);
  /** tf.keras 2.x without a minor version: {@code "2"}, what lossagg's {@code keras2} switch means. */
  public static final KerasVersion TF_KERAS_2 = new KerasVersion(2, -1);

  private static final Pattern FORMAT = Pattern.compile("v?(\\d+)(?:\\.(\\d+)(?:\\.\\d+)?)?(?:[.+-]?[A-Za-z][A-Za-z0-9.+-]*)?");

  private final int major;
  /** -1 when only the major version was given ({@code "2"}). */
  private final int minor;

  private KerasVersion(int major, int minor) {
    this.major = major;
    this.minor = minor;
  }

  /**
   * The version {@code text} names, e.g. {@code "2.9"}, {@code "3.15.1"} or {@code "3.16.0.dev2026"};
   * anything else is an {@link IllegalArgumentException} listing the versions lossagg knows.
   */
  public static KerasVersion parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("keras_version is null; expected one of " + KNOWN);
    }
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("keras_version '" + text + "' is not a version number; expected one of " + KNOWN);
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
    boolean known = (major == 2 && minor <= LAST_TF_KERAS_2_MINOR)
        || (major == 3 && minor <= DEVELOPMENT_KERAS_3_MINOR);
    if (!known) {
      throw new IllegalArgumentException("keras_version '" + text + "' is a Keras lossagg does not know; expected one of "
          + KNOWN);
    }
    if (major == 3 && minor < 0) {
      return DEFAULT; // "3": Keras 3 as released
    }
    return new KerasVersion(major, minor);
  }

  /** tf.keras 2.x, Keras 3 up to 3.15.x, or the development line. */
  public Line line() {
    if (major == 2) {
      return Line.TF_KERAS_2;
    }
    return minor >= DEVELOPMENT_KERAS_3_MINOR ? Line.KERAS_3_DEVELOPMENT : Line.KERAS_3_RELEASED;
  }

  /** Whether this is tf.keras 2.x (lossagg's {@code keras2} numerics). */
  public boolean keras2() {
    return major == 2;
  }

  /** Whether this is the development line (Keras' HEAD), rather than tf.keras 2.x or a Keras 3 release. */
  public boolean developmentLine() {
    return line() == Line.KERAS_3_DEVELOPMENT;
  }

  /** Whether {@code spec} exists in this Keras. */
  public boolean has(LossSpec spec) {
    KerasVersion first = keras2() ? spec.firstTfKeras2() : spec.firstKeras3();
    return first != null && (minor < 0 || minor >= first.minor);
  }

  /** Rejects a loss this Keras does not have, naming the versions that have it. */
  public void check(LossSpec spec) {
    if (has(spec)) {
      return;
    }
    String in = keras2() ? "tf.keras 2.x" : "Keras 3";
    KerasVersion first = keras2() ? spec.firstTfKeras2() : spec.firstKeras3();
    String since = first == null ? in + " has no " + spec.className() : spec.className() + " was added in " + first;
    throw new IllegalArgumentException(spec.className() + ": keras_version '" + this + "' (" + line().description()
        + ") has no " + spec.className() + " (" + since + "); versions that have it: " + availability(spec));
  }

  /** The versions that have {@code spec}, for messages and docs. */
  public static String availability(LossSpec spec) {
    String keras3 = "Keras " + spec.firstKeras3() + " and later (e.g. '" + DEFAULT + "', the default, or '" + DEVELOPMENT + "')";
    return spec.firstTfKeras2() == null ? keras3
        : "tf.keras " + (spec.firstTfKeras2().minor <= 0 ? "2.x" : spec.firstTfKeras2() + " and later") + ", " + keras3;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerasVersion && ((KerasVersion) o).major == major && ((KerasVersion) o).minor == minor;
  }

  @Override
  public int hashCode() {
    return major * 1000 + minor;
  }

  /** {@code "2"}, {@code "2.9"}, {@code "3.15"}: the value {@link #parse} reads back. */
  @Override
  public String toString() {
    return minor < 0 ? Integer.toString(major) : major + "." + minor;
  }

  /** The first version of a line that has a loss, for {@link LossSpec}'s declarations. */
  static KerasVersion first(int major, int minor) {
    return new KerasVersion(major, minor);
  }
}
