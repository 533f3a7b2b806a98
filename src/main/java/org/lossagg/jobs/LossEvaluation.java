package org.lossagg.jobs;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.lossagg.jobs.EvaluationSummary.Histogram;
import org.lossagg.jobs.EvaluationSummary.LossEntry;
import org.lossagg.jobs.EvaluationSummary.SliceResult;
import org.lossagg.losses.Loss;
import org.lossagg.losses.RowOutput;
import org.lossagg.numerics.DType;
import org.lossagg.reduce.Reduction;
import org.lossagg.spark.KerasLossReductions;
import org.lossagg.spark.KerasLossRowValueReductions;
import org.lossagg.spark.LossAggregates;
import org.lossagg.spark.LossColumns;

/**
 * The Spark side of {@code lossagg-evaluate}: for each slice (group-by values) and loss, Keras' value
 * under every reduction from one {@code keras_loss} state ({@link KerasLossReductions}: the numbers
 * {@code keras_loss} gives, with the loss computed once), row and skipped-row counts, the octave
 * histogram of the per-row loss and the worst rows ({@link RowLossProfile}), all from one aggregation
 * over the input; plus the per-row table (a second pass, only when asked for).
 *
 * <p>Per-row values are Keras' {@code reduction=None} output in the loss dtype: y_pred is cast to
 * FLOAT for float32 losses before the per-row function, as Keras casts it.
 */
final class LossEvaluation {
  /** The reductions reported for every loss, in report order. */
  static final List<Reduction> REDUCTIONS = KerasLossReductions.REDUCTIONS;
  /** The per-row loss of loss i in the aggregation's input ({@link #evaluate}). */
  private static final String ROW_LOSS_COLUMN = "__lossagg_row_loss_";
  /** The y_pred row length of loss i, for losses reduced from their per-row values ({@link Prepared#reducedFromRowValues}). */
  private static final String ROW_WIDTH_COLUMN = "__lossagg_row_width_";

  private final InputTable input;
  private final List<String> groupBy;
  private final List<Column> groupColumns = new ArrayList<>();
  private final List<Prepared> losses = new ArrayList<>();

  /**
   * A loss with its resolved input columns and, where it has one, its per-row loss; {@code yPredWidth}
   * is set (the y_pred row length, 0 for a number) when its reductions come from the per-row loss
   * ({@link LossAggregates#kerasLossReductionsOfRowValues}: the loss computed once per row).
   */
  private record Prepared(JobLoss job, Column yTrue, Column yPred, Column weight, Column rowValue,
      Column rowLoss, String noRowLoss, Column yPredWidth) {
    Prepared(JobLoss job, Column yTrue, Column yPred, Column weight, Column rowValue, Column rowLoss, String noRowLoss) {
      this(job, yTrue, yPred, weight, rowValue, rowLoss, noRowLoss, null);
    }

    boolean reducedFromRowValues() {
      return yPredWidth != null;
    }
  }

  /** Resolves and type-checks every column and loss now, so bad input fails before any Spark job. */
  LossEvaluation(InputTable input, List<String> groupBy, List<JobLoss> jobLosses) {
    this.input = input;
    this.groupBy = List.copyOf(groupBy);
    for (String g : groupBy) {
      groupColumns.add(input.column(g, "--group-by"));
    }
    for (JobLoss j : jobLosses) {
      losses.add(prepare(j));
    }
  }

