package io.baton.jms;

import io.baton.CorrelationScope;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;

/** Runs an asynchronous send's completion inside the correlation of the message sent. */
final class CorrelatingCompletionListener implements CompletionListener {

  private final CompletionListener delegate;
  private final JmsCorrelation jms;

  CorrelatingCompletionListener(CompletionListener delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public void onCompletion(Message message) {
    try (CorrelationScope scope = jms.propagator().open(jms.extract(message))) {
      delegate.onCompletion(message);
    }
  }

  @Override
  public void onException(Message message, Exception exception) {
    try (CorrelationScope scope = jms.propagator().open(jms.extract(message))) {
      delegate.onException(message, exception);
    }
  }

  static CompletionListener unwrap(CompletionListener listener) {
    return listener instanceof CorrelatingCompletionListener
        ? ((CorrelatingCompletionListener) listener).delegate
        : listener;
  }
}
