package io.baton;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Like {@link CorrelatingExecutorService}; a one-shot {@code schedule} runs in the submitter's
 * correlation, and every run of a periodic task in a child of it (a fresh root per run when there
 * was none), as every fire of a repeating Quartz trigger does: each run is its own piece of work.
 */
final class CorrelatingScheduledExecutorService implements ScheduledExecutorService {

  private final ScheduledExecutorService delegate;
  private final CorrelatingExecutorService tasks;

  CorrelatingScheduledExecutorService(
      ScheduledExecutorService delegate, FailureLog failureLog, ContextScope.Captured fixed) {
    this.delegate = delegate;
    this.tasks = new CorrelatingExecutorService(delegate, failureLog, fixed);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return delegate.schedule(
        Tasks.runnable(tasks.capture(), Objects.requireNonNull(command, "command"), null), delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return delegate.schedule(
        Tasks.callable(tasks.capture(), Objects.requireNonNull(callable, "callable")), delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return delegate.scheduleAtFixedRate(
        Tasks.runnable(tasks.capture().childPerRun(), Objects.requireNonNull(command, "command"), null),
        initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return delegate.scheduleWithFixedDelay(
        Tasks.runnable(tasks.capture().childPerRun(), Objects.requireNonNull(command, "command"), null),
        initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    tasks.execute(command);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return tasks.submit(task);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return tasks.submit(task, result);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return tasks.submit(task);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> all)
      throws InterruptedException {
    return tasks.invokeAll(all);
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> all, long timeout, TimeUnit unit)
      throws InterruptedException {
    return tasks.invokeAll(all, timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> all)
      throws InterruptedException, ExecutionException {
    return tasks.invokeAny(all);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> all, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return tasks.invokeAny(all, timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return tasks.shutdownNow();
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

  /** {@code ExecutorService.close()} (Java 19+) of the delegate. */
  public void close() {
    CorrelatingExecutorService.close(delegate);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
