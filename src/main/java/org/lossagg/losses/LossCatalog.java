package org.lossagg.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of every loss lossagg implements. SQL registration, docs and the parameterised tests
 * all read it; adding a loss means adding its {@link LossSpec} here.
 */
public final class LossCatalog {
  private static final List<LossSpec> ALL = List.of(
      BinaryCrossentropy.SPEC,
      BinaryFocalCrossentropy.SPEC,
      CategoricalCrossentropy.SPEC,
      CategoricalFocalCrossentropy.SPEC,
      SparseCategoricalCrossentropy.SPEC,
      Poisson.SPEC,
      KLDivergence.SPEC,
      CTC.SPEC,
      MeanSquaredError.SPEC,
      MeanAbsoluteError.SPEC,
      MeanAbsolutePercentageError.SPEC,
      MeanSquaredLogarithmicError.SPEC,
      CosineSimilarity.SPEC,
      Huber.SPEC,
      LogCosh.SPEC,
      Hinge.SPEC,
      SquaredHinge.SPEC,
      CategoricalHinge.SPEC,
      Dice.SPEC,
      Tversky.SPEC,
      CategoricalGeneralizedCrossEntropy.SPEC,
      Circle.SPEC);

  private static final Map<String, LossSpec> BY_IDENTIFIER = index();

  private LossCatalog() {}

  /** Every loss, in catalogue order. */
  public static List<LossSpec> all() {
    return ALL;
  }

  /**
   * The loss a Keras identifier names: a class name ({@code BinaryCrossentropy}), a function name
   * ({@code binary_crossentropy}) or an alias ({@code bce}). Case matters, as in Keras.
   */
  public static Optional<LossSpec> find(String identifier) {
    return Optional.ofNullable(identifier == null ? null : BY_IDENTIFIER.get(identifier.trim()));
  }

  /** Like {@link #find}, but an unknown identifier is an exception listing what is known. */
  public static LossSpec get(String identifier) {
    return find(identifier).orElseThrow(() -> new IllegalArgumentException(
        "unknown loss '" + identifier + "'; known losses: " + knownNames()));
  }

  /** The known class names, comma-separated. */
  public static String knownNames() {
    StringBuilder sb = new StringBuilder();
    for (LossSpec s : ALL) {
      sb.append(sb.length() == 0 ? "" : ", ").append(s.className());
    }
    return sb.toString();
  }

  private static Map<String, LossSpec> index() {
    Map<String, LossSpec> m = new LinkedHashMap<>();
    for (LossSpec s : ALL) {
      put(m, s.className(), s);
      put(m, s.functionName(), s);
      put(m, s.defaultName(), s);
      for (String a : s.aliases()) {
        put(m, a, s);
      }
    }
    return m;
  }

  private static void put(Map<String, LossSpec> m, String key, LossSpec s) {
    LossSpec prev = m.putIfAbsent(key, s);
    if (prev != null && prev != s) {
      throw new IllegalStateException("identifier '" + key + "' names both " + prev + " and " + s);
    }
    // Keras identifiers are case-sensitive; lower-case lookups of class names are not added on purpose.
    assert key.equals(key.trim()) : key.toLowerCase(Locale.ROOT);
  }
}
