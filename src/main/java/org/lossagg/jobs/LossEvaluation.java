package org.lossagg.jobs;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.jobs.EvaluationSummary.Histogram;
import org.lossagg.jobs.EvaluationSummary.LossEntry;
import org.lossagg.jobs.EvaluationSummary.SliceResult;
import org.lossagg.losses.Loss;
import org.lossagg.losses.RowOutput;
import org.lossagg.numerics.DType;
import org.lossagg.reduce.Reduction;
import org.lossagg.spark.LossAggregates;
import org.lossagg.spark.KerasLossReductions;
import org.lossagg.spark.LossColumns;

/**
 * The Spark side of {@code lossagg-evaluate}: for each slice (group-by values) and loss, Keras' value
 * under every reduction from one {@code keras_loss} state ({@link KerasLossReductions}: the numbers
 * {@code keras_loss} gives, with the loss computed once), row and skipped-row counts, and a histogram
 * of the per-row loss; plus the per-row and worst-row tables.
 *
 * <p>Per-row values are Keras' {@code reduction=None} output in the loss dtype: y_pred is cast to
 * FLOAT for float32 losses before the per-row function, as Keras casts it.
 */
final class LossEvaluation {
  /** The reductions reported for every loss, in report order. */
  static final List<Reduction> REDUCTIONS = KerasLossReductions.REDUCTIONS;
  static final int BINS = 24;

  private final SparkSession spark;
  private final InputTable input;
  private final List<String> groupBy;
  private final List<Column> groupColumns = new ArrayList<>();
  private final List<Prepared> losses = new ArrayList<>();

  /** A loss with its resolved input columns and, where it has one, its per-row loss. */
  private record Prepared(JobLoss job, Column yTrue, Column yPred, Column weight, Column rowValue,
      Column rowLoss, String noRowLoss) {}

  /** Resolves and type-checks every column and loss now, so bad input fails before any Spark job. */
  LossEvaluation(SparkSession spark, InputTable input, List<String> groupBy, List<JobLoss> jobLosses) {
    this.spark = spark;
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
      return new Prepared(j, yTrue, yPred, weight, value, value.cast(DataTypes.DoubleType), null);
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

  /** The per-slice results: one Spark pass for the reductions and counts, one for the histograms. */
  List<SliceResult> evaluate() {
    Dataset<Row> df = input.rows();
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("rows"));
    for (int i = 0; i < losses.size(); i++) {
      Prepared p = losses.get(i);
      // Every reduction and the row counts from one aggregation state: the loss is computed once.
      aggs.add(LossAggregates.kerasLossReductions(p.job().loss(), p.yTrue(), p.yPred(), p.weight()).as("l" + i));
      if (p.rowLoss() != null) {
        Column v = p.rowLoss();
        aggs.add(min(when(finite(v), v)).as("l" + i + "_min"));
        aggs.add(max(when(finite(v), v)).as("l" + i + "_max"));
        aggs.add(sum(when(v.isNotNull().and(finite(v).unary_$bang()), 1L).otherwise(0L)).as("l" + i + "_nonfinite"));
      }
    }
    Dataset<Row> wide = aggregate(df, groupColumns, aggs);
    if (!groupBy.isEmpty()) {
      wide = wide.orderBy(groupBy.stream().map(wide::col).toArray(Column[]::new));
    }
    List<Row> slices = wide.collectAsList();
    Map<List<Object>, long[][]> histograms = histograms(wide.schema(), slices);

    List<SliceResult> results = new ArrayList<>();
    for (Row r : slices) {
      List<Object> key = key(r);
      List<String> sliceText = key.stream().map(String::valueOf).toList();
      long rows = r.getLong(r.fieldIndex("rows"));
      for (int i = 0; i < losses.size(); i++) {
        Prepared p = losses.get(i);
        Map<String, Double> reductions = new LinkedHashMap<>();
        for (int k = 0; k < REDUCTIONS.size(); k++) {
          Object v = reductions(r, i).get(k);
          reductions.put(REDUCTIONS.get(k).kerasName(), v == null ? null : ((Number) v).doubleValue());
        }
        Double value = reductions.get(configured(p.job().loss().reduction()).kerasName());
        Histogram h = null;
        if (p.rowLoss() != null) {
          Object lo = r.get(r.fieldIndex("l" + i + "_min"));
          Object hi = r.get(r.fieldIndex("l" + i + "_max"));
          long nonFinite = r.getLong(r.fieldIndex("l" + i + "_nonfinite"));
          long[][] counts = histograms.get(key);
          h = new Histogram(lo == null ? Double.NaN : (Double) lo, hi == null ? Double.NaN : (Double) hi,
              counts == null ? new long[BINS] : counts[i], nonFinite);
        }
        results.add(new SliceResult(sliceText, p.job().name(), rows,
            reductions(r, i).getLong(REDUCTIONS.size() + 1), value, reductions, h));
      }
    }
    return results;
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

  /** Bin counts per slice (key: group values) and loss index, from the per-slice min/max just found. */
  private Map<List<Object>, long[][]> histograms(StructType wideSchema, List<Row> slices) {
    List<Integer> withRows = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      if (losses.get(i).rowLoss() != null) {
        withRows.add(i);
      }
    }
    Map<List<Object>, long[][]> out = new HashMap<>();
    if (withRows.isEmpty() || slices.isEmpty()) {
      return out;
    }
    // The per-slice bounds as a small broadcast table, joined null-safely on the group values.
    List<StructField> fields = new ArrayList<>();
    for (int g = 0; g < groupBy.size(); g++) {
      fields.add(DataTypes.createStructField("__g" + g, wideSchema.fields()[g].dataType(), true));
    }
    for (int i : withRows) {
      fields.add(DataTypes.createStructField("__min" + i, DataTypes.DoubleType, true));
      fields.add(DataTypes.createStructField("__max" + i, DataTypes.DoubleType, true));
    }
    List<Row> boundRows = new ArrayList<>();
    for (Row r : slices) {
      List<Object> values = new ArrayList<>(key(r));
      for (int i : withRows) {
        values.add(r.get(r.fieldIndex("l" + i + "_min")));
        values.add(r.get(r.fieldIndex("l" + i + "_max")));
      }
      boundRows.add(RowFactory.create(values.toArray()));
    }
    Dataset<Row> bounds = broadcast(spark.createDataFrame(boundRows, DataTypes.createStructType(fields)));
    Dataset<Row> df = input.rows();
    Dataset<Row> joined;
    if (groupBy.isEmpty()) {
      joined = df.crossJoin(bounds);
    } else {
      Column on = null;
      for (int g = 0; g < groupBy.size(); g++) {
        Column eq = groupColumns.get(g).eqNullSafe(bounds.col("__g" + g));
        on = on == null ? eq : on.and(eq);
      }
      joined = df.join(bounds, on);
    }
    // One (loss, bin) pair per row and loss, counted per slice: a small aggregation whatever the
    // number of losses and bins.
    List<Column> pairs = new ArrayList<>();
    for (int i : withRows) {
      Column v = losses.get(i).rowLoss();
      Column lo = bounds.col("__min" + i);
      Column hi = bounds.col("__max" + i);
      Column bin = when(finite(v).and(hi.gt(lo)),
          least(floor(v.minus(lo).divide(hi.minus(lo)).multiply(BINS)).cast("int"), lit(BINS - 1)))
          .when(finite(v), 0);
      pairs.add(struct(lit(i).as("loss"), bin.as("bin")));
    }
    List<Column> cols = new ArrayList<>();
    for (int g = 0; g < groupBy.size(); g++) {
      cols.add(groupColumns.get(g).as("__key" + g));
    }
    cols.add(explode(array(pairs.toArray(Column[]::new))).as("__pair"));
    List<Column> keys = new ArrayList<>();
    for (int g = 0; g < groupBy.size(); g++) {
      keys.add(col("__key" + g));
    }
    keys.add(col("__pair.loss").as("__loss"));
    keys.add(col("__pair.bin").as("__bin"));
    Dataset<Row> counts = joined.select(cols.toArray(Column[]::new)).where(col("__pair.bin").isNotNull())
        .groupBy(keys.toArray(Column[]::new)).count();
    for (Row r : counts.collectAsList()) {
      long[][] c = out.computeIfAbsent(key(r), k -> new long[losses.size()][BINS]);
      c[r.getInt(groupBy.size())][r.getInt(groupBy.size() + 1)] = r.getLong(groupBy.size() + 2);
    }
    return out;
  }

