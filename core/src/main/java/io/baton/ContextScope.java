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
  /** The thread that opened this scope: only its context and MDC are this scope's to restore. */
  private final Thread owner;
  /** Taken off its thread's context: restored, or undone with a scope it was inside of. */
  private boolean closed;
  /** Closed from another thread: the owner undoes it at its next use of Baton. */
  private volatile boolean abandoned;

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
    this.owner = Thread.currentThread();
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
    return open(correlation, idKey, parentKey, NO_FIELDS, context());
  }

  /** This thread's context, after undoing scopes another thread closed on top of it. */
  private static Context context() {
    Context context = CONTEXT.get();
    ContextScope innermost = context.innermost;
    if (innermost != null && innermost.abandoned) {
      innermost.undoAbandoned();
    }
    return context;
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
    return open(correlation, idKey, parentKey, fields, context());
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
    ContextScope scope = context().innermost;
    return scope == null ? null : scope.correlation;
  }

  /**
   * The context of a thread at one moment: what a task submitted then should run under. Holds the
   * correlation and its MDC keys, not the scope, so a queued task keeps no chain of scopes alive.
   */
  static final class Captured {
    private final Correlation correlation;
    private final String idKey;
    private final String parentKey;
    /** Whether each run gets a child of {@link #correlation} (a periodic task's runs). */
    private final boolean childPerRun;

    private Captured(Correlation correlation, String idKey, String parentKey, boolean childPerRun) {
      this.correlation = correlation;
      this.idKey = idKey;
      this.parentKey = parentKey;
      this.childPerRun = childPerRun;
    }

    /** What is current on this thread now (nothing, if nothing). */
    static Captured now() {
      ContextScope current = context().innermost;
      return current == null
          ? new Captured(null, Baton.ID_KEY, Baton.PARENT_KEY, false)
          : new Captured(current.correlation, current.idKey, current.parentKey, false);
    }

    /** {@code correlation}, under Baton's MDC keys. */
    static Captured of(Correlation correlation) {
      return new Captured(correlation, Baton.ID_KEY, Baton.PARENT_KEY, false);
    }

    /** For a task that runs again and again: each run a child of this correlation, or a root. */
    Captured childPerRun() {
      return new Captured(correlation, idKey, parentKey, true);
    }

    CorrelationScope open() {
      if (childPerRun) {
        return ContextScope.open(
            correlation == null ? Correlation.newRoot() : correlation.newChild(), idKey, parentKey);
      }
      return ContextScope.open(correlation, idKey, parentKey);
    }
  }

  /** The context of this thread now, with the current values of the innermost scope's fields. */
  static Snapshot snapshot() {
    ContextScope current = context().innermost;
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
    if (Thread.currentThread() != owner) {
      closeFromAnotherThread();
      return;
    }
    if (closed) {
      return;
    }
    // Scopes opened inside this one and still open (a bug, but one the next message on this
    // thread must not inherit) are undone with it: after it, the thread is as it was before it.
    ContextScope scope = context.innermost;
    while (scope != this) {
      scope.undo();
      scope = scope.previous;
    }
    undo();
    context.innermost = previous;
    if (previous != null && previous.abandoned) {
      previous.undoAbandoned();
    }
  }

  /** Takes this scope's values out of its thread's MDC, putting back what it replaced. */
  private void undo() {
    closed = true;
    if (idWritten) {
      restore(idKey, previousId);
    }
    if (parentWritten) {
      restore(parentKey, previousParent);
    }
    if (fields.length > 0) {
      restoreFields();
    }
  }

  /** On the owner's thread: undoes this scope and those below it that other threads closed. */
  private void undoAbandoned() {
    ContextScope scope = this;
    while (scope != null && scope.abandoned && !scope.closed) {
      scope.undo();
      scope = scope.previous;
    }
    context.innermost = scope;
  }

  /**
   * A scope closed on a thread that did not open it cannot touch the opener's MDC (it is the
   * opener's thread-local), and must not touch the closer's: the opener undoes it instead.
   */
  private void closeFromAnotherThread() {
    if (abandoned) {
      return;
    }
    abandoned = true;
    CorrelationPropagator.LOG.warn(
        "A correlation scope opened on thread {} was closed on thread {}; the opening thread puts "
            + "its context back at its next use of Baton. Close scopes where they were opened.",
        Ids.printable(owner.getName()), Ids.printable(Thread.currentThread().getName()));
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
