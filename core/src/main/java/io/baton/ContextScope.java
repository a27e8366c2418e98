package io.baton;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * The thread's innermost open scope is the current context: it holds the correlation (null for a
 * scope that clears the context) and the MDC keys it was written under, and restores on close
 * exactly what it replaced.
 */
final class ContextScope implements CorrelationScope {

  private static final ThreadLocal<ContextScope> CURRENT = new ThreadLocal<>();

  private final Correlation correlation;
  private final String idKey;
  private final String parentKey;
  private final ContextScope previous;
  private final String previousId;
  private final String previousParent;
  /** Extra MDC fields: key, value pairs; values are replaced by what the MDC held before. */
  private final String[] fields;
  private boolean closed;

  private ContextScope(
      Correlation correlation,
      String idKey,
      String parentKey,
      ContextScope previous,
      String previousId,
      String previousParent,
      String[] fields) {
    this.correlation = correlation;
    this.idKey = idKey;
    this.parentKey = parentKey;
    this.previous = previous;
    this.previousId = previousId;
    this.previousParent = previousParent;
    this.fields = fields;
  }

  private static final String[] NO_FIELDS = {};

  /** Makes {@code correlation} current (or none, when null) and writes it to the MDC. */
  static ContextScope open(Correlation correlation, String idKey, String parentKey) {
    return open(correlation, idKey, parentKey, NO_FIELDS);
  }

  /**
   * Like {@link #open(Correlation, String, String)}, also putting {@code keyValues} (key, value,
   * key, value...; null values skipped) in the MDC until close.
   */
  static ContextScope open(
      Correlation correlation, String idKey, String parentKey, String... keyValues) {
    String[] fields = NO_FIELDS;
    if (keyValues.length > 0) {
      // Check every pair before touching the MDC, so that a bad call leaves nothing behind.
      if (keyValues.length % 2 != 0) {
        throw new IllegalArgumentException("MDC fields come in key, value pairs");
      }
      for (int i = 0; i < keyValues.length; i += 2) {
        String key = Objects.requireNonNull(keyValues[i], "MDC key");
        if (key.equals(idKey) || key.equals(parentKey)) {
          throw new IllegalArgumentException(key + " is the correlation's own MDC key");
        }
      }
      fields = keyValues.clone();
      for (int i = 0; i < fields.length; i += 2) {
        String value = fields[i + 1];
        fields[i + 1] = value == null ? NOT_SET : MDC.get(fields[i]);
        if (value != null) {
          MDC.put(fields[i], Ids.printable(value));
        }
      }
    }
    ContextScope scope =
        new ContextScope(
            correlation,
            idKey,
            parentKey,
            CURRENT.get(),
            MDC.get(idKey),
            MDC.get(parentKey),
            fields);
    CURRENT.set(scope);
    if (correlation == null) {
      MDC.remove(idKey);
      MDC.remove(parentKey);
    } else {
      // A scope inside the same correlation (a callback on the sending thread, a handler inside
      // forEach) finds its values there already: writing them again is Logback map work for nothing.
      if (!correlation.id().equals(scope.previousId)) {
        MDC.put(idKey, correlation.id());
      }
      String parent = correlation.parentIdOrNull();
      if (!Objects.equals(parent, scope.previousParent)) {
        restore(parentKey, parent);
      }
    }
    return scope;
  }

  static Correlation current() {
    ContextScope scope = CURRENT.get();
    return scope == null ? null : scope.correlation;
  }

  /** {@code task}, to run under the context current now (none, if none) wherever it runs. */
  static Runnable wrap(Runnable task) {
    Captured captured = Captured.now();
    return () -> {
      try (ContextScope scope = captured.open()) {
        task.run();
      }
    };
  }

  /** {@code task}, to run under the context current now (none, if none) wherever it runs. */
  static <T> Callable<T> wrap(Callable<T> task) {
    Captured captured = Captured.now();
    return () -> {
      try (ContextScope scope = captured.open()) {
        return task.call();
      }
    };
  }

  /**
   * The context of a thread at one moment: what a task submitted then should run under. Holds the
   * correlation and its MDC keys, not the scope, so a queued task keeps no chain of scopes alive.
   */
  private static final class Captured {
    private final Correlation correlation;
    private final String idKey;
    private final String parentKey;

    private Captured(Correlation correlation, String idKey, String parentKey) {
      this.correlation = correlation;
      this.idKey = idKey;
      this.parentKey = parentKey;
    }

    static Captured now() {
      ContextScope current = CURRENT.get();
      return current == null
          ? new Captured(null, Baton.ID_KEY, Baton.PARENT_KEY)
          : new Captured(current.correlation, current.idKey, current.parentKey);
    }

    ContextScope open() {
      return ContextScope.open(correlation, idKey, parentKey);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CURRENT.set(previous);
    restore(idKey, previousId);
    restore(parentKey, previousParent);
    for (int i = fields.length - 2; i >= 0; i -= 2) {
      if (fields[i + 1] != NOT_SET) {
        restore(fields[i], fields[i + 1]);
      }
    }
  }

  /** Marks a field that was given no value, so that close leaves its key alone. */
  private static final String NOT_SET = new String("");

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
