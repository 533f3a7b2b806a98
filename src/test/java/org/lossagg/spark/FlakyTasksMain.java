package org.lossagg.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Run by {@link DistributedInvariantsTest} in its own JVM, because task retries need a
 * {@code local[2,4]} master (the shared test session is {@code local[2]}, where a task fails once
 * and for all). Prints one line per mode: the query results, and how many task attempts failed.
 * Failures are injected on each task's first attempt: at the first row of partition 1, at row 200
 * of partition 1, or in the final merge (a function over the aggregate's result).
 */
public final class FlakyTasksMain {
  private static final Map<Long, AtomicLong> ROWS_SEEN = new ConcurrentHashMap<>();

  private FlakyTasksMain() {}

  static double maybeFail(double v, String mode) {
    TaskContext tc = TaskContext.get();
    if (tc == null || tc.attemptNumber() > 0) {
      return v;
    }
    long n = ROWS_SEEN.computeIfAbsent(tc.taskAttemptId(), k -> new AtomicLong()).incrementAndGet();
    boolean fail = switch (mode) {
      case "start" -> tc.partitionId() == 1 && n == 1;
      case "mid" -> tc.partitionId() == 1 && n == 200;
      case "final" -> true;
      default -> false;
    };
    if (fail) {
      throw new IllegalStateException("injected task failure (" + mode + ", partition " + tc.partitionId() + ")");
    }
    return v;
  }

  public static void main(String[] args) throws java.util.concurrent.TimeoutException {
    SparkSession spark = SparkSession.builder().master("local[2,4]").appName("lossagg-flaky-tasks")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    AtomicInteger failed = new AtomicInteger();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (!(e.reason() instanceof Success$)) {
          failed.incrementAndGet();
        }
      }
    });
    spark.udf().register("flaky", (UDF2<Double, String, Double>) FlakyTasksMain::maybeFail, DataTypes.DoubleType);
    spark.udf().register("flaky_f", (UDF2<Float, String, Float>) (v, m) -> v == null ? null : (float) maybeFail(v, m),
        DataTypes.FloatType);
    InvariantQueries.register(spark);
    for (String mode : new String[] {"none", "start", "mid"}) {
      int before = failed.get();
      String result = InvariantQueries.run(spark, "flaky(p, '" + mode + "')", "", "");
      spark.sparkContext().listenerBus().waitUntilEmpty();
      System.out.println(mode + " failures=" + (failed.get() - before) + " " + result);
    }
    // Each final-merge task fails once: the results pass through flaky_f (as FLOAT) right after the merge.
    for (String mode : new String[] {"none", "final"}) {
      int before = failed.get();
      String result = InvariantQueries.run(spark, "p", "flaky_f(CAST(", " AS FLOAT), '" + mode + "')");
      spark.sparkContext().listenerBus().waitUntilEmpty();
      System.out.println("merge-" + mode + " failures=" + (failed.get() - before) + " " + result);
    }
    spark.stop();
  }
}
