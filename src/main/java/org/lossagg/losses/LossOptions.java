package org.lossagg.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lossagg.numerics.DType;
import org.lossagg.reduce.Reduction;

/**
 * The immutable, validated configuration of one loss: the common Keras arguments (reduction, name,
 * dtype), lossagg's {@code keras2} numerics switch, and the loss' own options at their canonical Java
 * values (see {@link OptionType}). Unknown keys and out-of-range values are rejected when built.
 */
public final class LossOptions {
  private final LossSpec spec;
  private final Map<String, Object> values;
  private final Reduction reduction;
  private final String name;
  private final DType dtype;
  private final boolean keras2;

  private LossOptions(Builder b) {
    this.spec = b.spec;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
    this.reduction = b.reduction;
    this.name = b.name == null ? spec.defaultName() : b.name;
    this.dtype = b.dtype;
    this.keras2 = b.keras2;
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

  public boolean keras2() {
    return keras2;
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
    b.keras2 = keras2;
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
    private boolean keras2;

    private Builder(LossSpec spec) {
      this.spec = spec;
      for (OptionSpec o : spec.options()) {
        values.put(o.name(), o.coerce(spec.className(), o.defaultValue()));
      }
    }

    /**
     * Sets any config key: {@code reduction}, {@code name}, {@code dtype}, {@code keras2} or one of
     * the loss' options.
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

    public Builder keras2(boolean k) {
      this.keras2 = k;
      return this;
    }

    public LossOptions build() {
      if (keras2 && !spec.inKeras2()) {
        throw new IllegalArgumentException(spec.className() + ": keras2=true asks for tf.keras 2.x numerics, but tf.keras 2.x has no "
            + spec.className() + "; use Keras 3 semantics (keras2=false)");
      }
      return new LossOptions(this);
    }
  }
}
