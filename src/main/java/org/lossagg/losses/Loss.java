package org.lossagg.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;
import org.lossagg.numerics.Numerics;
import org.lossagg.numerics.RankAlignment;
import org.lossagg.reduce.Reduction;
import org.lossagg.reduce.SampleWeighting;

/**
 * A Keras loss: its options, its per-sample function, and the machinery Keras' base {@code Loss}
 * class wraps around it (cast to the dtype, rank alignment, masks, sample weights, reduction).
 * Subclasses implement {@link #perSample} only; everything common lives here once.
 *
 * <ul>
 *   <li>{@link #call} is the class form, {@code loss_obj(y_true, y_pred, sample_weight)}, on one batch.
 *   <li>{@link #function} is the functional form, {@code keras.losses.<fn>(y_true, y_pred)}: no
 *       cast beyond the compute dtype, no reduction.
 *   <li>{@link #newAggregation} gives a mergeable state that reduces a table chunk by chunk to the
 *       same value {@link #call} gives on the whole table as one batch.
 * </ul>
 */
public abstract class Loss {
  private final LossOptions options;

  protected Loss(LossOptions options) {
    this.options = options;
  }

  /**
   * The per-sample values (and optional output mask) of a batch, inputs already in the compute
   * dtype and, for the class form, rank-aligned.
   */
  protected abstract PerSample perSample(NdArray yTrue, NdArray yPred, Numerics n);

  /**
   * This loss' primitive kernels for rows of one sample ({@link RowKernel}), if it has any: bit
   * for bit what {@link #perSample} gives for such a row, without arrays. Losses that have one
   * write it right under their general formula.
   */
  public Optional<RowKernel> rowKernel() {
    return Optional.empty();
  }

  /**
   * This loss with another bound on the rows of one group its {@link #newAggregation()} collects,
   * for a loss that compares the rows of a group with each other ({@link RowOutput#GROUP_PAIRWISE}:
   * Circle; lossagg's own setting, not part of the Keras config). Other losses keep no rows and
   * return themselves.
   */
  public Loss withMaxGroupRows(int rows) {
    return this;
  }

  /** Whether the class form aligns y_true/y_pred ranks first (every built-in loss does). */
  protected boolean alignsInputs() {
    return true;
  }

  /** Whether the functional form aligns ranks itself (MSE, MAE, MAPE, MSLE, Cosine, Huber, LogCosh). */
  protected boolean functionAligns() {
    return false;
  }

  /** The dtype the class form computes in; tf.keras 2.x Huber overrides it (always floatx). */
  protected DType computeDtype() {
    return options.dtype();
  }

  public LossSpec spec() {
    return options.spec();
  }

  public LossOptions options() {
    return options;
  }

  public Reduction reduction() {
    return options.reduction();
  }

  public String name() {
    return options.name();
  }

  public DType dtype() {
    return options.dtype();
  }

  public boolean keras2() {
    return options.keras2();
  }

  /** Which Keras this loss reproduces. */
  public KerasVersion kerasVersion() {
    return options.kerasVersion();
  }

  /**
   * Whether a state of {@code other} may merge with a state of this loss: same class, config, dtype
   * and Keras version. States of different Keras versions never merge (their numbers differ).
   */
  public final boolean mergesWith(Loss other) {
    return other == this || (other.spec() == spec() && sameValues(other.getConfig(), getConfig())
        && other.dtype() == dtype() && other.kerasVersion().equals(kerasVersion()));
  }

  /** Config maps equal key by key, array values (axis lists, per-class alpha) by content. */
  private static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The error for merging a state of {@code other} into one of this loss. */
  final IllegalArgumentException cannotMerge(Loss other) {
    return new IllegalArgumentException(spec().className() + ": can only merge an aggregation of " + this + " (dtype "
        + dtype().kerasName() + ", keras_version " + kerasVersion() + "), got one of " + other + " (dtype "
        + other.dtype().kerasName() + ", keras_version " + other.kerasVersion() + ")");
  }

  /** The numerics of the class form. */
  public Numerics numerics() {
    return Numerics.of(computeDtype(), options.keras2());
  }

