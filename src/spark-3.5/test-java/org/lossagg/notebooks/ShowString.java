package org.lossagg.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The text {@code Dataset.show} prints (Spark 3.5 line). */
final class ShowString {
  private ShowString() {}

  static String of(Dataset<Row> df, int rows, int truncate, boolean vertical) {
    return df.showString(rows, truncate, vertical);
  }
}