  private static Dataset<Row> aggregate(Dataset<Row> df, List<Column> groups, List<Column> aggs) {
    Column first = aggs.get(0);
    Column[] rest = aggs.subList(1, aggs.size()).toArray(Column[]::new);
    return groups.isEmpty() ? df.agg(first, rest) : df.groupBy(groups.toArray(Column[]::new)).agg(first, rest);
  }

  private static Column finite(Column v) {
    return v.isNotNull().and(isnan(v).unary_$bang()).and(abs(v).notEqual(lit(Double.POSITIVE_INFINITY)));
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

  /**
   * The {@code n} highest per-row losses of every slice and loss: columns {@code loss}, {@code rank},
   * {@code row_loss}, then every input column. Ties are broken by the input's orderable columns, so
   * the rows do not depend on partitioning.
   */
  Dataset<Row> worst(int n) {
    Dataset<Row> df = input.rows();
    List<Column> pairs = new ArrayList<>();
    for (Prepared p : losses) {
      if (p.rowLoss() != null) {
        pairs.add(struct(lit(p.job().name()).as("loss"), p.rowLoss().as("row_loss")));
      }
    }
    if (pairs.isEmpty()) {
      return null;
    }
    // One window over (slice, loss) for all losses at once; Spark keeps only the top n of each
    // window per partition before the shuffle (WindowGroupLimit).
    List<Column> cols = new ArrayList<>();
    for (String c : df.columns()) {
      cols.add(df.col(c));
    }
    cols.add(explode(array(pairs.toArray(Column[]::new))).as("__worst"));
    Dataset<Row> exploded = df.select(cols.toArray(Column[]::new));
    List<Column> partition = new ArrayList<>();
    for (String g : groupBy) {
      partition.add(exploded.col(g));
    }
    partition.add(exploded.col("__worst.loss"));
    List<Column> order = new ArrayList<>();
    order.add(exploded.col("__worst.row_loss").desc_nulls_last());
    for (StructField f : df.schema().fields()) {
      if (!(f.dataType() instanceof MapType)) {
        order.add(exploded.col(f.name()).asc_nulls_last());
      }
    }
    Column rank = row_number().over(Window.partitionBy(partition.toArray(Column[]::new))
        .orderBy(order.toArray(Column[]::new)));
    List<Column> out = new ArrayList<>(List.of(exploded.col("__worst.loss").as("loss"), rank.as("rank"),
        exploded.col("__worst.row_loss").as("row_loss")));
    for (String c : df.columns()) {
      out.add(exploded.col(c));
    }
    return exploded.select(out.toArray(Column[]::new)).where(col("rank").leq(n));
  }
}
