package org.lossagg.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the rest of lossagg needs to know about one loss, declared once next to its kernel:
 * Keras class and function names, default {@code name}, accepted identifiers, constructor options in
 * Keras order, the functional form's option order (the SQL argument order), what a row returns, the
 * reference inputs of its functional form if it has any, and its docs: a one-line formula, notes and
 * runnable SQL examples with their output. {@link LossCatalog} lists every spec.
 */
public final class LossSpec {
  private final String className;
  private final String functionName;
  private final String defaultName;
  private final List<String> aliases;
  private final List<OptionSpec> options;
  private final List<String> functionArgs;
  private final List<String> configOrder;
  private final RowOutput rowOutput;
  private final String formula;
  private final Function<LossOptions, Loss> factory;
  private final KerasVersion firstKeras3;
  private final KerasVersion firstTfKeras2;
  private final Set<String> leftOutOfReleasedConfig;
  private final List<ReferenceArg> referenceArgs;
  private final List<String> requiredWithReferences;
  private final List<String> notes;
  private final List<SqlExample> sqlExamples;

  /**
   * An input of the functional form after y_true and y_pred that holds other rows to compare with
   * (Circle's {@code ref_labels}, {@code ref_embeddings}): its name, its rank as one call's input
   * (ref_labels (num_refs,) is 1, ref_embeddings (num_refs, dim) is 2) and what it holds.
   */
  public record ReferenceArg(String name, int rank, String description) {}

  /**
   * A runnable example of the per-row SQL function: the statement (ending in {@code ;}) and the
   * output {@code spark-sql} prints for it. Every example is run by a test that compares the output.
   */
  public record SqlExample(String sql, String output) {}

  private LossSpec(Builder b) {
    this.className = b.className;
    this.functionName = b.functionName;
    this.defaultName = b.defaultName == null ? b.functionName : b.defaultName;
    this.aliases = List.copyOf(b.aliases);
    this.options = List.copyOf(b.options);
    List<String> fa = b.functionArgs;
    if (fa == null) {
      fa = new ArrayList<>();
      for (OptionSpec o : b.options) {
        fa.add(o.name());
      }
    }
    this.functionArgs = List.copyOf(fa);
    List<String> co = b.configOrder;
    if (co == null) {
      co = new ArrayList<>();
      for (OptionSpec o : b.options) {
        co.add(o.name());
      }
    } else if (co.size() != b.options.size() || !co.containsAll(optionNames(b.options))) {
      throw new IllegalStateException(b.className + ": configOrder " + co + " must list each option exactly once: "
          + optionNames(b.options));
    }
    this.configOrder = List.copyOf(co);
    this.rowOutput = b.rowOutput;
    this.formula = b.formula;
    this.factory = b.factory;
    this.firstKeras3 = b.firstKeras3;
    this.firstTfKeras2 = b.firstTfKeras2;
    this.leftOutOfReleasedConfig = Set.copyOf(b.leftOutOfReleasedConfig);
    for (String key : leftOutOfReleasedConfig) {
      option(key);
    }
    for (String a : functionArgs) {
      option(a);
    }
    this.referenceArgs = List.copyOf(b.referenceArgs);
    this.requiredWithReferences = List.copyOf(b.requiredWithReferences);
    if (!functionArgs.subList(0, Math.min(requiredWithReferences.size(), functionArgs.size()))
        .equals(requiredWithReferences) || (!requiredWithReferences.isEmpty() && referenceArgs.isEmpty())) {
      throw new IllegalStateException(b.className + ": the options required with reference inputs "
          + requiredWithReferences + " must open the function arguments " + functionArgs
          + " and need reference inputs");
    }
    this.notes = List.copyOf(b.notes);
    this.sqlExamples = List.copyOf(b.sqlExamples);
    for (SqlExample e : sqlExamples) {
      if (!e.sql().startsWith("SELECT " + sqlName() + "(") || !e.sql().endsWith(";")) {
        throw new IllegalStateException(b.className + ": a SQL example is a 'SELECT " + sqlName() + "(...);' statement, got "
            + e.sql());
      }
    }
  }

