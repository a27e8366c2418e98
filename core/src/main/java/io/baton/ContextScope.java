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

  /**
   * A thread's innermost open scope. A scope keeps its thread's holder, so that closing it looks
   * nothing up: the per-message path pays one thread-local lookup per scope, not three.
   */
  private static final class Context {
    ContextScope innermost;
  }

  private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

  private final Context context;
  private final Correlation correlation;
  private final String idKey;
  private final String parentKey;
  private final ContextScope previous;
  private final String previousId;
  private final String previousParent;
  /** Whether open wrote the key; close leaves a key it did not write alone (one MDC call less). */
  private final boolean idWritten;
  private final boolean parentWritten;
  /** Extra MDC fields: key, value pairs; values are replaced by what the MDC held before. */
  private final String[] fields;
  private boolean closed;

  private ContextScope(
      Context context,
      Correlation correlation,
      String idKey,
      String parentKey,
      String previousId,
      String previousParent,
      String[] fields) {
    this.context = context;
    this.correlation = correlation;
    this.idKey = idKey;
    this.parentKey = parentKey;
    this.previous = context.innermost;
    this.previousId = previousId;
    this.previousParent = previousParent;
    this.fields = fields;
    // A scope inside the same correlation (a callback on the sending thread, a handler inside
    // forEach) finds its values in the MDC already: writing them again is Logback map work.
    String id = correlation == null ? null : correlation.id();
    String parent = correlation == null ? null : correlation.parentIdOrNull();
    this.idWritten = !Objects.equals(id, previousId);
    this.parentWritten = !Objects.equals(parent, previousParent);
  }

  private static final String[] NO_FIELDS = {};

  /**
   * Makes {@code correlation} current (or none, when null) and writes it to the MDC. The path of
   * every message: kept small so that the JIT inlines it into the caller.
   */
  static CorrelationScope open(Correlation correlation, String idKey, String parentKey) {
    return open(correlation, idKey, parentKey, NO_FIELDS, CONTEXT.get());
  }

  /**
   * Like {@link #open(Correlation, String, String)}, also putting {@code keyValues} (key, value,
   * key, value...; null values skipped) in the MDC until close.
   */
  static CorrelationScope open(
      Correlation correlation, String idKey, String parentKey, String... keyValues) {
    if (keyValues.length == 0) {
      return open(correlation, idKey, parentKey);
    }
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
    String[] fields = keyValues.clone();
    for (int i = 0; i < fields.length; i += 2) {
      String value = fields[i + 1];
      fields[i + 1] = value == null ? NOT_SET : MDC.get(fields[i]);
      if (value != null) {
        MDC.put(fields[i], Ids.printable(value));
      }
    }
    return open(correlation, idKey, parentKey, fields, CONTEXT.get());
  }

  private static CorrelationScope open(
      Correlation correlation, String idKey, String parentKey, String[] fields, Context context) {
    String previousId = MDC.get(idKey);
    String previousParent = MDC.get(parentKey);
    if (fields.length == 0 && changesNothing(context.innermost, correlation, idKey, parentKey,
        previousId, previousParent)) {
      return UNCHANGED;
    }
    ContextScope scope =
        new ContextScope(
            context, correlation, idKey, parentKey, previousId, previousParent, fields);
    context.innermost = scope;
    if (scope.idWritten) {
      restore(idKey, correlation == null ? null : correlation.id());
    }
    if (scope.parentWritten) {
      restore(parentKey, correlation == null ? null : correlation.parentIdOrNull());
    }
    return scope;
  }

  /**
   * Whether opening {@code correlation} would leave everything as it is: it is current already,
   * under the same MDC keys, and the MDC holds its values. A callback completing on the sending
   * thread, or a future's stage running inline, opens such a scope; it then costs no object.
   */
  private static boolean changesNothing(
      ContextScope innermost,
      Correlation correlation,
      String idKey,
      String parentKey,
      String previousId,
      String previousParent) {
    return innermost != null
        && correlation != null
        && correlation.equals(innermost.correlation)
        && idKey.equals(innermost.idKey)
        && parentKey.equals(innermost.parentKey)
        && correlation.id().equals(previousId)
        && Objects.equals(correlation.parentIdOrNull(), previousParent);
  }

  /** The scope of an open that changed nothing: closing it has nothing to put back. */
  private static final CorrelationScope UNCHANGED = () -> {};

  static Correlation current() {
    ContextScope scope = CONTEXT.get().innermost;
    return scope == null ? null : scope.correlation;
  }

  /** {@code task}, to run under the context current now (none, if none) wherever it runs. */
  static Runnable wrap(Runnable task) {
    Captured captured = Captured.now();
    return () -> {
      try (CorrelationScope scope = captured.open()) {
        task.run();
      }
    };
  }

  /**
   * Like {@link #wrap(Runnable)}, for a task whose failure nobody else sees (an executor's {@code
   * execute}: only an uncaught-exception handler would): the failure is logged inside the task's
   * correlation, then rethrown.
   */
  static Runnable wrap(Runnable task, FailureLog failureLog) {
    Captured captured = Captured.now();
    return () -> {
      try (CorrelationScope scope = captured.open()) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          failureLog.log(CorrelationPropagator.LOG, e, "Task failed");
          throw e;
        }
      }
    };
  }

  /** {@code task}, to run under the context current now (none, if none) wherever it runs. */
  static <T> Callable<T> wrap(Callable<T> task) {
    Captured captured = Captured.now();
    return () -> {
      try (CorrelationScope scope = captured.open()) {
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
      ContextScope current = CONTEXT.get().innermost;
      return current == null
          ? new Captured(null, Baton.ID_KEY, Baton.PARENT_KEY)
          : new Captured(current.correlation, current.idKey, current.parentKey);
    }

    CorrelationScope open() {
      return ContextScope.open(correlation, idKey, parentKey);
    }
  }

  /** The context of this thread now, with the current values of the innermost scope's fields. */
  static Snapshot snapshot() {
    ContextScope current = CONTEXT.get().innermost;
    if (current == null || current.correlation == null) {
      return Snapshot.NONE;
    }
    String[] keyValues = new String[current.fields.length];
    for (int i = 0; i < keyValues.length; i += 2) {
      keyValues[i] = current.fields[i];
      keyValues[i + 1] = MDC.get(current.fields[i]);
    }
    return new Snapshot(current.correlation, current.idKey, current.parentKey, keyValues);
  }

  /** A correlation and the MDC fields it had at one moment, to open again later. */
  static final class Snapshot {
    static final Snapshot NONE = new Snapshot(null, Baton.ID_KEY, Baton.PARENT_KEY, NO_FIELDS);

    final Correlation correlation;
    private final String idKey;
    private final String parentKey;
    private final String[] keyValues;

    private Snapshot(Correlation correlation, String idKey, String parentKey, String[] keyValues) {
      this.correlation = correlation;
      this.idKey = idKey;
      this.parentKey = parentKey;
      this.keyValues = keyValues;
    }

    CorrelationScope open() {
      return ContextScope.open(correlation, idKey, parentKey, keyValues);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // An inner scope left open (a bug, but one the next message on this thread must not
    // inherit) may have written our keys: then restore them whatever this scope wrote.
    boolean innerLeaked = context.innermost != this;
    context.innermost = previous;
    if (idWritten || innerLeaked) {
      restore(idKey, previousId);
    }
    if (parentWritten || innerLeaked) {
      restore(parentKey, previousParent);
    }
    if (fields.length > 0) {
      restoreFields();
    }
  }

  private void restoreFields() {
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