  private Prepared prepare(JobLoss j) {
    String of = " of loss '" + j.name() + "'";
    Column yTrue = input.lossInput(j.yTrue(), "y_true" + of);
    Column yPred = input.lossInput(j.yPred(), "y_pred" + of);
    Column weight = j.sampleWeight() == null ? null : input.lossInput(j.sampleWeight(), "sample_weight" + of);
    Dataset<Row> df = input.rows();
    input.requireAggregatable(j, LossAggregates.kerasLoss(j.loss(), yTrue, yPred, weight));
    Loss loss = j.loss();
    RowOutput kind = loss.spec().rowOutput();
    if (kind == RowOutput.GROUP_PAIRWISE) {
      return new Prepared(j, yTrue, yPred, weight, null, null, "Circle compares each row with the other rows of "
          + "its batch, so it has no per-row value here");
    }
    if (kind == RowOutput.TABLE_OR_ROW && loss.options().get("axis") == null) {
      return new Prepared(j, yTrue, yPred, weight, null, null, loss.spec().className() + " with axis=None is one "
          + "value per table, with no per-row value");
    }
    DataType predType = df.select(yPred).schema().fields()[0].dataType();
    DataType dtype = loss.dtype() == DType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
    Column perRow = LossColumns.perRow(loss, yTrue, yPred.cast(withLeaf(predType, dtype)));
    DataType t = df.select(perRow).schema().fields()[0].dataType();
    // Values are computed in the dtype and returned as DOUBLE; cast back to show the dtype (exact).
    Column value = perRow.cast(withLeaf(t, dtype));
    if (t instanceof NumericType) {
      DataType trueType = df.select(yTrue).schema().fields()[0].dataType();
      DataType weightType = weight == null ? null : df.select(weight).schema().fields()[0].dataType();
      Column width = !KerasLossRowValueReductions.takes(loss, trueType, predType, weightType) ? null
          : predType instanceof ArrayType ? org.apache.spark.sql.functions.size(yPred) : lit(0);
      return new Prepared(j, yTrue, yPred, weight, value, value.cast(DataTypes.DoubleType), null, width);
    }
    if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
      Column mean = org.apache.spark.sql.functions.aggregate(value, lit(0.0), (acc, x) -> acc.plus(x.cast("double")))
          .divide(org.apache.spark.sql.functions.size(value));
      return new Prepared(j, yTrue, yPred, weight, value, mean, null);
    }
    return new Prepared(j, yTrue, yPred, weight, value, null, "its per-row value is a " + t.simpleString()
        + ", not a number, so it has no histogram or worst rows");
  }

  private static DataType withLeaf(DataType t, DataType leaf) {
    return t instanceof ArrayType a
        ? DataTypes.createArrayType(withLeaf(a.elementType(), leaf), a.containsNull()) : leaf;
  }

  /** Notes for the reader about losses without per-row values. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    for (Prepared p : losses) {
      if (p.noRowLoss() != null) {
        notes.add("loss '" + p.job().name() + "': " + p.noRowLoss() + ".");
      }
    }
    return notes;
  }

  List<LossEntry> entries() {
    List<LossEntry> out = new ArrayList<>();
    for (Prepared p : losses) {
      JobLoss j = p.job();
      Loss l = j.loss();
      out.add(new LossEntry(j.name(), l.spec().className(), org.lossagg.config.KerasLossConfig.serialize(l),
          j.yTrue(), j.yPred(), j.sampleWeight(), configured(l.reduction()).kerasName(), l.dtype().kerasName()));
    }
    return out;
  }

  private static Reduction configured(Reduction r) {
    return r == Reduction.AUTO ? Reduction.SUM_OVER_BATCH_SIZE : r;
  }

  /** What the one pass gives: the per-slice results and, when asked for, the worst rows. */
  record Outcome(List<SliceResult> results, Dataset<Row> worst) {}

  /**
   * Everything but the per-row table from ONE aggregation over the input, grouped by the slices: per
   * loss its reductions and counts ({@code keras_loss_reductions}) and its {@link RowLossProfile}
   * (the octave histogram of the per-row loss and, with {@code worst > 0}, the worst rows).
   *
   * @param worst rows to keep per slice and loss (0 for none)
   * @return the results; {@code worst} null when not asked for or no loss has per-row values
   */
  Outcome evaluate(int worst) {
    Dataset<Row> df = input.rows();
    boolean anyRowLoss = losses.stream().anyMatch(p -> p.rowLoss() != null);
    // The pass: the small aggregated result is checkpointed, so the summary and the worst-row table
    // read it, not the input; as one partition, their sorts need no shuffle.
    Dataset<Row> wide = JobProgress.inputPass(df.sparkSession(), pass(worst)::localCheckpoint)
        .coalesce(1);
    boolean worstRows = worst > 0 && anyRowLoss;
    List<Column> summaryColumns = new ArrayList<>();
    for (int g = 0; g < groupBy.size(); g++) {
      summaryColumns.add(wide.col(wide.columns()[g]));
    }
    summaryColumns.add(wide.col("l0.rows").plus(wide.col("l0.skipped_rows")).as("rows"));
    for (int i = 0; i < losses.size(); i++) {
      summaryColumns.add(wide.col("l" + i));
      if (losses.get(i).rowLoss() != null) {
        summaryColumns.add(wide.col("p" + i + ".histogram").as("h" + i));
      }
    }
    Dataset<Row> summary = wide.select(summaryColumns.toArray(Column[]::new));
    if (!groupBy.isEmpty()) {
      summary = summary.orderBy(groupBy.stream().map(summary::col).toArray(Column[]::new));
    }
    List<Row> slices = summary.collectAsList();
    if (slices.stream().mapToLong(r -> r.getLong(r.fieldIndex("rows"))).sum() == 0) {
      throw input.noRows();
    }

    List<SliceResult> results = new ArrayList<>();
    for (Row r : slices) {
      List<String> sliceText = key(r).stream().map(String::valueOf).toList();
      long rows = r.getLong(r.fieldIndex("rows"));
      for (int i = 0; i < losses.size(); i++) {
        Prepared p = losses.get(i);
        Map<String, Double> reductions = new LinkedHashMap<>();
        for (int k = 0; k < REDUCTIONS.size(); k++) {
          Object v = reductions(r, i).get(k);
          reductions.put(REDUCTIONS.get(k).kerasName(), v == null ? null : ((Number) v).doubleValue());
        }
        Double value = reductions.get(configured(p.job().loss().reduction()).kerasName());
        Histogram h = p.rowLoss() == null ? null : histogram(r.getStruct(r.fieldIndex("h" + i)));
        results.add(new SliceResult(sliceText, p.job().name(), rows,
            reductions(r, i).getLong(REDUCTIONS.size() + 1), value, reductions, h));
      }
    }
    return new Outcome(results, worstRows ? worstTable(wide) : null);
  }

  /**
   * The aggregation of the one pass, grouped by the slices: per loss {@code l<i>}, its reductions and
   * counts, and {@code p<i>}, its {@link RowLossProfile} (for losses with a per-row value).
   */
  Dataset<Row> pass(int worst) {
    Dataset<Row> df = input.rows();
    List<Column> inputColumns = new ArrayList<>();
    for (String c : df.columns()) {
      inputColumns.add(df.col(c));
    }
    // The per-row losses are columns of a projection under the aggregation, and every aggregate is
    // one the fused plan runs: the losses, their reductions, histograms and worst-row checks compile
    // into the scan's generated code; a row's columns are only read out when it may be among the worst.
    List<Column> withRowLosses = new ArrayList<>(inputColumns);
    for (int i = 0; i < losses.size(); i++) {
      if (losses.get(i).rowLoss() != null) {
        withRowLosses.add(losses.get(i).rowLoss().as(ROW_LOSS_COLUMN + i));
      }
      if (losses.get(i).reducedFromRowValues()) {
        withRowLosses.add(losses.get(i).yPredWidth().as(ROW_WIDTH_COLUMN + i));
      }
    }
    Dataset<Row> withLosses = df.select(withRowLosses.toArray(Column[]::new));
    // No count(*): a slice's rows are loss 0's rows plus its skipped rows (every row is one or the
    // other), and with only lossagg aggregates the pass can run in the fused plan.
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      Prepared p = losses.get(i);
      // Every reduction and the row counts from one aggregation state, fed by the per-row loss where
      // its values are the state's per-sample values: the loss is computed once.
      aggs.add((p.reducedFromRowValues()
          ? LossAggregates.kerasLossReductionsOfRowValues(p.job().loss(), withLosses.col(ROW_LOSS_COLUMN + i),
              withLosses.col(ROW_WIDTH_COLUMN + i), p.weight())
          : LossAggregates.kerasLossReductions(p.job().loss(), p.yTrue(), p.yPred(), p.weight())).as("l" + i));
      if (p.rowLoss() != null) {
        aggs.add(RowLossProfile.of(withLosses.col(ROW_LOSS_COLUMN + i), worst, inputColumns).as("p" + i));
      }
    }
    return aggregate(withLosses, groupColumns, aggs);
  }

  private static Row reductions(Row r, int loss) {
    return r.getStruct(r.fieldIndex("l" + loss));
  }

  private List<Object> key(Row r) {
    List<Object> key = new ArrayList<>();
    for (int g = 0; g < groupBy.size(); g++) {
      key.add(r.get(g));
    }
    return key;
  }

  /** The histogram from {@link RowLossProfile}'s {@code histogram} struct. */
  static Histogram histogram(Row h) {
    OctaveHistogram.OctaveCounts negative = octaves(h.getList(h.fieldIndex("negative")));
    OctaveHistogram.OctaveCounts positive = octaves(h.getList(h.fieldIndex("positive")));
    double min = h.isNullAt(h.fieldIndex("min")) ? Double.NaN : h.getDouble(h.fieldIndex("min"));
    double max = h.isNullAt(h.fieldIndex("max")) ? Double.NaN : h.getDouble(h.fieldIndex("max"));
    return OctaveHistogram.of(min, max, h.getLong(h.fieldIndex("non_finite")), h.getLong(h.fieldIndex("zeros")),
        negative, positive).toHistogram();
  }

  private static OctaveHistogram.OctaveCounts octaves(List<Row> rows) {
    OctaveHistogram.OctaveCounts counts = new OctaveHistogram.OctaveCounts();
    for (Row o : rows) {
      counts.add(o.getInt(0), o.getLong(1));
    }
    return counts;
  }

  /**
   * The worst rows out of the aggregated (checkpointed) result: columns {@code loss}, {@code rank},
   * {@code row_loss}, then every input column; ordered by loss (in the order given), slice and rank.
   */
  private Dataset<Row> worstTable(Dataset<Row> wide) {
    String[] inputNames = input.rows().columns();
    Dataset<Row> all = null;
    for (int i = 0; i < losses.size(); i++) {
      Prepared p = losses.get(i);
      if (p.rowLoss() == null) {
        continue;
      }
      List<Column> exploded = new ArrayList<>();
      for (int g = 0; g < groupBy.size(); g++) {
        exploded.add(wide.col(wide.columns()[g]).as("__g" + g));
      }
      exploded.add(posexplode(wide.col("p" + i + ".worst")));
      Dataset<Row> e = wide.select(exploded.toArray(Column[]::new));
      List<Column> cols = new ArrayList<>();
      cols.add(lit(i).as("__loss_index"));
      for (int g = 0; g < groupBy.size(); g++) {
        cols.add(e.col("__g" + g));
      }
      cols.add(lit(p.job().name()).as("loss"));
      cols.add(e.col("pos").plus(1).as("rank"));
      cols.add(e.col("col.row_loss").as("row_loss"));
      for (int c = 0; c < inputNames.length; c++) {
        cols.add(e.col("col.c" + c).as(inputNames[c]));
      }
      Dataset<Row> part = e.select(cols.toArray(Column[]::new));
      all = all == null ? part : all.unionAll(part);
    }
    all = all.coalesce(1);
    List<Column> order = new ArrayList<>();
    order.add(all.col("__loss_index"));
    for (int g = 0; g < groupBy.size(); g++) {
      order.add(all.col("__g" + g));
    }
    order.add(all.col("rank"));
    List<String> helpers = new ArrayList<>(List.of("__loss_index"));
    for (int g = 0; g < groupBy.size(); g++) {
      helpers.add("__g" + g);
    }
    return all.orderBy(order.toArray(Column[]::new)).drop(helpers.toArray(String[]::new));
  }

  private static Dataset<Row> aggregate(Dataset<Row> df, List<Column> groups, List<Column> aggs) {
    Column first = aggs.get(0);
    Column[] rest = aggs.subList(1, aggs.size()).toArray(Column[]::new);
    return groups.isEmpty() ? df.agg(first, rest) : df.groupBy(groups.toArray(Column[]::new)).agg(first, rest);
  }

  /** Every input column followed by one per-row loss column {@code loss_<name>} per loss that has one. */
  Dataset<Row> perRow() {
    Dataset<Row> df = input.rows();
    List<Column> cols = new ArrayList<>();
    for (String c : df.columns()) {
      cols.add(df.col(c));
    }
    for (Prepared p : losses) {
      if (p.rowValue() != null) {
        cols.add(p.rowValue().as("loss_" + p.job().name()));
      }
    }
    return df.select(cols.toArray(Column[]::new));
  }
}
