package org.lossagg.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lossagg.numerics.NdArray;

/** Builds small DataFrames from batches (axis 0 = rows) and reads aggregate results exactly. */
final class SparkTables {
  private SparkTables() {}

  /** A column: its name and the batch it holds (axis 0 = rows; null entries of {@code nullRows} become NULL). */
  record Column(String name, NdArray batch, boolean[] nullRows) {
    Column(String name, NdArray batch) {
      this(name, batch, null);
    }

    int depth() {
      return batch.rank() - 1;
    }
  }

  static DataType doubleType(int depth) {
    DataType t = DataTypes.DoubleType;
    for (int i = 0; i < depth; i++) {
      t = new ArrayType(t, true);
    }
    return t;
  }

  /**
   * A DataFrame whose row i holds slice i of every column's batch (a number, or nested lists), plus
   * any extra per-row values (e.g. a case id or group) in {@code extra}, typed by {@code extraTypes}.
   */
  static Dataset<Row> frame(List<Column> columns, List<String> extraNames, List<DataType> extraTypes,
      List<Object[]> extra) {
    int rows = columns.get(0).batch().dim(0);
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < extraNames.size(); i++) {
      fields.add(DataTypes.createStructField(extraNames.get(i), extraTypes.get(i), true));
    }
    for (Column c : columns) {
      fields.add(DataTypes.createStructField(c.name(), doubleType(c.depth()), true));
    }
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      List<Object> values = new ArrayList<>();
      if (extra != null) {
        values.addAll(Arrays.asList(extra.get(r)));
      }
      for (Column c : columns) {
        boolean isNull = c.nullRows() != null && c.nullRows()[r];
        values.add(isNull ? null : slice(c.batch(), r));
      }
      out.add(RowFactory.create(values.toArray()));
    }
    return SparkTestSession.get().createDataFrame(out, new StructType(fields.toArray(new StructField[0])));
  }

  static Dataset<Row> frame(List<Column> columns) {
    return frame(columns, List.of(), List.of(), null);
  }

  static Dataset<Row> frame(StructType schema, List<Row> rows) {
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  /** Row {@code r} of a batch as a Double or nested Lists of Doubles. */
  static Object slice(NdArray batch, int r) {
    int[] shape = batch.shape();
    int size = batch.size() / shape[0];
    double[] d = Arrays.copyOfRange(batch.data(), r * size, (r + 1) * size);
    return nested(d, Arrays.copyOfRange(shape, 1, shape.length), 0, 0);
  }

  private static Object nested(double[] d, int[] shape, int level, int offset) {
    if (level == shape.length) {
      return d[offset];
    }
    int stride = 1;
    for (int k = level + 1; k < shape.length; k++) {
      stride *= shape[k];
    }
    List<Object> l = new ArrayList<>();
    for (int i = 0; i < shape[level]; i++) {
      l.add(nested(d, shape, level + 1, offset + i * stride));
    }
    return l;
  }

  /** A non-NULL aggregate result: a FLOAT widened exactly, a DOUBLE as is. */
  static double value(Row row, int i) {
    Object v = row.get(i);
    if (v == null) {
      throw new AssertionError("column " + i + " is NULL in " + row);
    }
    return v instanceof Float ? (double) (Float) v : (Double) v;
  }

  /** Rows [from, to) of a batch. */
  static NdArray rows(NdArray a, int from, int to) {
    return a.rows(from, to);
  }

  /** Rows of a batch picked by index. */
  static NdArray pick(NdArray a, List<Integer> indices) {
    int[] shape = a.shape();
    int size = a.size() / shape[0];
    double[] out = new double[indices.size() * size];
    for (int k = 0; k < indices.size(); k++) {
      System.arraycopy(a.data(), indices.get(k) * size, out, k * size, size);
    }
    shape[0] = indices.size();
    return NdArray.of(out, shape);
  }

  /** A SQL string literal. */
  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
