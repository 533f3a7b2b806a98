package org.lossagg.spark;

import org.apache.spark.sql.execution.streaming.runtime.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.StreamingQuery;

/** The physical plan of a streaming query's last micro-batch (Spark 4.x line, as of 4.1). */
final class StreamingPlans {
  private StreamingPlans() {}

  static String lastExecutedPlan(StreamingQuery q) {
    return ((StreamingQueryWrapper) q).streamingQuery().lastExecution().executedPlan().toString();
  }
}
