package org.lossagg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.numerics.NdArray;

/**
 * Test tables: rows built from Java values and distributed over two partitions (an RDD, so that
 * Spark evaluates the expressions on executors instead of folding a local relation on the driver).
 */
final class SparkRows {
  private SparkRows() {}

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  /** A DataFrame of {@code rows} with columns {@code names} of {@code types}. */
  static Dataset<Row> table(List<Object[]> rows, String[] names, DataType[] types) {
    StructField[] fields = new StructField[names.length];
    for (int i = 0; i < names.length; i++) {
      fields[i] = DataTypes.createStructField(names[i], types[i], true);
    }
    List<Row> rs = new ArrayList<>();
    for (Object[] r : rows) {
      rs.add(RowFactory.create(r));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    return spark().createDataFrame(jsc.parallelize(rs, 2), new StructType(fields));
  }

  /** The Spark type of a DOUBLE number, ARRAY or ARRAY&lt;ARRAY&gt; of rank {@code rank}. */
  static DataType doubles(int rank) {
    return nested(DataTypes.DoubleType, rank);
  }

  static DataType nested(DataType element, int rank) {
    DataType t = element;
    for (int i = 0; i < rank; i++) {
      t = DataTypes.createArrayType(t, true);
    }
    return t;
  }

  /** The SQL spelling of {@code element} nested {@code rank} times, e.g. ARRAY<ARRAY<FLOAT>>. */
  static String sqlType(String element, int rank) {
    return "ARRAY<".repeat(rank) + element + ">".repeat(rank);
  }

  /** An NdArray of rank 0, 1 or 2 as a Row value: Double, double[] or double[][]. */
  static Object value(NdArray a) {
    switch (a.rank()) {
      case 0:
        return a.item();
      case 1:
        return a.toArray();
      default: {
        int cols = a.dim(1);
        double[][] rows = new double[a.dim(0)][];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = java.util.Arrays.copyOfRange(a.data(), i * cols, (i + 1) * cols);
        }
        return rows;
      }
    }
  }

  /** Like {@link #value} with integer elements (label columns): Integer, int[] or int[][]. */
  static Object ints(NdArray a) {
    switch (a.rank()) {
      case 0:
        return (int) a.item();
      case 1:
        return java.util.Arrays.stream(a.data()).mapToInt(d -> (int) d).toArray();
      default: {
        double[][] d = (double[][]) value(a);
        int[][] rows = new int[d.length][];
        for (int i = 0; i < d.length; i++) {
          rows[i] = java.util.Arrays.stream(d[i]).mapToInt(x -> (int) x).toArray();
        }
        return rows;
      }
    }
  }

  /** A collected cell as plain Java: Double, or (nested) java.util.List with nulls kept. */
  static Object plain(Object cell) {
    if (cell instanceof scala.collection.Seq<?>) {
      List<Object> out = new ArrayList<>();
      for (Object o : scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<?>) cell)) {
        out.add(plain(o));
      }
      return out;
    }
    return cell;
  }
}
