package org.lossagg.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lossagg.spark.SparkTestSession;

/**
 * A measuring main, not a test (surefire runs only *Test classes): Mrows/s of keras_loss BCE with
 * weights, the hand-written native SQL BCE and the scan floor sum(p) on the same generated rows,
 * alternating, in one JVM. Arguments: rows (default 10^7), rounds (default 5), and optional query
 * names to run (sum, native, keras, keras64, cce). The project's benchmark harness lives in src/bench;
 * this probe only backs performance work on the aggregates.
 */
public final class BceThroughputProbe {
  private BceThroughputProbe() {}

  static final String CLIP = "greatest(least(prob, 1 - 1e-7), 1e-7)";

  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    SparkSession spark = SparkTestSession.get();
    spark.sparkContext().setLogLevel("WARN");
    if (System.getProperty("sortAggCodegen") != null) {
      spark.conf().set("spark.sql.codegen.aggregate.sortAggregate.enabled", System.getProperty("sortAggCodegen"));
    }
    System.out.println("sortAggregate codegen: " + spark.conf().get("spark.sql.codegen.aggregate.sortAggregate.enabled"));
    spark.range(0, rows, 1, 2).selectExpr(
        "cast(id & 1 as double) as label",
        "rand(7) as prob",
        "0.5 + cast(id & 3 as double) * 0.5 as weight").createOrReplaceTempView("gen");
    spark.range(0, Math.min(rows, 100_000L), 1, 2).selectExpr(
        "transform(sequence(0, 999), c -> IF(c = cast(pmod(id, 1000) as int), 1.0D, 0.0D)) as y",
        "transform(sequence(0, 999), c -> (cast(pmod(id * 31 + c * 17, 1009) as double) + 1.0) / 1010.0) as p")
        .cache().createOrReplaceTempView("gen_cce");
    if (List.of(args).contains("cce")) {
      spark.table("gen_cce").count();
    }
    Map<String, String> all = new LinkedHashMap<>();
    all.put("sum", "SELECT sum(prob) FROM gen");
    all.put("native", "SELECT avg(-(label * ln(" + CLIP + ") + (1 - label) * ln(1 - " + CLIP + ")) * weight) FROM gen");
    all.put("onelog", "SELECT sum(-ln(IF(label = 1, " + CLIP + ", 1 - " + CLIP + ")) * weight) FROM gen");
    all.put("keras", "SELECT keras_loss('binary_crossentropy', label, prob, weight) FROM gen");
    all.put("keras64", "SELECT keras_loss('{\"class_name\": \"BinaryCrossentropy\", \"config\": {\"dtype\": \"float64\"}}', label, prob, weight) FROM gen");
    all.put("reduce", "SELECT loss_reduce(loss_binary_crossentropy(label, prob), weight) FROM gen");
    all.put("cce", "SELECT keras_loss('categorical_crossentropy', y, p) FROM gen_cce");
    all.put("cce_scan", "SELECT sum(p[7]) FROM gen_cce");
    List<String> names = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      names.add(args[i]);
    }
    if (names.isEmpty()) {
      names.addAll(List.of("sum", "native", "keras"));
    }
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (String name : names) {
        Dataset<Row> q = spark.sql(all.get(name));
        long n = name.startsWith("cce") ? Math.min(rows, 100_000L) : rows;
        long t0 = System.nanoTime();
        Row result = q.collectAsList().get(0);
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = n / secs / 1e6;
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
        System.out.printf("round %d %-8s %8.3f Mrows/s  (%.3f s)  value %s%n", r, name, rate, secs, result.get(0));
      }
    }
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      v.sort(null);
      System.out.printf("%-8s median %8.3f  best %8.3f Mrows/s%n", e.getKey(), v.get(v.size() / 2), v.get(v.size() - 1));
    }
    if (System.getProperty("explain") != null) {
      for (String name : names) {
        spark.sql(all.get(name)).explain();
      }
    }
  }
}
