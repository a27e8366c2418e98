package io.baton.jms;

import io.baton.Correlation;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;

/**
 * Writes the correlation properties on every send and runs completion listeners in the sent message's correlation.
 */
final class CorrelatingMessageProducer implements MessageProducer {

  private final MessageProducer delegate;
  private final JmsCorrelation jms;

  CorrelatingMessageProducer(MessageProducer delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public void setDisableMessageID(boolean disableMessageID) throws JMSException {
    delegate.setDisableMessageID(disableMessageID);
  }

  @Override
  public boolean getDisableMessageID() throws JMSException {
    return delegate.getDisableMessageID();
  }

  @Override
  public void setDisableMessageTimestamp(boolean disableMessageTimestamp) throws JMSException {
    delegate.setDisableMessageTimestamp(disableMessageTimestamp);
  }

  @Override
  public boolean getDisableMessageTimestamp() throws JMSException {
    return delegate.getDisableMessageTimestamp();
  }

  @Override
  public void setDeliveryMode(int deliveryMode) throws JMSException {
    delegate.setDeliveryMode(deliveryMode);
  }

  @Override
  public int getDeliveryMode() throws JMSException {
    return delegate.getDeliveryMode();
  }

  @Override
  public void setPriority(int priority) throws JMSException {
    delegate.setPriority(priority);
  }

  @Override
  public int getPriority() throws JMSException {
    return delegate.getPriority();
  }

  @Override
  public void setTimeToLive(long timeToLive) throws JMSException {
    delegate.setTimeToLive(timeToLive);
  }

  @Override
  public long getTimeToLive() throws JMSException {
    return delegate.getTimeToLive();
  }

  @Override
  public void setDeliveryDelay(long deliveryDelay) throws JMSException {
    delegate.setDeliveryDelay(deliveryDelay);
  }

  @Override
  public long getDeliveryDelay() throws JMSException {
    return delegate.getDeliveryDelay();
  }

  @Override
  public Destination getDestination() throws JMSException {
    return delegate.getDestination();
  }

  @Override
  public void close() throws JMSException {
    delegate.close();
  }

  @Override
  public void send(Message message) throws JMSException {
    jms.inject(message);
    delegate.send(message);
  }

  @Override
  public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
    jms.inject(message);
    delegate.send(message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void send(Destination destination, Message message) throws JMSException {
    jms.inject(message);
    delegate.send(destination, message);
  }

  @Override
  public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
    jms.inject(message);
    delegate.send(destination, message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void send(Message message, CompletionListener completionListener) throws JMSException {
    Correlation sent = jms.inject(message);
    delegate.send(message, jms.completionListener(completionListener, sent));
  }

  @Override
  public void send(Message message, int deliveryMode, int priority, long timeToLive, CompletionListener completionListener) throws JMSException {
    Correlation sent = jms.inject(message);
    delegate.send(message, deliveryMode, priority, timeToLive, jms.completionListener(completionListener, sent));
  }

  @Override
  public void send(Destination destination, Message message, CompletionListener completionListener) throws JMSException {
    Correlation sent = jms.inject(message);
    delegate.send(destination, message, jms.completionListener(completionListener, sent));
  }

  @Override
  public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive, CompletionListener completionListener) throws JMSException {
    Correlation sent = jms.inject(message);
    delegate.send(destination, message, deliveryMode, priority, timeToLive, jms.completionListener(completionListener, sent));
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
