package io.baton;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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

  /**
   * The correlation current on this thread, if any.
   *
   * @return the current correlation, or empty when none is current
   */
  public static Optional<Correlation> current() {
    return Optional.ofNullable(ContextScope.current());
  }

  /**
   * {@code text} from a message (an exception message, a queue name) made fit for a log line or
   * a header: at most 255 characters, control, formatting and line-separator characters replaced
   * by {@code ?}. What Baton itself applies to every extra MDC field.
   *
   * @param text the untrusted text; may be {@code null}
   * @return the text fit for a log line or a header, or {@code null} for {@code null}
   */
  public static String printable(String text) {
    return text == null ? null : Ids.printable(text);
  }

  /**
   * Makes {@code correlation} current on this thread, and in the MDC, until the scope closes.
   *
   * @param correlation the correlation to make current
   * @return the scope to close, which restores what was current before
   */
  public static CorrelationScope open(Correlation correlation) {
    Objects.requireNonNull(correlation, "correlation");
    return ContextScope.open(correlation, ID_KEY, PARENT_KEY);
  }

  /**
   * Opens a scope for a fresh root correlation.
   *
   * @return the scope to close, which restores what was current before
   */
  public static CorrelationScope openNew() {
    return open(Correlation.newRoot());
  }

  /**
   * Opens a scope for a child of the current correlation, or for a fresh root if there is none.
   *
   * @return the scope to close, which restores what was current before
   */
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
   *
   * @param failure the exception caught after Baton's scope closed
   * @return the scope to close; one that changes nothing when Baton did not log {@code failure}
   *     inside a correlation
   */
  public static CorrelationScope openFailed(Throwable failure) {
    ContextScope.Snapshot where = FailureLog.whereThrown(failure);
    return where == null || where.correlation == null ? NOTHING : where.open();
  }

  private static final CorrelationScope NOTHING = () -> {};

  /**
   * Opens a scope with no correlation: until it closes, nothing is current and the MDC holds
   * neither correlation key (a context bridge clearing Baton's state, a task that must start
   * clean); on close both come back as they were.
   *
   * @return the scope to close, which restores what was current before
   */
  public static CorrelationScope openEmpty() {
    return ContextScope.open(null, ID_KEY, PARENT_KEY);
  }

  /**
   * Returns {@code task} bound to the correlation current now: wherever it runs, it runs inside
   * that correlation (or inside none, when none is current now), and the running thread's context
   * and MDC are as they were afterwards.
   *
   * @param task the task to run later, possibly on another thread
   * @return the bound task
   */
  public static Runnable wrap(Runnable task) {
    return Tasks.runnable(ContextScope.Captured.now(), Objects.requireNonNull(task, "task"), null);
  }

  /**
   * Like {@link #wrap(Runnable)}, for a {@link Callable}.
   *
   * @param <T> the task's result type
   * @param task the task to run later, possibly on another thread
   * @return the bound task
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return Tasks.callable(ContextScope.Captured.now(), Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns {@code task} bound to {@code correlation}, whatever is current now or where it runs.
   *
   * @param correlation the correlation the task runs in
   * @param task the task to run later, possibly on another thread
   * @return the bound task
   */
  public static Runnable wrap(Correlation correlation, Runnable task) {
    Objects.requireNonNull(correlation, "correlation");
    return Tasks.runnable(ContextScope.Captured.of(correlation), Objects.requireNonNull(task, "task"), null);
  }

  /**
   * Like {@link #wrap(Correlation, Runnable)}, for a {@link Callable}.
   *
   * @param <T> the task's result type
   * @param correlation the correlation the task runs in
   * @param task the task to run later, possibly on another thread
   * @return the bound task
   */
  public static <T> Callable<T> wrap(Correlation correlation, Callable<T> task) {
    Objects.requireNonNull(correlation, "correlation");
    return Tasks.callable(ContextScope.Captured.of(correlation), Objects.requireNonNull(task, "task"));
  }

  /**
   * Like {@link #wrap(Runnable)}, for a {@link Supplier}: {@code CompletableFuture.supplyAsync}.
   * (Named apart from {@code wrap} so that a lambda is never ambiguous between a Callable and a
   * Supplier.)
   *
   * <pre>{@code
   * CompletableFuture.supplyAsync(Baton.wrapSupplier(() -> quote(order)), pool)
   *     .thenApplyAsync(Baton.wrapFunction(quote -> charge(quote)), pool)
   *     .whenComplete(Baton.wrapBiConsumer((receipt, error) -> log.info("done")));
   * }</pre>
   *
   * @param <T> the supplier's result type
   * @param supplier the supplier to run later, possibly on another thread
   * @return the bound supplier
   */
  public static <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
    return Tasks.supplier(ContextScope.Captured.now(), Objects.requireNonNull(supplier, "supplier"));
  }

  /**
   * Like {@link #wrapSupplier}, for a {@link Function}: {@code thenApply}, {@code thenCompose}.
   *
   * @param <T> the function's argument type
   * @param <R> the function's result type
   * @param function the function to run later, possibly on another thread
   * @return the bound function
   */
  public static <T, R> Function<T, R> wrapFunction(Function<T, R> function) {
    return Tasks.function(ContextScope.Captured.now(), Objects.requireNonNull(function, "function"));
  }

  /**
   * Like {@link #wrapSupplier}, for a {@link Consumer}: {@code thenAccept}.
   *
   * @param <T> the consumer's argument type
   * @param consumer the consumer to run later, possibly on another thread
   * @return the bound consumer
   */
  public static <T> Consumer<T> wrapConsumer(Consumer<T> consumer) {
    return Tasks.consumer(ContextScope.Captured.now(), Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * Like {@link #wrapSupplier}, for a {@link BiFunction}: {@code handle}, {@code thenCombine}.
   *
   * @param <T> the function's first argument type
   * @param <U> the function's second argument type
   * @param <R> the function's result type
   * @param function the function to run later, possibly on another thread
   * @return the bound function
   */
  public static <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> function) {
    return Tasks.biFunction(ContextScope.Captured.now(), Objects.requireNonNull(function, "function"));
  }

  /**
   * Like {@link #wrapSupplier}, for a {@link BiConsumer}: {@code whenComplete}.
   *
   * @param <T> the consumer's first argument type
   * @param <U> the consumer's second argument type
   * @param consumer the consumer to run later, possibly on another thread
   * @return the bound consumer
   */
  public static <T, U> BiConsumer<T, U> wrapBiConsumer(BiConsumer<T, U> consumer) {
    return Tasks.biConsumer(ContextScope.Captured.now(), Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * Returns an executor that runs each task inside the correlation current when the task was
   * submitted. Wrapping twice returns the same wrapper.
   *
   * @param executor the executor the tasks run on
   * @return the correlating executor, or {@code executor} itself when it is already one
   */
  public static Executor wrap(Executor executor) {
    return wrap(executor, FailureLog.defaults());
  }

  /**
   * Like {@link #wrap(Executor)}; a task given to {@code execute} that throws is logged with
   * {@code failureLog} inside its correlation (default: at ERROR), then the exception goes on to
   * the thread as before.
   *
   * @param executor the executor the tasks run on
   * @param failureLog how a failed {@code execute} task is logged
   * @return the correlating executor, or {@code executor} itself when it is already one
   */
  public static Executor wrap(Executor executor, FailureLog failureLog) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(failureLog, "failureLog");
    if (executor instanceof ScheduledExecutorService) {
      return wrap((ScheduledExecutorService) executor, failureLog);
    }
    if (executor instanceof ExecutorService) {
      return wrap((ExecutorService) executor, failureLog);
    }
    if (executor instanceof CorrelatingExecutor) {
      return executor;
    }
    return new CorrelatingExecutor(executor, failureLog, null);
  }

  /**
   * Returns an executor service that runs each task ({@code execute}, {@code submit}, {@code
   * invokeAll}, {@code invokeAny}) inside the correlation current when it was submitted. Wrapping
   * twice returns the same wrapper. {@code shutdownNow()} returns the tasks as you gave them, and
   * {@code close()} (Java 19+) is the delegate's own.
   *
   * @param executor the executor service the tasks run on
   * @return the correlating executor service, or {@code executor} itself when it is already one
   */
  public static ExecutorService wrap(ExecutorService executor) {
    return wrap(executor, FailureLog.defaults());
  }

  /**
   * Like {@link #wrap(ExecutorService)}; a task given to {@code execute} that throws is logged
   * with {@code failureLog} inside its correlation (a {@code submit}'s failure goes to its {@code
   * Future}, so only the caller logs it), then the exception goes on to the thread as before.
   *
   * @param executor the executor service the tasks run on
   * @param failureLog how a failed {@code execute} task is logged
   * @return the correlating executor service, or {@code executor} itself when it is already one
   */
  public static ExecutorService wrap(ExecutorService executor, FailureLog failureLog) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(failureLog, "failureLog");
    if (executor instanceof ScheduledExecutorService) {
      return wrap((ScheduledExecutorService) executor, failureLog);
    }
    if (executor instanceof CorrelatingExecutorService) {
      return executor;
    }
    return new CorrelatingExecutorService(executor, failureLog, null);
  }

  /**
   * Like {@link #wrap(ExecutorService)}, for a scheduler: a one-shot {@code schedule} runs in the
   * correlation current when it was scheduled, and each run of {@code scheduleAtFixedRate} /
   * {@code scheduleWithFixedDelay} in a fresh child of it (a fresh root when there was none), as
   * each fire of a repeating Quartz trigger does: every run is its own piece of work, and its
   * parent says what scheduled it.
   *
   * @param executor the scheduler the tasks run on
   * @return the correlating scheduler, or {@code executor} itself when it is already one
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    return wrap(executor, FailureLog.defaults());
  }

  /**
   * Like {@link #wrap(ScheduledExecutorService)}, logging failed {@code execute} tasks with {@code failureLog}.
   *
   * @param executor the scheduler the tasks run on
   * @param failureLog how a failed {@code execute} task is logged
   * @return the correlating scheduler, or {@code executor} itself when it is already one
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor, FailureLog failureLog) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(failureLog, "failureLog");
    if (executor instanceof CorrelatingScheduledExecutorService) {
      return executor;
    }
    return new CorrelatingScheduledExecutorService(executor, failureLog, null);
  }

  /**
   * Returns an executor service that runs every task inside {@code correlation}, whoever submits
   * it (work handed to a pool that serves one order, one batch, one tenant).
   *
   * @param executor the executor service the tasks run on
   * @param correlation the correlation every task runs in
   * @return the executor service fixed to {@code correlation}
   */
  public static ExecutorService wrap(ExecutorService executor, Correlation correlation) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(correlation, "correlation");
    ContextScope.Captured fixed = ContextScope.Captured.of(correlation);
    if (executor instanceof ScheduledExecutorService) {
      return new CorrelatingScheduledExecutorService(
          (ScheduledExecutorService) executor, FailureLog.defaults(), fixed);
    }
    return new CorrelatingExecutorService(executor, FailureLog.defaults(), fixed);
  }
}
