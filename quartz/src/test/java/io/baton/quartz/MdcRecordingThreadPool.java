package io.baton.quartz;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quartz.simpl.SimpleThreadPool;
import org.slf4j.MDC;

/**
 * Quartz's own pool (set with {@code org.quartz.threadPool.class}), recording what the worker
 * thread's MDC holds once each run is over: after Baton's scope around it closed.
 */
public final class MdcRecordingThreadPool extends SimpleThreadPool {

  static final List<Map<String, String>> AFTER_RUNS = new CopyOnWriteArrayList<>();

  @Override
  public boolean runInThread(Runnable runnable) {
    return super.runInThread(() -> {
      try {
        runnable.run();
      } finally {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        AFTER_RUNS.add(mdc == null ? Map.of() : new HashMap<>(mdc));
      }
    });
  }
}