  /**
   * Keras' {@code get_config()}: name, reduction, then the loss' options in Keras' key order
   * ({@link LossSpec#configOrder}); dtype is not part of it. Reduction none is written as null.
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("reduction", reduction() == Reduction.NONE ? null : reduction().kerasName());
    for (String key : spec().configOrder()) {
      c.put(key, options.values().get(key));
    }
    return c;
  }

  /** The functional form computing in the loss dtype: per-sample values, no weighting or reduction. */
  public final NdArray function(NdArray yTrue, NdArray yPred) {
    return function(yTrue, yPred, dtype()).values();
  }

  /**
   * The functional form, computing in {@code computeDtype} (Keras computes in y_pred's dtype there):
   * per-sample values and the loss' output mask, if any.
   */
  public final PerSample function(NdArray yTrue, NdArray yPred, DType computeDtype) {
    Numerics n = Numerics.of(computeDtype, keras2());
    NdArray t = yTrue.map(n::r);
    NdArray p = yPred.map(n::r);
    if (functionAligns()) {
      RankAlignment.Pair a = RankAlignment.keras3(t, p);
      t = a.first();
      p = a.second();
    }
    return perSample(t, p, n);
  }

  /**
   * The functional form on one row, as Spark sees it: a scalar, vector or matrix sample, evaluated
   * as Keras evaluates a batch of one (a scalar is Keras shape (1, 1)). Returns the per-sample value
   * without the batch axis: a scalar for a vector row of most losses, a vector for a matrix row.
   */
  public final PerSample functionOnRow(NdArray yTrue, NdArray yPred, DType computeDtype) {
    PerSample ps = function(asBatchOfOne(yTrue), asBatchOfOne(yPred), computeDtype);
    NdArray v = ps.values();
    NdArray m = ps.mask();
    if (v.rank() > 0 && v.dim(0) == 1) {
      v = v.squeeze(0);
      m = m == null ? null : m.squeeze(0);
    }
    return new PerSample(v, m);
  }

  /**
   * The functional form on one row against explicit reference rows, for a loss whose spec declares
   * {@link LossSpec#referenceArgs()} (Keras' {@code circle(y_true, y_pred, ref_labels, ref_embeddings)}):
   * the row is a batch of one, compared with {@code references} (in the spec's order) instead of
   * with itself. Other losses refuse it.
   */
  public PerSample functionOnRow(NdArray yTrue, NdArray yPred, List<NdArray> references, DType computeDtype) {
    throw new IllegalArgumentException(spec().className() + " takes no reference inputs, got " + references.size());
  }

  /**
   * Refuses, with a message saying what to pass instead, options this loss cannot compute with
   * against reference rows ({@link #functionOnRow(NdArray, NdArray, List, DType)}); checked when
   * such a call is analysed. Nothing to refuse by default.
   */
  public void checkReferenceOptions() {}

  private static NdArray asBatchOfOne(NdArray row) {
    return row.rank() == 0 ? row.reshape(1, 1) : row.expandDims(0);
  }

  /** The class form without sample weights. */
  public final NdArray call(NdArray yTrue, NdArray yPred) {
    return call(yTrue, yPred, null, null);
  }

  /** The class form with sample weights (null for none). */
  public final NdArray call(NdArray yTrue, NdArray yPred, NdArray sampleWeight) {
    return call(yTrue, yPred, sampleWeight, null);
  }

  /**
   * The class form: {@code loss(y_true, y_pred, sample_weight)} with an optional Keras mask on
   * y_pred (0/1). Returns a scalar array, or the weighted per-sample values for reduction none.
   */
  public final NdArray call(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    SampleWeighting.Weighted w = weigh(yTrue, yPred, sampleWeight, mask);
    NdArray v = w.values();
    // Keras reduce_values returns a scalar or a (0,) result as it is, whatever the reduction.
    if (reduction() == Reduction.NONE || v.rank() == 0 || (v.rank() == 1 && v.size() == 0)) {
      return v;
    }
    if (reducesThroughAggregation()) {
      LossAggregation table = newAggregation();
      table.add(yTrue, yPred, sampleWeight, mask);
      return NdArray.scalar(table.result());
    }
    PerSampleAggregation agg = new PerSampleAggregation(this);
    agg.add(w);
    return NdArray.scalar(agg.result());
  }

