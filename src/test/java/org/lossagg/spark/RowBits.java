package org.lossagg.spark;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * Query results as text that keeps every bit, for comparing two runs of a query: a DOUBLE or FLOAT
 * as its IEEE bits in hex, structs and arrays element by element, anything else by type and value.
 * Uses only the SQL API's Row, so it also runs in a Spark Connect client JVM.
 */
public final class RowBits {
  private RowBits() {}

  public static List<String> of(List<Row> rows) {
    return rows.stream().map(RowBits::text).collect(Collectors.toList());
  }

  public static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return "d:" + Long.toHexString(Double.doubleToRawLongBits(d));
    }
    if (v instanceof Float f) {
      return "f:" + Integer.toHexString(Float.floatToRawIntBits(f));
    }
    if (v instanceof Row r) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < r.length(); i++) {
        b.append(i == 0 ? "" : ", ").append(text(r.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < s.length(); i++) {
        b.append(i == 0 ? "" : ", ").append(text(s.apply(i)));
      }
      return b.append(')').toString();
    }
    return v.getClass().getSimpleName() + ":" + v;
  }
}
