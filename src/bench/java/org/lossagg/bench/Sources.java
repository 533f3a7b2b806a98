package org.lossagg.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lossagg.jobs.PredictionTableGenerator;

/**
 * The benchmark inputs, each a pure function of its row count, built from SQL expressions over
 * {@code spark.range} so every contender reads the same rows and 10^9 rows need no storage.
 *
 * <p>Binary columns come from {@link PredictionTableGenerator}. Class logits are drawn by an
 * integer mix ({@code pmod} of a linear form in id and class index), far cheaper than a hash per
 * element: with 1,000 classes a hash per element would make the source, not the loss, the
 * measurement. Every source keeps {@code id}, so a peer can read the first rows.
 */
final class Sources {
  static final long SEED = 42L;
  static final int CTC_FRAMES = 16;
  static final int CTC_CLASSES = 8;
  static final int CTC_LABELS = 4;

  private Sources() {}

  /** Partitions for {@code rows}: two up to 10^7 rows, then one per 5·10^6 rows (even). */
  static int partitions(long rows) {
    long p = Math.max(2, (rows + 4_999_999) / 5_000_000);
    return (int) Math.min(2000, p + (p & 1));
  }

  /** id, label (0/1), logit, prob = sigmoid(logit), weight in (0, 2]. */
  static Dataset<Row> binary(SparkSession spark, long rows) {
    return PredictionTableGenerator.generate(spark, rows, SEED, partitions(rows))
        .select("id", "label", "logit", "prob", "weight");
  }

  /**
   * The binary columns written once as Parquet under {@code dir} (reused when a complete copy of
   * the same row count exists), read back as the source.
   */
  static Dataset<Row> binaryParquet(SparkSession spark, long rows, Path dir) throws Exception {
    Path table = dir.resolve("binary-" + rows + ".parquet");
    if (!Files.exists(table.resolve("_SUCCESS"))) {
      System.out.printf("  writing Parquet source %s ...%n", table);
      long t0 = System.nanoTime();
      binary(spark, rows).write().mode("overwrite").parquet(table.toString());
      System.out.printf("  wrote %,d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }
    return spark.read().parquet(table.toString());
  }

  /** id, cls INT in [0, C), y = one-hot ARRAY&lt;DOUBLE&gt;(C), z = logits ARRAY&lt;DOUBLE&gt;(C), +3 on the true class. */
  static Dataset<Row> categorical(SparkSession spark, long rows, int classes) {
    return spark.range(0, rows, 1, partitions(rows)).toDF()
        .selectExpr("id", "CAST(pmod(xxhash64(" + SEED + "L, id, 5), " + classes + ") AS INT) AS cls")
        .selectExpr("id", "cls",
            "transform(sequence(0, " + (classes - 1) + "), j -> IF(j = cls, 1.0D, 0.0D)) AS y",
            "transform(sequence(0, " + (classes - 1) + "), j -> " + uniformLogit("j") + " + IF(j = cls, 3.0D, 0.0D)) AS z");
  }

  /**
   * id, labels ARRAY&lt;INT&gt;(L) of classes in [1, C) (0 is CTC's blank), logits
   * ARRAY&lt;ARRAY&lt;DOUBLE&gt;&gt; (T frames × C classes).
   */
  static Dataset<Row> ctc(SparkSession spark, long rows) {
    int c = CTC_CLASSES;
    return spark.range(0, rows, 1, partitions(rows)).toDF().selectExpr("id",
        "transform(sequence(0, " + (CTC_LABELS - 1) + "), k -> CAST(1 + pmod(xxhash64(" + SEED
            + "L, id, 50 + k), " + (c - 1) + ") AS INT)) AS labels",
        "transform(sequence(0, " + (CTC_FRAMES - 1) + "), t -> transform(sequence(0, " + (c - 1) + "), c -> "
            + uniformLogit("(t * " + c + " + c)") + ")) AS logits");
  }

  /** A value in (-2, 2) from an integer mix of id and an element index. */
  private static String uniformLogit(String index) {
    return "(4.0D * (CAST(pmod(id * 7919L + " + index + " * 104729L + 12345L, 1000003L) AS DOUBLE) + 0.5D)"
        + " / 1000003.0D - 2.0D)";
  }
}
