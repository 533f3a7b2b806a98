package org.lossagg.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The text {@code Dataset.show} prints (Spark 4.x line: the classic Dataset has it). */
final class ShowString {
  private ShowString() {}

  static String of(Dataset<Row> df, int rows, int truncate, boolean vertical) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) df).showString(rows, truncate, vertical);
  }
}
