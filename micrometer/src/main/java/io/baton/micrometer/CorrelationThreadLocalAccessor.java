package io.baton.micrometer;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Baton's current {@link Correlation} as a Micrometer context-propagation {@link
 * ThreadLocalAccessor}: a {@code ContextSnapshot} captures it, and Reactor's automatic context
 * propagation ({@code Hooks.enableAutomaticContextPropagation()}) carries it to the threads an
 * operator hops to, with the MDC's {@code correlation_id} and {@code parent_correlation_id}. Where
 * a snapshot or a Reactor {@code Context} holds no correlation, it clears the thread's one for that
 * stretch of work (when the snapshot clears missing values, as Reactor's do).
 *
 * <p>Nothing to configure: the jar registers it through {@link java.util.ServiceLoader}, so {@code
 * ContextRegistry.getInstance()} finds it.
 *
 * <pre>{@code
 * ContextSnapshot snapshot = ContextSnapshotFactory.builder().build().captureAll();
 * executor.execute(() -> {
 *   try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
 *     log.info("runs under the submitter's correlation_id");
 *   }
 * });
 * }</pre>
 *
 * <p>context-propagation sets a value on one call and restores it on a later one; Baton's scopes
 * are try-with-resources objects. The accessor keeps the scopes it opened on a stack per thread
 * and closes the innermost on each restore, so the thread gets back exactly what it had, MDC
 * included.
 */
public final class CorrelationThreadLocalAccessor implements ThreadLocalAccessor<Correlation> {

  /** The key Baton's correlation is stored under in a snapshot or a Reactor {@code Context}. */
  public static final String KEY = "baton.correlation";

  /** The scopes this accessor opened on the thread, innermost first. */
  private static final ThreadLocal<ArrayDeque<CorrelationScope>> OPENED = new ThreadLocal<>();

  /** The instance {@link java.util.ServiceLoader} creates; one is enough for any number. */
  public CorrelationThreadLocalAccessor() {}

  /** {@value #KEY}. */
  @Override
  public Object key() {
    return KEY;
  }

  /** The correlation current on this thread, or null when there is none. */
  @Override
  public Correlation getValue() {
    return Baton.current().orElse(null);
  }

  /** Makes {@code value} current on this thread, and in the MDC, until the matching restore. */
  @Override
  public void setValue(Correlation value) {
    push(Baton.open(Objects.requireNonNull(value, "value")));
  }

  /** Clears the correlation (and its MDC keys) on this thread until the matching restore. */
  @Override
  public void setValue() {
    push(Baton.openEmpty());
  }

  /**
   * Same as {@link #setValue()}: for callers of context-propagation 1.0, where a missing value
   * was set by {@code reset()}.
   */
  @Override
  @Deprecated
  public void reset() {
    setValue();
  }

  /**
   * Closes the innermost scope this accessor opened on this thread: what the thread held before
   * it ({@code previousValue}) is current again.
   */
  @Override
  public void restore(Correlation previousValue) {
    closeInnermost();
  }

  /** Closes the innermost scope this accessor opened on this thread: no correlation again. */
  @Override
  public void restore() {
    closeInnermost();
  }

  private static void push(CorrelationScope scope) {
    ArrayDeque<CorrelationScope> opened = OPENED.get();
    if (opened == null) {
      opened = new ArrayDeque<>();
      OPENED.set(opened);
    }
    opened.push(scope);
  }

  private static void closeInnermost() {
    ArrayDeque<CorrelationScope> opened = OPENED.get();
    if (opened == null) {
      // Nothing opened here by a set: the thread already holds what it had.
      return;
    }
    CorrelationScope scope = opened.pop();
    if (opened.isEmpty()) {
      // A pool thread keeps no holder once its work is done.
      OPENED.remove();
    }
    scope.close();
  }
}
