package org.lossagg.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.lossagg.jobs.EvaluationSummary.LossEntry;
import org.lossagg.jobs.EvaluationSummary.SliceResult;

/**
 * The summary in long form, one record per (slice, loss): the slice columns (as text), then
 * {@code loss, keras_class, reduction, dtype, rows, skipped_rows, value}, then every reduction's value.
 * Written as JSON (a list of objects), CSV (header row) and Parquet with the same columns.
 *
 * <p>Values print as their dtype prints them: float32 results as the shortest float that rounds
 * back (what Keras shows), float64 as Java doubles; NaN and infinities as Python's json writes them
 * ({@code NaN}, {@code Infinity}), which pandas and Python read back.
 */
final class SummaryTable {
  static final List<String> FIXED = List.of("loss", "keras_class", "reduction", "dtype", "rows", "skipped_rows",
      "value");

  private SummaryTable() {}

  static List<String> columns(EvaluationSummary s) {
    List<String> cols = new ArrayList<>(s.sliceColumns());
    cols.addAll(FIXED);
    for (var r : LossEvaluation.REDUCTIONS) {
      cols.add(r.kerasName());
    }
    return cols;
  }

  /** Records in column order: String for text, Long for counts, {@link Num} for loss values. */
  static List<List<Object>> records(EvaluationSummary s) {
    Map<String, LossEntry> byName = new HashMap<>();
    for (LossEntry e : s.losses()) {
      byName.put(e.name(), e);
    }
    List<List<Object>> out = new ArrayList<>();
    for (SliceResult r : s.results()) {
      LossEntry e = byName.get(r.loss());
      List<Object> rec = new ArrayList<>(r.sliceValues());
      rec.add(r.loss());
      rec.add(e.kerasClass());
      rec.add(e.reduction());
      rec.add(e.dtype());
      rec.add(r.rows());
      rec.add(r.skippedRows());
      rec.add(new Num(r.value(), e.dtype()));
      for (Double v : r.reductions().values()) {
        rec.add(new Num(v, e.dtype()));
      }
      out.add(rec);
    }
    return out;
  }

  /** A loss value and the dtype it was computed in (for printing). */
  record Num(Double value, String dtype) {
    String text() {
      if (value == null) {
        return "";
      }
      double v = value;
      if (Double.isNaN(v)) {
        return "NaN";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "Infinity" : "-Infinity";
      }
      return "float32".equals(dtype) ? Float.toString((float) v) : Double.toString(v);
    }
  }

  static String json(EvaluationSummary s) {
    List<String> cols = columns(s);
    StringBuilder b = new StringBuilder("[");
    List<List<Object>> recs = records(s);
    for (int i = 0; i < recs.size(); i++) {
      b.append(i == 0 ? "\n  {" : ",\n  {");
      List<Object> rec = recs.get(i);
      for (int c = 0; c < cols.size(); c++) {
        if (c > 0) {
          b.append(", ");
        }
        b.append(quote(cols.get(c))).append(": ").append(jsonValue(rec.get(c)));
      }
      b.append('}');
    }
    return b.append(recs.isEmpty() ? "]\n" : "\n]\n").toString();
  }

  private static String jsonValue(Object v) {
    if (v instanceof Num n) {
      return n.value() == null ? "null" : n.text();
    }
    if (v instanceof Long l) {
      return Long.toString(l);
    }
    return v == null ? "null" : quote(v.toString());
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static String csv(EvaluationSummary s) {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", columns(s).stream().map(SummaryTable::csvField).toList())).append('\n');
    for (List<Object> rec : records(s)) {
      List<String> fields = new ArrayList<>();
      for (Object v : rec) {
        fields.add(v instanceof Num n ? n.text() : csvField(String.valueOf(v)));
      }
      b.append(String.join(",", fields)).append('\n');
    }
    return b.toString();
  }

  static String csvField(String s) {
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  /** The same records as a Spark DataFrame (for Parquet): loss values as DOUBLE. */
  static Dataset<Row> dataFrame(SparkSession spark, EvaluationSummary s) {
    List<StructField> fields = new ArrayList<>();
    List<List<Object>> recs = records(s);
    List<String> cols = columns(s);
    for (int c = 0; c < cols.size(); c++) {
      String name = cols.get(c);
      DataType t = c < s.sliceColumns().size() || c < s.sliceColumns().size() + 4 ? DataTypes.StringType
          : name.equals("rows") || name.equals("skipped_rows") ? DataTypes.LongType : DataTypes.DoubleType;
      fields.add(DataTypes.createStructField(name, t, true));
    }
    List<Row> rows = new ArrayList<>();
    for (List<Object> rec : recs) {
      Object[] values = rec.stream().map(v -> v instanceof Num n ? n.value() : v).toArray();
      rows.add(RowFactory.create(values));
    }
    return spark.createDataFrame(rows, DataTypes.createStructType(fields));
  }
}
