package org.lossagg.jobs;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.types.StructType;

/**
 * The stream {@code lossagg-stream} reads, as an {@link InputTable}: new files in a directory
 * (Parquet, JSON lines or CSV with a header; CSV arrays as JSON text), or a Kafka topic whose message
 * values are JSON objects (needs the spark-sql-kafka-0-10 connector on the classpath). A file stream
 * needs a schema: {@code --schema} or the schema of the files already in the directory.
 */
final class StreamSource {
  static final String KAFKA_PACKAGE = "org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7";

  private StreamSource() {}

  static InputTable files(SparkSession spark, String dir, InputTable.Format format, String schemaDdl,
      Integer maxFilesPerTrigger) {
    String fmt = format.name().toLowerCase(Locale.ROOT);
    if (format == InputTable.Format.ORC) {
      throw new JobInputException("--format orc is not offered for streams; use parquet, json or csv");
    }
    StructType schema = schemaDdl != null ? parse(schemaDdl) : inferred(spark, dir, format);
    DataStreamReader r = spark.readStream().schema(schema);
    if (format == InputTable.Format.CSV) {
      r = r.option("header", "true");
    }
    if (maxFilesPerTrigger != null) {
      r = r.option("maxFilesPerTrigger", maxFilesPerTrigger.toString());
    }
    return InputTable.of(r.format(fmt).load(dir), "new " + fmt + " files in " + dir, format == InputTable.Format.CSV);
  }

  /** Messages of {@code topic} on {@code servers}; each value a JSON object of {@code schemaDdl}'s columns. */
  static InputTable kafka(SparkSession spark, String servers, String topic, String schemaDdl) {
    if (schemaDdl == null) {
      throw new JobInputException("--kafka-servers needs --schema: the columns of the JSON message values, e.g. "
          + "'event_time TIMESTAMP, label DOUBLE, prob DOUBLE'");
    }
    StructType schema = parse(schemaDdl);
    Dataset<Row> raw;
    try {
      raw = spark.readStream().format("kafka").option("kafka.bootstrap.servers", servers).option("subscribe", topic)
          .load();
    } catch (Exception e) { // AnalysisException (undeclared) when the connector is not on the classpath
      throw new JobInputException("the Kafka source is not available (" + InputTable.firstLine(e) + "); run with the "
          + "connector: spark-submit --packages " + KAFKA_PACKAGE + " (or put its jar and kafka-clients on the "
          + "classpath)", e);
    }
    Dataset<Row> rows = raw.select(functions.from_json(raw.col("value").cast("string"), schema).as("m"),
        raw.col("timestamp").as("kafka_timestamp")).select("m.*", "kafka_timestamp");
    return InputTable.of(rows, "Kafka topic " + topic + " on " + servers);
  }

  private static StructType parse(String ddl) {
    try {
      return StructType.fromDDL(ddl);
    } catch (Exception e) { // ParseException (undeclared)
      throw new JobInputException("--schema '" + ddl + "' is not a column list like 'event_time TIMESTAMP, "
          + "label DOUBLE, prob ARRAY<DOUBLE>': " + InputTable.firstLine(e), e);
    }
  }

  /** The schema of the files already in {@code dir}, read as a table. */
  private static StructType inferred(SparkSession spark, String dir, InputTable.Format format) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      boolean anyFile = false;
      if (fs.exists(p)) {
        for (FileStatus f : fs.listStatus(p)) {
          String name = f.getPath().getName();
          anyFile |= !name.startsWith(".") && !name.startsWith("_");
        }
      }
      if (!anyFile) {
        throw new JobInputException("--input " + dir + " has no files to take the schema from; give --schema with "
            + "the columns (e.g. 'event_time TIMESTAMP, label DOUBLE, prob DOUBLE')");
      }
    } catch (IOException e) {
      throw new JobInputException("--input " + dir + " cannot be listed: " + e.getMessage(), e);
    }
    return InputTable.read(spark, dir, format).rows().schema();
  }
}
