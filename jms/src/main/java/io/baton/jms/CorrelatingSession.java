package io.baton.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.io.Serializable;

/**
 * Hands out correlating producers and consumers and scopes its own message listener. Durable {@code TopicSubscriber}s are forwarded unwrapped: use {@code createDurableConsumer}.
 */
final class CorrelatingSession implements Session {

  private final Session delegate;
  private final JmsCorrelation jms;

  CorrelatingSession(Session delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public BytesMessage createBytesMessage() throws JMSException {
    return delegate.createBytesMessage();
  }

  @Override
  public MapMessage createMapMessage() throws JMSException {
    return delegate.createMapMessage();
  }

  @Override
  public Message createMessage() throws JMSException {
    return delegate.createMessage();
  }

  @Override
  public ObjectMessage createObjectMessage() throws JMSException {
    return delegate.createObjectMessage();
  }

  @Override
  public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
    return delegate.createObjectMessage(object);
  }

  @Override
  public StreamMessage createStreamMessage() throws JMSException {
    return delegate.createStreamMessage();
  }

  @Override
  public TextMessage createTextMessage() throws JMSException {
    return delegate.createTextMessage();
  }

  @Override
  public TextMessage createTextMessage(String text) throws JMSException {
    return delegate.createTextMessage(text);
  }

  @Override
  public boolean getTransacted() throws JMSException {
    return delegate.getTransacted();
  }

  @Override
  public int getAcknowledgeMode() throws JMSException {
    return delegate.getAcknowledgeMode();
  }

  @Override
  public void commit() throws JMSException {
    delegate.commit();
  }

  @Override
  public void rollback() throws JMSException {
    delegate.rollback();
  }

  @Override
  public void close() throws JMSException {
    delegate.close();
  }

  @Override
  public void recover() throws JMSException {
    delegate.recover();
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
  public void run() {
    delegate.run();
  }

  @Override
  public MessageProducer createProducer(Destination destination) throws JMSException {
    return new CorrelatingMessageProducer(delegate.createProducer(destination), jms);
  }

  @Override
  public MessageConsumer createConsumer(Destination destination) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createConsumer(destination), jms);
  }

  @Override
  public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createConsumer(destination, messageSelector), jms);
  }

  @Override
  public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createConsumer(destination, messageSelector, noLocal), jms);
  }

  @Override
  public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createSharedConsumer(topic, sharedSubscriptionName), jms);
  }

  @Override
  public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createSharedConsumer(topic, sharedSubscriptionName, messageSelector), jms);
  }

  @Override
  public Queue createQueue(String queueName) throws JMSException {
    return delegate.createQueue(queueName);
  }

  @Override
  public Topic createTopic(String topicName) throws JMSException {
    return delegate.createTopic(topicName);
  }

  @Override
  public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
    return delegate.createDurableSubscriber(topic, name);
  }

  @Override
  public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    return delegate.createDurableSubscriber(topic, name, messageSelector, noLocal);
  }

  @Override
  public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createDurableConsumer(topic, name), jms);
  }

  @Override
  public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createDurableConsumer(topic, name, messageSelector, noLocal), jms);
  }

  @Override
  public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createSharedDurableConsumer(topic, name), jms);
  }

  @Override
  public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) throws JMSException {
    return new CorrelatingMessageConsumer(delegate.createSharedDurableConsumer(topic, name, messageSelector), jms);
  }

  @Override
  public QueueBrowser createBrowser(Queue queue) throws JMSException {
    return delegate.createBrowser(queue);
  }

  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
    return delegate.createBrowser(queue, messageSelector);
  }

  @Override
  public TemporaryQueue createTemporaryQueue() throws JMSException {
    return delegate.createTemporaryQueue();
  }

  @Override
  public TemporaryTopic createTemporaryTopic() throws JMSException {
    return delegate.createTemporaryTopic();
  }

  @Override
  public void unsubscribe(String name) throws JMSException {
    delegate.unsubscribe(name);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
