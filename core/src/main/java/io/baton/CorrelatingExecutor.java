package io.baton;

import java.util.Objects;
import java.util.concurrent.Executor;

final class CorrelatingExecutor implements Executor {

  private final Executor delegate;
  private final FailureLog failureLog;
  /** The context every task runs in, or null: the submitter's. */
  private final ContextScope.Captured fixed;

  CorrelatingExecutor(Executor delegate, FailureLog failureLog, ContextScope.Captured fixed) {
    this.delegate = delegate;
    this.failureLog = failureLog;
    this.fixed = fixed;
  }

  @Override
  public void execute(Runnable command) {
    ContextScope.Captured captured = fixed != null ? fixed : ContextScope.Captured.now();
    delegate.execute(Tasks.runnable(captured, Objects.requireNonNull(command, "command"), failureLog));
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
