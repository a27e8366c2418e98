package io.baton.jms;

import io.baton.CorrelationScope;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

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
      delegate.onMessage(message);
    }
  }

  /** What the user set, for {@code getMessageListener()}. */
  static MessageListener unwrap(MessageListener listener) {
    return listener instanceof CorrelatingMessageListener
        ? ((CorrelatingMessageListener) listener).delegate
        : listener;
  }
}
