package org.lossagg.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lossagg.numerics.DType;
import org.lossagg.reduce.Reduction;

/**
 * The immutable, validated configuration of one loss: the common Keras arguments (reduction, name,
 * dtype), which Keras it reproduces ({@link KerasVersion}; {@code keras2} is tf.keras 2.x), and the loss' own options at their canonical Java
 * values (see {@link OptionType}). Unknown keys and out-of-range values are rejected when built.
 */
public final class LossOptions {
  private final LossSpec spec;
  private final Map<String, Object> values;
  private final Reduction reduction;
  private final String name;
  private final DType dtype;
  private final KerasVersion kerasVersion;

  private LossOptions(Builder b) {
    this.spec = b.spec;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
    this.reduction = b.reduction;
    this.name = b.name == null ? spec.defaultName() : b.name;
    this.dtype = b.dtype;
    this.kerasVersion = b.kerasVersion;
  }

  public static Builder builder(LossSpec spec) {
    return new Builder(spec);
  }

  public LossSpec spec() {
    return spec;
  }

  public Reduction reduction() {
    return reduction;
  }

  public String name() {
    return name;
  }

  public DType dtype() {
    return dtype;
  }

  /** Whether these are tf.keras 2.x numerics. */
  public boolean keras2() {
    return kerasVersion.keras2();
  }

  /** Which Keras the loss reproduces ({@link KerasVersion#DEFAULT} unless set). */
  public KerasVersion kerasVersion() {
    return kerasVersion;
  }

  /** The loss' own options in Keras order (canonical values; arrays are shared, do not modify). */
  public Map<String, Object> values() {
    return values;
  }

  public Object get(String option) {
    spec.option(option);
    return values.get(option);
  }

  public boolean bool(String option) {
    return (Boolean) get(option);
  }

  public double number(String option) {
    return (Double) get(option);
  }

  public int integer(String option) {
    return (Integer) get(option);
  }

  /** A builder holding these values, to derive a modified copy. */
  public Builder toBuilder() {
    Builder b = new Builder(spec);
    b.values.putAll(values);
    b.reduction = reduction;
    b.name = name;
    b.dtype = dtype;
    b.kerasVersion = kerasVersion;
    return b;
  }

  /** Creates the loss these options describe. */
  public Loss create() {
    return spec.instantiate(this);
  }

  /** Collects options; every setter validates at once and names the loss, option, value and what is allowed. */
  public static final class Builder {
    private final LossSpec spec;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private Reduction reduction = Reduction.SUM_OVER_BATCH_SIZE;
    private String name;
    private DType dtype = DType.FLOAT32;
    private KerasVersion kerasVersion = KerasVersion.DEFAULT;

    private Builder(LossSpec spec) {
      this.spec = spec;
      for (OptionSpec o : spec.options()) {
        values.put(o.name(), o.coerce(spec.className(), o.defaultValue()));
      }
    }

    /**
     * Sets any config key: {@code reduction}, {@code name}, {@code dtype}, {@code keras_version},
     * {@code keras2} or one of the loss' options.
     */
    public Builder set(String key, Object value) {
      switch (key) {
        case "reduction":
          if (value instanceof Reduction) {
            return reduction((Reduction) value);
          }
          try {
            if (value == null || value instanceof String) {
              return reduction(Reduction.parse((String) value));
            }
          } catch (IllegalArgumentException e) {
            // rethrown below with the loss name and the quoted value
          }
          throw new IllegalArgumentException(spec.className() + ": option 'reduction' got "
              + (value instanceof String ? "'" + value + "'" : String.valueOf(value))
              + "; expected one of 'sum_over_batch_size' (default), 'sum', 'mean', 'mean_with_sample_weight',"
              + " 'none' or null, or tf.keras 2.x 'auto'");
        case "name":
          if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(spec.className() + ": option 'name' got " + value + "; expected a string");
          }
          this.name = (String) value;
          return this;
        case "dtype":
          if (value instanceof DType) {
            return dtype((DType) value);
          }
          try {
            return dtype(DType.parse(value == null ? null : value.toString()));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec.className() + ": " + e.getMessage(), e);
          }
        case "keras2":
          if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException(spec.className() + ": option 'keras2' got " + value + "; expected true or false");
          }
          return keras2((Boolean) value);
        case "keras_version":
          return kerasVersion(versionText(value));
        default:
          OptionSpec o = spec.option(key);
          values.put(key, o.coerce(spec.className(), value));
          return this;
      }
    }

    public Builder reduction(Reduction r) {
      if (r == null) {
        throw new IllegalArgumentException(spec.className() + ": reduction must not be null (use Reduction.NONE)");
      }
      this.reduction = r;
      return this;
    }

    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public Builder dtype(DType d) {
      if (d == null) {
        throw new IllegalArgumentException(spec.className() + ": dtype must not be null (float32 or float64)");
      }
      this.dtype = d;
      return this;
    }

    /**
     * tf.keras 2.x numerics ({@code keras_version} "2", keeping a tf.keras 2.x version already set),
     * or, with false, leaves tf.keras 2.x for the default Keras 3 release.
     */
    public Builder keras2(boolean k) {
      if (k != kerasVersion.keras2()) {
        this.kerasVersion = k ? KerasVersion.TF_KERAS_2 : KerasVersion.DEFAULT;
      }
      return this;
    }

    /** Which Keras to reproduce. */
    public Builder kerasVersion(KerasVersion v) {
      if (v == null) {
        throw new IllegalArgumentException(spec.className() + ": keras_version must not be null; expected one of "
            + KerasVersion.KNOWN);
      }
      this.kerasVersion = v;
      return this;
    }

    /** Which Keras to reproduce, as a version string ({@code "2.9"}, {@code "3.15"}, {@code "3.16"}). */
    public Builder kerasVersion(String v) {
      try {
        return kerasVersion(KerasVersion.parse(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(spec.className() + ": " + e.getMessage(), e);
      }
    }

    private String versionText(Object value) {
      if (value instanceof String) {
        return (String) value;
      }
      if (value instanceof Integer || value instanceof Long) {
        return value.toString(); // 2 or 3: a major version
      }
      throw new IllegalArgumentException(spec.className() + ": keras_version got " + value + (value instanceof Number
          ? " (a number cannot tell 3.1 from 3.10; write the version as a string, e.g. \"3.15\")" : "")
          + "; expected a string, one of " + KerasVersion.KNOWN);
    }

    public LossOptions build() {
      kerasVersion.check(spec);
      return new LossOptions(this);
    }
  }
}
