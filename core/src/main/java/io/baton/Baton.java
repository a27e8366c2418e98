package io.baton;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The current correlation of this thread, and the ways to change it.
 *
 * <pre>{@code
 * try (CorrelationScope scope = Baton.openNew()) {     // or Baton.open(correlation)
 *   log.info("order received");                       // MDC: correlation_id
 *   executor.execute(Baton.wrap(() -> log.info("later, on another thread, same ID")));
 * }
 * }</pre>
 *
 * <p>A scope writes the MDC keys {@value #ID_KEY} and {@value #PARENT_KEY} (the latter removed
 * for a root) and, on close, puts back exactly what the context and those two keys held before.
 * It never touches other MDC keys.
 */
public final class Baton {

  /** The MDC key of the current correlation ID. */
  public static final String ID_KEY = "correlation_id";

  /** The MDC key of the current parent correlation ID; absent for a root. */
  public static final String PARENT_KEY = "parent_correlation_id";

  private Baton() {}

  /** The correlation current on this thread, if any. */
  public static Optional<Correlation> current() {
    return Optional.ofNullable(ContextScope.current());
  }

  /**
   * {@code text} from a message (an exception message, a queue name) made fit for a log line or
   * a header: at most 255 characters, control, formatting and line-separator characters replaced
   * by {@code ?}. What Baton itself applies to every extra MDC field.
   */
  public static String printable(String text) {
    return text == null ? null : Ids.printable(text);
  }

  /** Makes {@code correlation} current on this thread, and in the MDC, until the scope closes. */
  public static CorrelationScope open(Correlation correlation) {
    Objects.requireNonNull(correlation, "correlation");
    return ContextScope.open(correlation, ID_KEY, PARENT_KEY);
  }

  /** Opens a scope for a fresh root correlation. */
  public static CorrelationScope openNew() {
    return open(Correlation.newRoot());
  }

  /** Opens a scope for a child of the current correlation, or for a fresh root if there is none. */
  public static CorrelationScope openChild() {
    Correlation current = ContextScope.current();
    return open(current == null ? Correlation.newRoot() : current.newChild());
  }

  /**
   * Reopens the correlation (and the MDC fields, such as {@code delivery_count}) that {@code
   * failure}, or an exception it wraps, was thrown in, when Baton logged it on its way out of a
   * handler, listener, job or task; otherwise leaves everything as it is. For the line a caller
   * logs about the failure after Baton's scope closed:
   *
   * <pre>{@code
   * } catch (RuntimeException e) {
   *   try (CorrelationScope scope = Baton.openFailed(e)) {
   *     log.error("batch abandoned", e);                  // carries the failed record's ID
   *   }
   * }
   * }</pre>
   */
  public static CorrelationScope openFailed(Throwable failure) {
    ContextScope.Snapshot where = FailureLog.whereThrown(failure);
    return where == null || where.correlation == null ? NOTHING : where.open();
  }

  private static final CorrelationScope NOTHING = () -> {};

  /**
   * Returns {@code task} bound to the correlation current now: wherever it runs, it runs inside
   * that correlation (or inside none, when none is current now), and the running thread's context
   * and MDC are as they were afterwards.
   */
  public static Runnable wrap(Runnable task) {
    return ContextScope.wrap(Objects.requireNonNull(task, "task"));
  }

  /** Like {@link #wrap(Runnable)}, for a {@link Callable}. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return ContextScope.wrap(Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns an executor that runs each task inside the correlation current when the task was
   * submitted. Wrapping twice returns the same wrapper.
   */
  public static Executor wrap(Executor executor) {
    return wrap(executor, FailureLog.defaults());
  }

  /**
   * Like {@link #wrap(Executor)}; a task given to {@code execute} that throws is logged with
   * {@code failureLog} inside its correlation (default: at ERROR), then the exception goes on to
   * the thread as before.
   */
  public static Executor wrap(Executor executor, FailureLog failureLog) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(failureLog, "failureLog");
    if (executor instanceof ExecutorService) {
      return wrap((ExecutorService) executor, failureLog);
    }
    if (executor instanceof CorrelatingExecutor) {
      return executor;
    }
    return new CorrelatingExecutor(executor, failureLog);
  }

  /**
   * Returns an executor service that runs each task ({@code execute}, {@code submit}, {@code
   * invokeAll}, {@code invokeAny}) inside the correlation current when it was submitted. Wrapping
   * twice returns the same wrapper.
   */
  public static ExecutorService wrap(ExecutorService executor) {
    return wrap(executor, FailureLog.defaults());
  }

  /**
   * Like {@link #wrap(ExecutorService)}; a task given to {@code execute} that throws is logged
   * with {@code failureLog} inside its correlation (a {@code submit}'s failure goes to its {@code
   * Future}, so only the caller logs it), then the exception goes on to the thread as before.
   */
  public static ExecutorService wrap(ExecutorService executor, FailureLog failureLog) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(failureLog, "failureLog");
    if (executor instanceof CorrelatingExecutorService) {
      return executor;
    }
    return new CorrelatingExecutorService(executor, failureLog);
  }
}
