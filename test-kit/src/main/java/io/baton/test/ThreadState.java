package io.baton.test;

import io.baton.Baton;
import io.baton.Correlation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;

/** What Baton holds on one thread at one moment: the current correlation and Baton's MDC keys. */
final class ThreadState {

  /** Every MDC key Baton writes: the correlation's and the per-message facts of each module. */
  static final List<String> KEYS =
      List.of(
          Baton.ID_KEY, Baton.PARENT_KEY,
          "retry_attempt", "delivery_count",
          "death_count", "death_reason", "death_queue",
          "original_destination",
          "quartz_job", "quartz_trigger", "quartz_fire_id");

  /** Nothing current, none of the keys. */
  static final ThreadState EMPTY = new ThreadState(null, Map.of());

  private final Correlation current;
  private final Map<String, String> mdc;

  private ThreadState(Correlation current, Map<String, String> mdc) {
    this.current = current;
    this.mdc = mdc;
  }

  /** This thread's state now. */
  static ThreadState now() {
    Map<String, String> mdc = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = MDC.get(key);
      if (value != null) {
        mdc.put(key, value);
      }
    }
    return new ThreadState(Baton.current().orElse(null), mdc);
  }

  boolean isEmpty() {
    return current == null && mdc.isEmpty();
  }

  /**
   * What differs from {@code before}, in words ("correlation 'abc' still current; MDC
   * correlation_id='abc' (was absent)"), or null when nothing does.
   */
  String differencesFrom(ThreadState before) {
    List<String> found = new ArrayList<>();
    if (!Objects.equals(current, before.current)) {
      found.add(
          current == null
              ? "correlation " + describe(before.current) + " no longer current"
              : "correlation " + describe(current) + " still current"
                  + (before.current == null ? "" : " (was " + describe(before.current) + ")"));
    }
    for (String key : KEYS) {
      String was = before.mdc.get(key);
      String is = mdc.get(key);
      if (!Objects.equals(was, is)) {
        found.add(
            "MDC " + key + "=" + quote(is) + (was == null ? "" : " (was " + quote(was) + ")"));
      }
    }
    return found.isEmpty() ? null : String.join("; ", found);
  }

  /** Puts Baton's MDC keys back to {@code before}, so that one leak does not fail what follows. */
  static void restoreMdc(ThreadState before) {
    for (String key : KEYS) {
      String value = before.mdc.get(key);
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }

  private static String describe(Correlation correlation) {
    return correlation.parentId().isPresent()
        ? quote(correlation.id()) + " (child of " + quote(correlation.parentId().get()) + ")"
        : quote(correlation.id());
  }

  private static String quote(String value) {
    return value == null ? "absent" : "'" + Baton.printable(value) + "'";
  }
}
