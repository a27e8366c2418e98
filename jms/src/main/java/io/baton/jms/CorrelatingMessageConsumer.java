package io.baton.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;

/**
 * Runs its message listener in each message's scope; {@code receive} returns the message as it is (open it with {@link JmsCorrelation#open}).
 */
final class CorrelatingMessageConsumer implements MessageConsumer {

  private final MessageConsumer delegate;
  private final JmsCorrelation jms;

  CorrelatingMessageConsumer(MessageConsumer delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public String getMessageSelector() throws JMSException {
    return delegate.getMessageSelector();
  }

  @Override
  public MessageListener getMessageListener() throws JMSException {
    return CorrelatingMessageListener.unwrap(delegate.getMessageListener());
  }

  @Override
  public void setMessageListener(MessageListener listener) throws JMSException {
    delegate.setMessageListener(listener == null ? null : jms.messageListener(listener));
  }

  @Override
  public Message receive() throws JMSException {
    return delegate.receive();
  }

  @Override
  public Message receive(long timeout) throws JMSException {
    return delegate.receive(timeout);
  }

  @Override
  public Message receiveNoWait() throws JMSException {
    return delegate.receiveNoWait();
  }

  @Override
  public void close() throws JMSException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
