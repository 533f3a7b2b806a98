package org.lossagg.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.lossagg.reduce.Reduction;
import org.lossagg.spark.KerasLossReductions;
import org.lossagg.spark.LossAggregates;

/**
 * The aggregation of {@code lossagg-stream}: per event-time window (tumbling or sliding) and slice,
 * each configured loss under every Keras reduction from one {@code keras_loss} state, with the rows
 * that counted and the rows skipped (NULL y_true or y_pred). One output row per window, slice and
 * loss: {@code window_start, window_end} (with a window), the slice columns, {@code loss, dtype,
 * reduction, value} (the configured reduction's value), {@code sum_over_batch_size, sum, mean,
 * mean_with_sample_weight, rows, skipped_rows}. Values are DOUBLE holding the loss dtype's value
 * exactly (a float32 loss gives its float32 value), as {@code keras_loss} gives it on the same rows
 * as one batch.
 */
final class StreamingLosses {
  /** An event-time window: {@code slide} null for tumbling windows, {@code watermark} null for none. */
  record EventWindow(String eventTime, String duration, String slide, String watermark) {}

  private StreamingLosses() {}

  /**
   * The output rows of {@code input} (a streaming or a batch table: the same plan serves both, which
   * the tests use to compare). Columns and losses are checked now, naming the option.
   */
  static Dataset<Row> aggregate(InputTable input, List<String> slices, List<JobLoss> losses, EventWindow window) {
    Dataset<Row> df = input.rows();
    List<Column> keys = new ArrayList<>();
    if (window != null) {
      Column t = input.column(window.eventTime(), "--event-time");
      DataType type = df.select(t).schema().fields()[0].dataType();
      if (type != DataTypes.TimestampType && type != DataTypes.TimestampNTZType) {
        throw new JobInputException("--event-time column '" + window.eventTime() + "' has type " + type.sql()
            + "; it must be a TIMESTAMP (give --schema with the column as TIMESTAMP, or cast it upstream)");
      }
      if (window.watermark() != null) {
        df = df.withWatermark(window.eventTime(), window.watermark());
        input = InputTable.of(df, input.description(), input.csv());
      }
      Column w = window.slide() == null ? functions.window(df.col(window.eventTime()), window.duration())
          : functions.window(df.col(window.eventTime()), window.duration(), window.slide());
      keys.add(w.as("window"));
    }
    for (String s : slices) {
      keys.add(input.column(s, "--group-by"));
    }
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      aggs.add(reductions(input, losses.get(i)).as("l" + i));
    }
    Dataset<Row> grouped = df.groupBy(keys.toArray(Column[]::new))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    if (window != null) {
      out.add(col("window.start").as("window_start"));
      out.add(col("window.end").as("window_end"));
    }
    for (String s : slices) {
      out.add(grouped.col(s));
    }
    List<Column> perLoss = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      perLoss.add(lossRow(losses.get(i), grouped.col("l" + i)));
    }
    out.add(inline(array(perLoss.toArray(Column[]::new))));
    return grouped.select(out.toArray(Column[]::new));
  }

  private static Column reductions(InputTable input, JobLoss j) {
    String of = " of loss '" + j.name() + "'";
    Column yTrue = input.lossInput(j.yTrue(), "y_true" + of);
    Column yPred = input.lossInput(j.yPred(), "y_pred" + of);
    Column weight = j.sampleWeight() == null ? null : input.lossInput(j.sampleWeight(), "sample_weight" + of);
    Column c = LossAggregates.kerasLossReductions(j.loss(), yTrue, yPred, weight);
    input.requireAggregatable(j, c);
    return c;
  }

  /** The struct of one loss' output row; float32 values widen to DOUBLE exactly. */
  private static Column lossRow(JobLoss j, Column r) {
    Reduction configured = j.loss().reduction() == Reduction.AUTO ? Reduction.SUM_OVER_BATCH_SIZE : j.loss().reduction();
    List<Column> fields = new ArrayList<>(List.of(lit(j.name()).as("loss"), lit(j.loss().dtype().kerasName()).as("dtype"),
        lit(configured.kerasName()).as("reduction"), r.getField(configured.kerasName()).cast("double").as("value")));
    for (Reduction red : KerasLossReductions.REDUCTIONS) {
      fields.add(r.getField(red.kerasName()).cast("double").as(red.kerasName()));
    }
    fields.add(r.getField("rows").as("rows"));
    fields.add(r.getField("skipped_rows").as("skipped_rows"));
    return struct(fields.toArray(Column[]::new));
  }
}
