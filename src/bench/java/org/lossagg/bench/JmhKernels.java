package org.lossagg.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of {@code org.lossagg.bench.jmh} in a forked JVM and keeps their scores. */
final class JmhKernels {
  /** One benchmark's score: nanoseconds per operation (a row, a term, or one merge) and its error. */
  record Row(String benchmark, double nsPerOp, double error) {}

  private JmhKernels() {}

  static List<Row> run(boolean quick) throws RunnerException {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include("org\\.lossagg\\.bench\\.jmh\\..*")
        .forks(1)
        .jvmArgsAppend("-Xmx1g")
        .shouldFailOnError(true)
        .timeUnit(TimeUnit.NANOSECONDS);
    if (quick) {
      o.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
    } else {
      o.warmupIterations(3).warmupTime(TimeValue.seconds(2))
          .measurementIterations(5).measurementTime(TimeValue.seconds(2));
    }
    Collection<RunResult> results = new Runner(o.build()).run();
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      rows.add(new Row(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
          r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
    }
    return rows;
  }
}
