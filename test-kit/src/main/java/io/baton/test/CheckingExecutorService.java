package io.baton.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose every task is checked by {@link BatonTest}: what Baton held on the worker
 * thread when the task ended must be what it held when the task began. Comparing with the start
 * (not with "empty") keeps it right inside or outside {@code Baton.wrap}: either order of wrapping
 * works.
 */
final class CheckingExecutorService extends AbstractExecutorService {

  private final ExecutorService delegate;
  private final BatonTest owner;

  CheckingExecutorService(ExecutorService delegate, BatonTest owner) {
    this.delegate = Objects.requireNonNull(delegate, "executor");
    this.owner = owner;
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    // A FutureTask from submit is already checked inside its computation.
    delegate.execute(command instanceof CheckedFuture ? command : owner.task(command));
  }

  // The check runs inside the future's computation, so that it is recorded before get() returns
  // to the test.
  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new CheckedFuture<>(owner.checked(callable));
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    Runnable checked = owner.task(runnable);
    return new CheckedFuture<>(() -> {
      checked.run();
      return value;
    });
  }

  private static final class CheckedFuture<T> extends FutureTask<T> {
    CheckedFuture(Callable<T> callable) {
      super(callable);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    // The tasks as they were given, not the checking wrappers around them.
    List<Runnable> tasks = new ArrayList<>();
    for (Runnable task : delegate.shutdownNow()) {
      tasks.add(task instanceof BatonTest.CheckedTask ? ((BatonTest.CheckedTask) task).task : task);
    }
    return tasks;
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
}
