package io.baton;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs each task inside the correlation current when it was submitted, or inside one fixed
 * correlation ({@link Baton#wrap(ExecutorService, Correlation)}).
 */
final class CorrelatingExecutorService implements ExecutorService {

  private final ExecutorService delegate;
  private final FailureLog failureLog;
  /** The context every task runs in, or null: the submitter's. */
  private final ContextScope.Captured fixed;

  CorrelatingExecutorService(ExecutorService delegate, FailureLog failureLog, ContextScope.Captured fixed) {
    this.delegate = delegate;
    this.failureLog = failureLog;
    this.fixed = fixed;
  }

  ContextScope.Captured capture() {
    return fixed != null ? fixed : ContextScope.Captured.now();
  }

  FailureLog failureLog() {
    return failureLog;
  }

  @Override
  public void execute(Runnable command) {
    // A submit's failure goes to its Future; an execute's only to an uncaught-exception handler.
    delegate.execute(Tasks.runnable(capture(), Objects.requireNonNull(command, "command"), failureLog));
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(Tasks.callable(capture(), Objects.requireNonNull(task, "task")));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(Tasks.runnable(capture(), Objects.requireNonNull(task, "task"), null), result);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(Tasks.runnable(capture(), Objects.requireNonNull(task, "task"), null));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return delegate.invokeAll(Tasks.callables(capture(), tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return delegate.invokeAll(Tasks.callables(capture(), tasks), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return delegate.invokeAny(Tasks.callables(capture(), tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(Tasks.callables(capture(), tasks), timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** The tasks that never ran, as they were given (not Baton's wrappers around them). */
  @Override
  public List<Runnable> shutdownNow() {
    return Tasks.unwrap(delegate.shutdownNow());
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  /**
   * {@code ExecutorService.close()} (Java 19+) of the delegate, which may differ from the default
   * (the common pool's returns at once; the default would wait for it forever).
   */
  public void close() {
    close(delegate);
  }

  static void close(ExecutorService delegate) {
    if (delegate == ForkJoinPool.commonPool()) {
      return; // it cannot be shut down, and its close() returns at once
    }
    if (delegate instanceof AutoCloseable) {
      try {
        ((AutoCloseable) delegate).close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    // Java 17: ExecutorService has no close(); do what Java 19's default does.
    boolean interrupted = false;
    delegate.shutdown();
    while (!delegate.isTerminated()) {
      try {
        delegate.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          delegate.shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
