package org.lossagg.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The text {@code Dataset.show} and Zeppelin's table print (Spark 3.5 line). */
final class ShowString {
  private ShowString() {}

  static String of(Dataset<Row> df, int rows, int truncate, boolean vertical) {
    return df.showString(rows, truncate, vertical);
  }

  /** A cell of Zeppelin's table: the value's toString (arrays print as WrappedArray(...) on Scala 2.12). */
  static String zeppelinCell(Object value) {
    return value.toString();
  }
}
