package org.lossagg.jobs;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code lossagg-evaluate} run found: the losses it evaluated and, per slice and loss, the
 * reduced values, row counts and a histogram of the per-row loss. Feeds the console table, the
 * JSON/CSV/Parquet summaries and the HTML report.
 *
 * @param title a heading for reports ("lossagg demo", the input's name)
 * @param input where the rows came from (path and format, table name, or "generated: N rows, seed S")
 * @param sliceColumns the group-by columns, in order (empty: the whole table is one slice)
 * @param losses the evaluated losses, in the order given
 * @param results one entry per (slice, loss), slices in sorted order, losses in {@code losses} order
 * @param totalRows rows in the input
 * @param elapsedSeconds wall time of the evaluation
 * @param notes remarks for the reader (e.g. a loss whose per-row values are not defined)
 */
public record EvaluationSummary(String title, String input, List<String> sliceColumns, List<LossEntry> losses,
    List<SliceResult> results, long totalRows, double elapsedSeconds, List<String> notes) {
  public EvaluationSummary {
    sliceColumns = List.copyOf(sliceColumns);
    losses = List.copyOf(losses);
    results = List.copyOf(results);
    notes = List.copyOf(notes);
  }

  /**
   * One evaluated loss.
   *
   * @param name the name results use (unique in a run, e.g. "bce_logits")
   * @param kerasClass the Keras class name ("BinaryCrossentropy")
   * @param config the Keras JSON the loss was built from ({@code keras.losses.serialize} form)
   * @param yTrue the y_true column
   * @param yPred the y_pred column
   * @param sampleWeight the sample weight column, or null for none
   * @param reduction the configured Keras reduction ("sum_over_batch_size", ...)
   * @param dtype "float32" or "float64"
   */
  public record LossEntry(String name, String kerasClass, String config, String yTrue, String yPred,
      String sampleWeight, String reduction, String dtype) {
    public LossEntry {
      Objects.requireNonNull(name);
      Objects.requireNonNull(kerasClass);
    }
  }

  /**
   * The histogram of the finite per-row loss values of one slice, in fixed octave bins (see
   * {@code OctaveHistogram}: one bin per power of two of magnitude on each side of zero, and one for 0).
   *
   * @param min the smallest finite value (NaN when there is none)
   * @param max the largest finite value (NaN when there is none)
   * @param bins in value order: the negative octaves, the zero bin (when it counted a row), the positive
   *     octaves; the octaves between the first and the last counted one on each side are all present
   * @param nonFinite rows whose per-row loss is NaN or infinite (not in any bin)
   */
  public record Histogram(double min, double max, List<Bin> bins, long nonFinite) {
    public Histogram {
      bins = List.copyOf(bins);
    }

    /** Rows in the bins (the finite values). */
    public long finiteCount() {
      return bins.stream().mapToLong(Bin::count).sum();
    }
  }

  /**
   * One histogram bin: {@code [lower, upper)} when positive, {@code (lower, upper]} when negative (the
   * closed end is the one nearer zero), and the single value 0 when {@code lower == upper == 0}.
   */
  public record Bin(double lower, double upper, long count) {
    /** The interval as text, e.g. {@code [0.25, 0.5)}, {@code (-1, -0.5]} or {@code [0]}. */
    public String interval(java.util.function.DoubleFunction<String> number) {
      if (lower == 0 && upper == 0) {
        return "[0]";
      }
      return upper > 0 ? "[" + number.apply(lower) + ", " + number.apply(upper) + ")"
          : "(" + number.apply(lower) + ", " + number.apply(upper) + "]";
    }
  }

  /**
   * The result of one loss on one slice.
   *
   * @param sliceValues the slice's group-by values, as text (NULL as "null"), in {@code sliceColumns} order
   * @param loss the {@link LossEntry#name()}
   * @param rows rows of the slice
   * @param skippedRows rows left out because y_true or y_pred is NULL (Keras' mask)
   * @param value the loss under its configured reduction (Keras' number), null when no row counted
   * @param reductions every Keras reduction's value, keyed by its Keras name, in the order
   *     sum_over_batch_size, sum, mean, mean_with_sample_weight
   * @param histogram the per-row loss histogram, or null when the loss has no per-row value
   *     (Dice/Tversky with axis=None, Circle)
   */
  public record SliceResult(List<String> sliceValues, String loss, long rows, long skippedRows, Double value,
      Map<String, Double> reductions, Histogram histogram) {
    public SliceResult {
      sliceValues = List.copyOf(sliceValues);
      reductions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reductions));
    }
  }
}
