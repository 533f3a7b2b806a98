package org.lossagg.bench;

import java.util.Arrays;

/**
 * One contender on one workload at one size: every timed repetition, the rows each covered, the
 * value, and the agreement with lossagg's fused value.
 *
 * @param seconds wall time of each timed repetition, in run order
 * @param agreement "ok", "n/a" (not the same number by design) or a failure description
 * @param peakHeapBytes largest sampled used heap over the repetitions
 * @param peakLiveHeapBytes largest heap after a collection over the repetitions (-1: no collection)
 */
record Measurement(String workload, long size, long rows, Peer peer, double[] seconds, long rowsCovered,
    double value, String agreement, long peakHeapBytes, long peakLiveHeapBytes) {

  double medianSeconds() {
    double[] s = seconds.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Million rows per second at the median repetition. */
  double mrowsPerSecond() {
    return rowsCovered / medianSeconds() / 1e6;
  }
}
