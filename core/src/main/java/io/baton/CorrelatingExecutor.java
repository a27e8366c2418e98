package io.baton;

import java.util.concurrent.Executor;

final class CorrelatingExecutor implements Executor {

  private final Executor delegate;

  CorrelatingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(Baton.wrap(command));
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
