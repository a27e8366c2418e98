package io.baton.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * Hands out correlating contexts, JMS producers and JMS consumers.
 */
final class CorrelatingJMSContext implements JMSContext {

  private final JMSContext delegate;
  private final JmsCorrelation jms;

  CorrelatingJMSContext(JMSContext delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public JMSContext createContext(int sessionMode) {
    return new CorrelatingJMSContext(delegate.createContext(sessionMode), jms);
  }

  @Override
  public JMSProducer createProducer() {
    return new CorrelatingJMSProducer(delegate.createProducer(), jms);
  }

  @Override
  public String getClientID() {
    return delegate.getClientID();
  }

  @Override
  public void setClientID(String clientID) {
    delegate.setClientID(clientID);
  }

  @Override
  public ConnectionMetaData getMetaData() {
    return delegate.getMetaData();
  }

  @Override
  public ExceptionListener getExceptionListener() {
    return delegate.getExceptionListener();
  }

  @Override
  public void setExceptionListener(ExceptionListener listener) {
    delegate.setExceptionListener(listener);
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public void setAutoStart(boolean autoStart) {
    delegate.setAutoStart(autoStart);
  }

  @Override
  public boolean getAutoStart() {
    return delegate.getAutoStart();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public BytesMessage createBytesMessage() {
    return delegate.createBytesMessage();
  }

  @Override
  public MapMessage createMapMessage() {
    return delegate.createMapMessage();
  }

  @Override
  public Message createMessage() {
    return delegate.createMessage();
  }

  @Override
  public ObjectMessage createObjectMessage() {
    return delegate.createObjectMessage();
  }

  @Override
  public ObjectMessage createObjectMessage(Serializable object) {
    return delegate.createObjectMessage(object);
  }

  @Override
  public StreamMessage createStreamMessage() {
    return delegate.createStreamMessage();
  }

  @Override
  public TextMessage createTextMessage() {
    return delegate.createTextMessage();
  }

  @Override
  public TextMessage createTextMessage(String text) {
    return delegate.createTextMessage(text);
  }

  @Override
  public boolean getTransacted() {
    return delegate.getTransacted();
  }

  @Override
  public int getSessionMode() {
    return delegate.getSessionMode();
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public void rollback() {
    delegate.rollback();
  }

  @Override
  public void recover() {
    delegate.recover();
  }

  @Override
  public JMSConsumer createConsumer(Destination destination) {
    return new CorrelatingJMSConsumer(delegate.createConsumer(destination), jms);
  }

  @Override
  public JMSConsumer createConsumer(Destination destination, String messageSelector) {
    return new CorrelatingJMSConsumer(delegate.createConsumer(destination, messageSelector), jms);
  }

  @Override
  public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
    return new CorrelatingJMSConsumer(delegate.createConsumer(destination, messageSelector, noLocal), jms);
  }

  @Override
  public Queue createQueue(String queueName) {
    return delegate.createQueue(queueName);
  }

  @Override
  public Topic createTopic(String topicName) {
    return delegate.createTopic(topicName);
  }

  @Override
  public JMSConsumer createDurableConsumer(Topic topic, String name) {
    return new CorrelatingJMSConsumer(delegate.createDurableConsumer(topic, name), jms);
  }

  @Override
  public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
    return new CorrelatingJMSConsumer(delegate.createDurableConsumer(topic, name, messageSelector, noLocal), jms);
  }

  @Override
  public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
    return new CorrelatingJMSConsumer(delegate.createSharedDurableConsumer(topic, name), jms);
  }

  @Override
  public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
    return new CorrelatingJMSConsumer(delegate.createSharedDurableConsumer(topic, name, messageSelector), jms);
  }

  @Override
  public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
    return new CorrelatingJMSConsumer(delegate.createSharedConsumer(topic, sharedSubscriptionName), jms);
  }

  @Override
  public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
    return new CorrelatingJMSConsumer(delegate.createSharedConsumer(topic, sharedSubscriptionName, messageSelector), jms);
  }

  @Override
  public QueueBrowser createBrowser(Queue queue) {
    return delegate.createBrowser(queue);
  }

  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) {
    return delegate.createBrowser(queue, messageSelector);
  }

  @Override
  public TemporaryQueue createTemporaryQueue() {
    return delegate.createTemporaryQueue();
  }

  @Override
  public TemporaryTopic createTemporaryTopic() {
    return delegate.createTemporaryTopic();
  }

  @Override
  public void unsubscribe(String name) {
    delegate.unsubscribe(name);
  }

  @Override
  public void acknowledge() {
    delegate.acknowledge();
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
