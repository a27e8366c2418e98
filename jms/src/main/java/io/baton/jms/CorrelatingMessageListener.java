package io.baton.jms;

import io.baton.CorrelationScope;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Runs each message inside its correlation; a failure of the listener is logged inside that
 * correlation, before the provider gets it, and rethrown unchanged.
 */
final class CorrelatingMessageListener implements MessageListener {

  private final MessageListener delegate;
  private final JmsCorrelation jms;

  CorrelatingMessageListener(MessageListener delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public void onMessage(Message message) {
    try (CorrelationScope scope = jms.open(message)) {
      try {
        delegate.onMessage(message);
      } catch (Throwable failure) { // unchecked, or a checked one thrown sneakily: rethrown as is
        jms.failureLog().log(JmsCorrelation.LOG, failure,
            "Message listener failed on a message from {}", JmsCorrelation.destination(message));
        throw failure;
      }
    }
  }

  /** What the user set, for {@code getMessageListener()}. */
  static MessageListener unwrap(MessageListener listener) {
    return listener instanceof CorrelatingMessageListener
        ? ((CorrelatingMessageListener) listener).delegate
        : listener;
  }
}