  public static Builder builder(String className, String functionName) {
    return new Builder(className, functionName);
  }

  /** Keras class name, e.g. {@code BinaryCrossentropy}. */
  public String className() {
    return className;
  }

  /** Keras function name, e.g. {@code binary_crossentropy}; the SQL function is {@code loss_<functionName>}. */
  public String functionName() {
    return functionName;
  }

  /** The SQL name of the per-row function. */
  public String sqlName() {
    return "loss_" + functionName;
  }

  /** Default {@code name} in the Keras config (e.g. {@code huber_loss} for Huber). */
  public String defaultName() {
    return defaultName;
  }

  /** Further identifiers {@code keras.losses.get} accepts for this loss (e.g. {@code mse}). */
  public List<String> aliases() {
    return aliases;
  }

  /** Constructor options in Keras' positional order, without reduction, name and dtype. */
  public List<OptionSpec> options() {
    return options;
  }

  /** Options of the Keras functional form, in its signature order (the SQL argument order). */
  public List<String> functionArgs() {
    return functionArgs;
  }

  /**
   * Options in the key order of Keras' {@code get_config()} (after name and reduction). Usually the
   * constructor order; the focal losses put from_logits, label_smoothing and axis first.
   */
  public List<String> configOrder() {
    return configOrder;
  }

  public RowOutput rowOutput() {
    return rowOutput;
  }

  /**
   * Whether tf.keras 2.x has this loss, so that {@code keras2} numerics mean something for it (CTC,
   * Dice, Tversky, Circle and CategoricalGeneralizedCrossEntropy are Keras 3 only).
   */
  public boolean inKeras2() {
    return firstTfKeras2 != null;
  }

  /** The first Keras 3 release that has this loss (3.0 for most). */
  public KerasVersion firstKeras3() {
    return firstKeras3;
  }

  /** The first tf.keras 2.x release that has this loss, or null when tf.keras 2.x has none. */
  public KerasVersion firstTfKeras2() {
    return firstTfKeras2;
  }

  /**
   * Whether Keras' {@code get_config()} writes option {@code key} in {@code version}: Keras 3.15.x
   * (and the releases before it) leave SparseCategoricalCrossentropy's and CosineSimilarity's
   * {@code axis} and Huber's {@code delta} out, although their constructors take them.
   */
  public boolean writesInConfig(String key, KerasVersion version) {
    return version.line() != KerasVersion.Line.KERAS_3_RELEASED || !leftOutOfReleasedConfig.contains(key);
  }

  /** One-line formula for docs. */
  public String formula() {
    return formula;
  }

  /**
   * The reference inputs the functional form takes after y_true and y_pred, in order (empty for
   * every loss but Circle). A loss with some implements {@link Loss#functionOnRow(org.lossagg.numerics.NdArray,
   * org.lossagg.numerics.NdArray, List, org.lossagg.numerics.DType)}.
   */
  public List<ReferenceArg> referenceArgs() {
    return referenceArgs;
  }

  /**
   * The options a call with reference inputs must give (they open {@link #functionArgs()}): Circle's
   * remove_diagonal, which must be false there.
   */
  public List<String> requiredWithReferences() {
    return requiredWithReferences;
  }

  /** Notes for the per-row function's docs beyond what its row output implies (Keras' behaviour matched). */
  public List<String> notes() {
    return notes;
  }

  /** The runnable examples of the per-row SQL function, with their printed output. */
  public List<SqlExample> sqlExamples() {
    return sqlExamples;
  }

  /** The option called {@code name}, or an exception listing the options this loss has. */
  public OptionSpec option(String name) {
    for (OptionSpec o : options) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException(className + ": unknown option '" + name + "'; allowed: " + allowedKeys());
  }

