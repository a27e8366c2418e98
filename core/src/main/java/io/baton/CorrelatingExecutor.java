package io.baton;

import java.util.Objects;
import java.util.concurrent.Executor;

final class CorrelatingExecutor implements Executor {

  private final Executor delegate;
  private final FailureLog failureLog;

  CorrelatingExecutor(Executor delegate, FailureLog failureLog) {
    this.delegate = delegate;
    this.failureLog = failureLog;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(ContextScope.wrap(Objects.requireNonNull(command, "command"), failureLog));
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
