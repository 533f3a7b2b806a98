package org.lossagg.bench;

/** Who a contender is: lossagg's two SQL forms, or what a user would otherwise run. */
enum Peer {
  FUSED("lossagg keras_loss", "lossagg", "#d62728"),
  REDUCE("lossagg loss_reduce(loss_*)", "lossagg", "#ff9896"),
  /** The grouped workloads' query without its GROUP BY, timed alternating with them. */
  UNGROUPED("lossagg ungrouped keras_loss", "lossagg", "#e377c2"),
  NATIVE_SQL("native Spark SQL", "peer", "#1f77b4"),
  MLLIB("MLlib logLoss", "peer", "#2ca02c"),
  TENSORFLOW("TensorFlow Java", "peer", "#9467bd"),
  JOB("lossagg-evaluate job", "lossagg", "#8c564b"),
  SCAN_FLOOR("scan floor sum()", "floor", "#7f7f7f");

  final String label;
  final String family;
  final String color;

  Peer(String label, String family, String color) {
    this.label = label;
    this.family = family;
    this.color = color;
  }
}