  public boolean hasOption(String name) {
    for (OptionSpec o : options) {
      if (o.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** All config keys, for error messages. */
  public String allowedKeys() {
    List<String> keys = new ArrayList<>(Arrays.asList("name", "reduction", "dtype"));
    for (OptionSpec o : options) {
      keys.add(o.name());
    }
    return String.join(", ", keys);
  }

  /** Starts a set of options for this loss, all at their Keras defaults. */
  public LossOptions.Builder newOptions() {
    return LossOptions.builder(this);
  }

  /** The loss with all options at their Keras defaults. */
  public Loss create() {
    return newOptions().build().create();
  }

  private static List<String> optionNames(List<OptionSpec> options) {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : options) {
      names.add(o.name());
    }
    return names;
  }

  Loss instantiate(LossOptions options) {
    return factory.apply(options);
  }

  @Override
  public String toString() {
    return className;
  }

  /** Declares a spec. */
  public static final class Builder {
    private final String className;
    private final String functionName;
    private String defaultName;
    private final List<String> aliases = new ArrayList<>();
    private final List<OptionSpec> options = new ArrayList<>();
    private List<String> functionArgs;
    private List<String> configOrder;
    private RowOutput rowOutput = RowOutput.DROPS_AXIS;
    private String formula = "";
    private Function<LossOptions, Loss> factory;
    private KerasVersion firstKeras3 = KerasVersion.first(3, 0);
    private KerasVersion firstTfKeras2 = KerasVersion.first(2, 0);
    private final Set<String> leftOutOfReleasedConfig = new HashSet<>();
    private final List<ReferenceArg> referenceArgs = new ArrayList<>();
    private final List<String> requiredWithReferences = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<SqlExample> sqlExamples = new ArrayList<>();

    private Builder(String className, String functionName) {
      this.className = className;
      this.functionName = functionName;
    }

    public Builder defaultName(String n) {
      this.defaultName = n;
      return this;
    }

    public Builder aliases(String... a) {
      Collections.addAll(aliases, a);
      return this;
    }

    public Builder option(OptionSpec o) {
      options.add(o);
      return this;
    }

    public Builder functionArgs(String... names) {
      this.functionArgs = Arrays.asList(names);
      return this;
    }

    /** Key order of Keras' get_config, when it differs from the constructor order. */
    public Builder configOrder(String... names) {
      this.configOrder = Arrays.asList(names);
      return this;
    }

    public Builder rowOutput(RowOutput r) {
      this.rowOutput = r;
      return this;
    }

    /**
     * Declares a loss tf.keras 2.x does not have, added in Keras 3.{@code minor}: a
     * {@code keras_version} without it is refused.
     */
    public Builder keras3Only(int minor) {
      this.firstTfKeras2 = null;
      this.firstKeras3 = KerasVersion.first(3, minor);
      return this;
    }

    /** Declares a loss tf.keras 2.x has from 2.{@code minor} on (earlier 2.x versions are refused). */
    public Builder inTfKeras2From(int minor) {
      this.firstTfKeras2 = KerasVersion.first(2, minor);
      return this;
    }

    /** Options Keras 3.15.x's {@code get_config()} does not write (see {@link LossSpec#writesInConfig}). */
    public Builder leftOutOfReleasedConfig(String... keys) {
      Collections.addAll(leftOutOfReleasedConfig, keys);
      return this;
    }

    public Builder formula(String f) {
      this.formula = f;
      return this;
    }

    /** A reference input of the functional form, after y_true, y_pred and the ones declared before. */
    public Builder referenceArg(String name, int rank, String description) {
      referenceArgs.add(new ReferenceArg(name, rank, description));
      return this;
    }

    /** Options a call with reference inputs must give, the first function arguments in order. */
    public Builder requiredWithReferences(String... names) {
      Collections.addAll(requiredWithReferences, names);
      return this;
    }

    /** A sentence for the per-row function's docs. */
    public Builder note(String sentence) {
      notes.add(sentence);
      return this;
    }

    /** A SQL example of the per-row function and the output {@code spark-sql} prints for it. */
    public Builder sqlExample(String sql, String output) {
      sqlExamples.add(new SqlExample(sql, output));
      return this;
    }

    public LossSpec factory(Function<LossOptions, Loss> f) {
      this.factory = f;
      return new LossSpec(this);
    }
  }
}
