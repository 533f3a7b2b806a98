package org.lossagg.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap of the driver JVM (local mode: driver and executors) during one measurement: the
 * largest sampled "used" heap (every {@link #PERIOD_MS} ms, so garbage between collections
 * counts) and the largest heap left after any collection during it or right after it (the live set).
 */
final class HeapSampler implements AutoCloseable {
  static final long PERIOD_MS = 10;

  /** Peak used heap and peak heap after a collection, in bytes (-1 when no collection ran). */
  record Peak(long used, long afterGc) {}

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (n, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long after = 0;
      for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
        after += u.getUsed();
      }
      recordAfterGc(after);
    }
  };
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakUsed;
  private volatile long peakAfterGc = -1;

  private HeapSampler() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    thread = new Thread(this::sample, "lossagg-bench-heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Collects garbage first, so each measurement starts from the same live heap, then samples. */
  static HeapSampler start() {
    System.gc();
    return new HeapSampler();
  }

  private synchronized void recordAfterGc(long bytes) {
    peakAfterGc = Math.max(peakAfterGc, bytes);
  }

  private void sample() {
    while (running) {
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used > peakUsed) {
        peakUsed = used;
      }
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Ends the measurement with one more (full, synchronous) collection, so the live heap is
   * known even when a run was too short or allocated too little to collect: the larger of the
   * collections during the run and the heap the run left behind.
   */
  Peak stop() {
    System.gc();
    recordAfterGc(memory.getHeapMemoryUsage().getUsed());
    close();
    return new Peak(Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed()), peakAfterGc);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException ignored) {
        // already gone: nothing to remove
      }
    }
    emitters.clear();
  }
}
