package org.lossagg.notebooks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The text {@code Dataset.show} and Zeppelin's table print (Spark 4.x line: the classic Dataset has it). */
final class ShowString {
  private ShowString() {}

  static String of(Dataset<Row> df, int rows, int truncate, boolean vertical) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) df).showString(rows, truncate, vertical);
  }

  /**
   * A cell of Zeppelin's table: the value's toString, with a Scala 2.13 array's {@code ArraySeq(...)}
   * read as 2.12's {@code WrappedArray(...)}, the form the note's saved outputs (from a Spark 3.5
   * Zeppelin) show; the values inside are the same.
   */
  static String zeppelinCell(Object value) {
    String text = value.toString();
    return value instanceof scala.collection.Seq<?> ? text.replace("ArraySeq(", "WrappedArray(") : text;
  }
}