  /** Steps 2–6 of Keras' {@code Loss.__call__} up to (not including) the reduction. */
  final SampleWeighting.Weighted weigh(NdArray yTrue, NdArray yPred, NdArray sampleWeight, NdArray mask) {
    Numerics n = numerics();
    RankAlignment.Pair a = castAndAlign(yTrue, yPred);
    PerSample ps = perSample(a.first(), a.second(), n);
    return SampleWeighting.apply(ps.values(), sampleWeight, mask, ps.mask(), n);
  }

  /** Steps 2–3 of Keras' {@code Loss.__call__}: y_true and y_pred in the dtype, ranks aligned. */
  final RankAlignment.Pair castAndAlign(NdArray yTrue, NdArray yPred) {
    Numerics n = numerics();
    NdArray t = yTrue.map(n::r);
    NdArray p = yPred.map(n::r);
    if (alignsInputs()) {
      return n.keras2() ? RankAlignment.keras2Squeeze(t, p) : RankAlignment.keras3(t, p);
    }
    return new RankAlignment.Pair(t, p);
  }

  /**
   * Whether the class form reduces a batch through {@link #newAggregation()} instead of summing
   * its weighted per-sample values. Losses whose batch value is not such a sum (Dice and Tversky
   * with {@code axis=None}) return true, so that {@link #call} and the aggregation of any split of
   * the batch agree bit for bit. Cases Keras returns unreduced (reduction none, a scalar or empty
   * weighted value) never get here.
   */
  protected boolean reducesThroughAggregation() {
    return false;
  }

  /**
   * A mergeable state reducing chunks of rows (batch axis first) to this loss' reduced value. The
   * default sums per-sample terms; losses whose batch value is not such a sum override this.
   */
  public LossAggregation newAggregation() {
    return new PerSampleAggregation(this);
  }

  /**
   * Restores a state of this loss' {@link #newAggregation()} from its {@link LossAggregation#toBytes()}
   * (written by a loss with the same options). Malformed bytes, or bytes of another kind of state,
   * are an {@link IllegalArgumentException}.
   */
  public LossAggregation aggregationFromBytes(byte[] bytes) {
    return PerSampleAggregation.fromBytes(this, bytes);
  }

  @Override
  public String toString() {
    return spec().className() + getConfig();
  }

  /**
   * The fluent builder every loss exposes ({@code BinaryCrossentropy.builder().fromLogits(true).build()}).
   * Loss-specific setters are added by subclasses.
   */
  public static class Builder<B extends Builder<B, L>, L extends Loss> {
    protected final LossOptions.Builder options;

    protected Builder(LossSpec spec) {
      this.options = spec.newOptions();
    }

    @SuppressWarnings("unchecked")
    protected final B self() {
      return (B) this;
    }

    /** Sets any option by its Keras name. */
    public B set(String key, Object value) {
      options.set(key, value);
      return self();
    }

    public B reduction(Reduction r) {
      options.reduction(r);
      return self();
    }

    public B reduction(String r) {
      options.set("reduction", r);
      return self();
    }

    public B name(String n) {
      options.name(n);
      return self();
    }

    public B dtype(DType d) {
      options.dtype(d);
      return self();
    }

    /** tf.keras 2.x numerics (e.g. epsilon inside the BCE logs): {@code kerasVersion("2")}. */
    public B keras2(boolean k) {
      options.keras2(k);
      return self();
    }

    /** Which Keras to reproduce: {@code "2.9"} (tf.keras 2.x), {@code "3.15"} (the default), {@code "3.16"}. */
    public B kerasVersion(String v) {
      options.kerasVersion(v);
      return self();
    }

    public B kerasVersion(KerasVersion v) {
      options.kerasVersion(v);
      return self();
    }

    @SuppressWarnings("unchecked")
    public L build() {
      return (L) options.build().create();
    }
  }
}
