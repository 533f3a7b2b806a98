package org.lossagg.jobs;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;

/**
 * The prediction table a job reads, with checks that name the column and the option: a path in one
 * of the supported formats or a catalog table.
 */
final class InputTable {
  /** Starts the message of a bad value found while the job runs (Spark's raise_error keeps it). */
  static final String BAD_VALUE = "lossagg: bad value: ";

  enum Format { PARQUET, ORC, CSV, JSON }

  private final Dataset<Row> rows;
  private final String description;
  private final boolean csv;

  private InputTable(Dataset<Row> rows, String description, boolean csv) {
    this.rows = rows;
    this.description = description;
    this.csv = csv;
  }

  static InputTable of(Dataset<Row> rows, String description) {
    return new InputTable(rows, description, false);
  }

  /** A table whose text columns may hold JSON arrays when {@code csv} (see {@link #lossInput}). */
  static InputTable of(Dataset<Row> rows, String description, boolean csv) {
    return new InputTable(rows, description, csv);
  }

  /** Reads {@code path} as {@code format}; CSV with a header row and inferred column types. */
  static InputTable read(SparkSession spark, String path, Format format) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new JobInputException("--input " + path + " does not exist; give the path of a "
            + format.name().toLowerCase(Locale.ROOT) + " table (a file or a directory of part files)");
      }
    } catch (IOException e) {
      throw new JobInputException("--input " + path + " cannot be checked: " + e.getMessage(), e);
    }
    String desc = path + " (" + format.name().toLowerCase(Locale.ROOT) + ")";
    try {
      Dataset<Row> rows = switch (format) {
        case PARQUET -> spark.read().parquet(path);
        case ORC -> spark.read().orc(path);
        case JSON -> spark.read().json(path);
        case CSV -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
      };
      return new InputTable(rows, desc, format == Format.CSV);
    } catch (Exception e) { // AnalysisException (undeclared) or a read failure
      throw new JobInputException("--input " + desc + " cannot be read: " + firstLine(e), e);
    }
  }

  /** The catalog table {@code name} ({@code db.table} or {@code table}). */
  static InputTable table(SparkSession spark, String name) {
    try {
      return new InputTable(spark.table(name), "table " + name, false);
    } catch (Exception e) { // AnalysisException, undeclared (Scala)
      throw new JobInputException("--table " + name + " cannot be read: " + firstLine(e)
          + "; check the name with SHOW TABLES", e);
    }
  }

  Dataset<Row> rows() {
    return rows;
  }

  String description() {
    return description;
  }

  boolean csv() {
    return csv;
  }

  /** The error for a table without rows (found by the evaluation's own pass, not by a pass of its own). */
  JobInputException noRows() {
    return new JobInputException("input " + description + " has no rows; there is no loss to report");
  }

  /** Any column, by name (group-by columns); {@code role} says which option named it. */
  Column column(String name, String role) {
    try {
      Column c = rows.col(name);
      rows.select(c).schema();
      return c;
    } catch (Exception e) { // AnalysisException, undeclared (Scala)
      throw new JobInputException("column '" + name + "' (" + role + ") is not in input " + description
          + "; its columns are: " + String.join(", ", Arrays.asList(rows.columns())));
    }
  }

  /**
   * A loss input column: a number or a (nested) array of numbers. In CSV, where arrays cannot be
   * typed, a text column holding JSON arrays ("[0.1, 0.9]") is parsed; a value that is not one fails
   * the job, naming the column and the value.
   */
  Column lossInput(String name, String role) {
    Column c = column(name, role);
    DataType t = rows.select(c).schema().fields()[0].dataType();
    if (isNumeric(t)) {
      return c;
    }
    if (csv && t instanceof StringType) {
      DataType array = DataTypes.createArrayType(DataTypes.DoubleType);
      Column parsed = functions.from_json(c, array, java.util.Map.of());
      Column bad = c.isNotNull().and(parsed.isNull().or(functions.exists(parsed, Column::isNull)));
      return functions.when(bad, functions.raise_error(functions.concat(
              functions.lit(BAD_VALUE + "column '" + name + "' (" + role + ") in " + description + " has the value '"),
              c, functions.lit("', which is not a JSON array of numbers like [0.1, 0.9]"))).cast(array))
          .otherwise(parsed);
    }
    throw new JobInputException("column '" + name + "' (" + role + ") in input " + description + " has type "
        + t.sql() + "; a loss input must be a number or an array of numbers (e.g. DOUBLE, ARRAY<DOUBLE>"
        + ", ARRAY<ARRAY<DOUBLE>>)" + (t instanceof StringType ? "; cast or parse the column first" : ""));
  }

  /**
   * Checks that {@code aggregate} (a loss aggregate over {@code loss}'s columns) accepts the column
   * types; otherwise bad input naming the loss and its columns.
   */
  void requireAggregatable(JobLoss loss, Column aggregate) {
    try {
      rows.select(aggregate).schema();
    } catch (Exception e) { // AnalysisException (undeclared): the aggregate refused these column types
      throw new JobInputException("loss '" + loss.name() + "' cannot read columns y_true='" + loss.yTrue()
          + "', y_pred='" + loss.yPred() + "'" + (loss.sampleWeight() == null ? "" : ", sample_weight='"
          + loss.sampleWeight() + "'") + ": " + firstLine(e), e);
    }
  }

  static boolean isNumeric(DataType t) {
    while (t instanceof ArrayType a) {
      t = a.elementType();
    }
    return t instanceof NumericType;
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }
}
