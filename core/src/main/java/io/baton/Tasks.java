package io.baton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Tasks bound to a captured context: each run opens it and closes it again around the task. */
final class Tasks {

  private Tasks() {}

  /**
   * {@code task} run inside {@code captured}; with a {@code failureLog}, a failure nobody else
   * would see (an executor's {@code execute}: only an uncaught-exception handler would) is logged
   * inside the task's correlation, then rethrown.
   */
  static Runnable runnable(ContextScope.Captured captured, Runnable task, FailureLog failureLog) {
    return new CorrelatedRunnable(captured, task, failureLog);
  }

  static <T> Callable<T> callable(ContextScope.Captured captured, Callable<T> task) {
    return () -> {
      try (CorrelationScope scope = captured.open()) {
        return task.call();
      }
    };
  }

  static <T> List<Callable<T>> callables(
      ContextScope.Captured captured, Collection<? extends Callable<T>> tasks) {
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      wrapped.add(callable(captured, task));
    }
    return wrapped;
  }

  static <T> Supplier<T> supplier(ContextScope.Captured captured, Supplier<T> supplier) {
    return () -> {
      try (CorrelationScope scope = captured.open()) {
        return supplier.get();
      }
    };
  }

  static <T, R> Function<T, R> function(ContextScope.Captured captured, Function<T, R> function) {
    return value -> {
      try (CorrelationScope scope = captured.open()) {
        return function.apply(value);
      }
    };
  }

  static <T> Consumer<T> consumer(ContextScope.Captured captured, Consumer<T> consumer) {
    return value -> {
      try (CorrelationScope scope = captured.open()) {
        consumer.accept(value);
      }
    };
  }

  static <T, U, R> BiFunction<T, U, R> biFunction(
      ContextScope.Captured captured, BiFunction<T, U, R> function) {
    return (first, second) -> {
      try (CorrelationScope scope = captured.open()) {
        return function.apply(first, second);
      }
    };
  }

  static <T, U> BiConsumer<T, U> biConsumer(ContextScope.Captured captured, BiConsumer<T, U> consumer) {
    return (first, second) -> {
      try (CorrelationScope scope = captured.open()) {
        consumer.accept(first, second);
      }
    };
  }

  /** The tasks as the user gave them, for {@code shutdownNow()}'s list of tasks never run. */
  static List<Runnable> unwrap(List<Runnable> tasks) {
    List<Runnable> unwrapped = new ArrayList<>(tasks.size());
    for (Runnable task : tasks) {
      unwrapped.add(task instanceof CorrelatedRunnable ? ((CorrelatedRunnable) task).task : task);
    }
    return unwrapped;
  }

  private static final class CorrelatedRunnable implements Runnable {
    private final ContextScope.Captured captured;
    private final Runnable task;
    private final FailureLog failureLog;

    CorrelatedRunnable(ContextScope.Captured captured, Runnable task, FailureLog failureLog) {
      this.captured = captured;
      this.task = task;
      this.failureLog = failureLog;
    }

    @Override
    public void run() {
      try (CorrelationScope scope = captured.open()) {
        if (failureLog == null) {
          task.run();
          return;
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          failureLog.log(CorrelationPropagator.LOG, e, "Task failed");
          throw e;
        }
      }
    }

    @Override
    public String toString() {
      return "Correlated(" + task + ")";
    }
  }
}
