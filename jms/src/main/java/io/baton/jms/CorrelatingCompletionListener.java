package io.baton.jms;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;

/**
 * Runs an asynchronous send's completion inside the correlation the message was sent with: the one
 * known at send time when there is one (a {@code MessageProducer} send), else the message's own (a
 * {@code JMSProducer}'s listener serves every send). A failure of the listener is logged inside
 * that correlation and rethrown unchanged.
 */
final class CorrelatingCompletionListener implements CompletionListener {

  private final CompletionListener delegate;
  private final JmsCorrelation jms;
  private final Correlation sent;

  CorrelatingCompletionListener(CompletionListener delegate, JmsCorrelation jms, Correlation sent) {
    this.delegate = delegate;
    this.jms = jms;
    this.sent = sent;
  }

  private CorrelationScope open(Message message) {
    if (sent != null) {
      return jms.propagator().open(sent);
    }
    // a provider that reports a failed send without the message: the work's own correlation
    return message != null
        ? jms.propagator().open(jms.extract(message))
        : jms.propagator().open(Baton.current().orElseGet(jms.propagator()::newRoot));
  }

  @Override
  public void onCompletion(Message message) {
    try (CorrelationScope scope = open(message)) {
      try {
        delegate.onCompletion(message);
      } catch (Throwable failure) { // unchecked, or a checked one thrown sneakily: rethrown as is
        logFailure(failure, "Completion listener failed on a message sent to {}", message);
        throw failure;
      }
    }
  }

  @Override
  public void onException(Message message, Exception exception) {
    try (CorrelationScope scope = open(message)) {
      try {
        delegate.onException(message, exception);
      } catch (Throwable failure) {
        logFailure(failure, "Completion listener failed handling a failed send to {}", message);
        throw failure;
      }
    }
  }

  private void logFailure(Throwable failure, String text, Message message) {
    jms.failureLog().log(JmsCorrelation.LOG, failure, text, JmsCorrelation.destination(message));
  }

  static CompletionListener unwrap(CompletionListener listener) {
    return listener instanceof CorrelatingCompletionListener
        ? ((CorrelatingCompletionListener) listener).delegate
        : listener;
  }
}
