package io.baton.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Runs its message listener in each message's scope; {@code receive} returns the message as it is (open it with {@link JmsCorrelation#open}); {@code receiveBody} has no message to correlate.
 */
final class CorrelatingJMSConsumer implements JMSConsumer {

  private final JMSConsumer delegate;
  private final JmsCorrelation jms;

  CorrelatingJMSConsumer(JMSConsumer delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public String getMessageSelector() {
    return delegate.getMessageSelector();
  }

  @Override
  public MessageListener getMessageListener() throws JMSRuntimeException {
    return CorrelatingMessageListener.unwrap(delegate.getMessageListener());
  }

  @Override
  public void setMessageListener(MessageListener listener) throws JMSRuntimeException {
    delegate.setMessageListener(listener == null ? null : jms.messageListener(listener));
  }

  @Override
  public Message receive() {
    return delegate.receive();
  }

  @Override
  public Message receive(long timeout) {
    return delegate.receive(timeout);
  }

  @Override
  public Message receiveNoWait() {
    return delegate.receiveNoWait();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public <T> T receiveBody(Class<T> type) {
    return delegate.receiveBody(type);
  }

  @Override
  public <T> T receiveBody(Class<T> type, long timeout) {
    return delegate.receiveBody(type, timeout);
  }

  @Override
  public <T> T receiveBodyNoWait(Class<T> type) {
    return delegate.receiveBodyNoWait(type);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
