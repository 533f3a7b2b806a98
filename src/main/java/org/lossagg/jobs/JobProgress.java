package org.lossagg.jobs;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Console progress of a job: every few seconds one line with the running stages' finished/total
 * tasks, the input rows read and the rows written so far and the rate; {@link #close()} prints
 * nothing, the caller prints the final figures with {@link #elapsedSeconds()}.
 *
 * <p>"Rows read" counts the records read by the Spark jobs run inside {@link #inputPass}, the passes
 * over the input, and nothing else: later jobs over a checkpointed or cached result also count as
 * reads in Spark's task metrics, and would add to the input's rows.
 */
final class JobProgress implements AutoCloseable {
  /** The Spark local property marking the jobs of a pass over the input. */
  static final String INPUT_PASS = "lossagg.inputPass";

  private final SparkSession spark;
  private final PrintWriter out;
  private final String prefix;
  private final long start = System.nanoTime();
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicInteger stagesDone = new AtomicInteger();
  private final Set<Integer> inputStages = ConcurrentHashMap.newKeySet();
  private final Map<Integer, int[]> running = new ConcurrentHashMap<>(); // stage id -> {done, total}
  private final ScheduledExecutorService ticker;
  private final SparkListener listener = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart e) {
      if (e.properties() != null && "true".equals(e.properties().getProperty(INPUT_PASS))) {
        e.stageIds().foreach(id -> inputStages.add((Integer) id));
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      running.put(e.stageInfo().stageId(), new int[] {0, e.stageInfo().numTasks()});
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
      running.remove(e.stageInfo().stageId());
      stagesDone.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      if (e.reason() instanceof Success$ && e.taskMetrics() != null) {
        if (inputStages.contains(e.stageId())) {
          rowsRead.addAndGet(e.taskMetrics().inputMetrics().recordsRead());
        }
        rowsWritten.addAndGet(e.taskMetrics().outputMetrics().recordsWritten());
        int[] counts = running.get(e.stageId());
        if (counts != null) {
          synchronized (counts) {
            counts[0]++;
          }
        }
      }
    }
  };

  /** Starts reporting every {@code periodSeconds} to {@code out}, lines starting with {@code prefix}. */
  JobProgress(SparkSession spark, PrintWriter out, String prefix, long periodSeconds) {
    this.spark = spark;
    this.out = out;
    this.prefix = prefix;
    spark.sparkContext().addSparkListener(listener);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, prefix + "-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::report, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  /** Runs {@code action} with its Spark jobs marked as a pass over the input (see the class comment). */
  static <T> T inputPass(SparkSession spark, Supplier<T> action) {
    String before = spark.sparkContext().getLocalProperty(INPUT_PASS);
    spark.sparkContext().setLocalProperty(INPUT_PASS, "true");
    try {
      return action.get();
    } finally {
      spark.sparkContext().setLocalProperty(INPUT_PASS, before);
    }
  }

  long rowsRead() {
    return rowsRead.get();
  }

  long rowsWritten() {
    return rowsWritten.get();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private void report() {
    StringBuilder stages = new StringBuilder();
    running.forEach((id, c) -> {
      synchronized (c) {
        stages.append(String.format(Locale.ROOT, " stage %d: %d/%d tasks;", id, c[0], c[1]));
      }
    });
    double s = elapsedSeconds();
    long read = rowsRead.get();
    out.printf(Locale.ROOT, "%s: %.0f s,%s %d stages done, %,d input rows read (%,.0f rows/s), %,d rows written%n",
        prefix, s, stages, stagesDone.get(), read, s > 0 ? read / s : 0.0, rowsWritten.get());
    out.flush();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    spark.sparkContext().removeSparkListener(listener);
  }
}
