package org.lossagg.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The console sink of {@code lossagg-stream} (a {@code foreachBatch} function, run on the driver):
 * prints the window/slice/loss values each micro-batch updated, and keeps the latest value of each
 * (so a run can be compared with a batch evaluation of the same rows).
 */
final class RunningLosses implements VoidFunction2<Dataset<Row>, Long> {
  private static final long serialVersionUID = 1L;

  private final transient PrintWriter out;
  private final List<String> keyColumns;
  /** Latest output row per window, slice and loss (keys as text, in print order). */
  private final transient Map<String, Row> latest = new TreeMap<>();

  /** {@code keyColumns}: window_start/window_end (with a window) and the slice columns, then loss. */
  RunningLosses(PrintWriter out, List<String> keyColumns) {
    this.out = out;
    this.keyColumns = List.copyOf(keyColumns);
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    List<Row> rows = new ArrayList<>(batch.collectAsList());
    rows.sort(Comparator.comparing(this::key));
    synchronized (this) {
      for (Row r : rows) {
        latest.put(key(r), r);
      }
    }
    out.printf(Locale.ROOT, "lossagg-stream: micro-batch %d: %d updated value%s%n", batchId, rows.size(),
        rows.size() == 1 ? "" : "s");
    if (!rows.isEmpty()) {
      out.print(table(rows));
    }
    out.flush();
  }

  /** The latest row of every window, slice and loss seen so far, in key order. */
  synchronized List<Row> latest() {
    return new ArrayList<>(latest.values());
  }

  String key(Row r) {
    StringBuilder k = new StringBuilder();
    for (String c : keyColumns) {
      k.append(r.get(r.fieldIndex(c))).append('\u0001');
    }
    return k.append(r.getString(r.fieldIndex("loss"))).toString();
  }

  private String table(List<Row> rows) {
    List<String> header = new ArrayList<>(keyColumns);
    header.addAll(List.of("loss", "reduction", "value", "rows", "skipped_rows"));
    List<String[]> cells = new ArrayList<>();
    cells.add(header.toArray(String[]::new));
    for (Row r : rows) {
      String[] line = new String[header.size()];
      for (int i = 0; i < header.size(); i++) {
        Object v = r.get(r.fieldIndex(header.get(i)));
        line[i] = v == null ? "NULL" : header.get(i).equals("value") && "float32".equals(r.getAs("dtype"))
            ? Float.toString((float) (double) (Double) v)
            : v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString().replace('T', ' ') : String.valueOf(v);
      }
      cells.add(line);
    }
    int[] width = new int[header.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder s = new StringBuilder();
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        s.append(i == 0 ? "  " : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", line[i]));
      }
      s.append('\n');
    }
    return s.toString();
  }
}
