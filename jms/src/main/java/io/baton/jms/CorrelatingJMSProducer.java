package io.baton.jms;

import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes the correlation properties on every send (on the message, or for a body on the producer) and runs the async completion listener in the sent message's correlation.
 */
final class CorrelatingJMSProducer implements JMSProducer {

  private final JMSProducer delegate;
  private final JmsCorrelation jms;

  CorrelatingJMSProducer(JMSProducer delegate, JmsCorrelation jms) {
    this.delegate = delegate;
    this.jms = jms;
  }

  @Override
  public JMSProducer send(Destination destination, Message message) {
    unstamp();
    jms.inject(message);
    delegate.send(destination, message);
    return this;
  }

  @Override
  public JMSProducer send(Destination destination, String body) {
    stampCurrent();
    delegate.send(destination, body);
    return this;
  }

  @Override
  public JMSProducer send(Destination destination, Map<String, Object> body) {
    stampCurrent();
    delegate.send(destination, body);
    return this;
  }

  @Override
  public JMSProducer send(Destination destination, byte[] body) {
    stampCurrent();
    delegate.send(destination, body);
    return this;
  }

  @Override
  public JMSProducer send(Destination destination, Serializable body) {
    stampCurrent();
    delegate.send(destination, body);
    return this;
  }

  @Override
  public JMSProducer setDisableMessageID(boolean disableMessageID) {
    delegate.setDisableMessageID(disableMessageID);
    return this;
  }

  @Override
  public boolean getDisableMessageID() {
    return delegate.getDisableMessageID();
  }

  @Override
  public JMSProducer setDisableMessageTimestamp(boolean disableMessageTimestamp) {
    delegate.setDisableMessageTimestamp(disableMessageTimestamp);
    return this;
  }

  @Override
  public boolean getDisableMessageTimestamp() {
    return delegate.getDisableMessageTimestamp();
  }

  @Override
  public JMSProducer setDeliveryMode(int deliveryMode) {
    delegate.setDeliveryMode(deliveryMode);
    return this;
  }

  @Override
  public int getDeliveryMode() {
    return delegate.getDeliveryMode();
  }

  @Override
  public JMSProducer setPriority(int priority) {
    delegate.setPriority(priority);
    return this;
  }

  @Override
  public int getPriority() {
    return delegate.getPriority();
  }

  @Override
  public JMSProducer setTimeToLive(long timeToLive) {
    delegate.setTimeToLive(timeToLive);
    return this;
  }

  @Override
  public long getTimeToLive() {
    return delegate.getTimeToLive();
  }

  @Override
  public JMSProducer setDeliveryDelay(long deliveryDelay) {
    delegate.setDeliveryDelay(deliveryDelay);
    return this;
  }

  @Override
  public long getDeliveryDelay() {
    return delegate.getDeliveryDelay();
  }

  @Override
  public JMSProducer setAsync(CompletionListener completionListener) {
    delegate.setAsync(jms.completionListener(completionListener));
    return this;
  }

  @Override
  public CompletionListener getAsync() {
    return CorrelatingCompletionListener.unwrap(delegate.getAsync());
  }

  @Override
  public JMSProducer setProperty(String name, boolean value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, byte value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, short value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, int value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, long value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, float value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, double value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, String value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, Object value) {
    delegate.setProperty(name, value);
    return this;
  }

  @Override
  public JMSProducer clearProperties() {
    delegate.clearProperties();
    return this;
  }

  @Override
  public boolean propertyExists(String name) {
    return delegate.propertyExists(name);
  }

  @Override
  public boolean getBooleanProperty(String name) {
    return delegate.getBooleanProperty(name);
  }

  @Override
  public byte getByteProperty(String name) {
    return delegate.getByteProperty(name);
  }

  @Override
  public short getShortProperty(String name) {
    return delegate.getShortProperty(name);
  }

  @Override
  public int getIntProperty(String name) {
    return delegate.getIntProperty(name);
  }

  @Override
  public long getLongProperty(String name) {
    return delegate.getLongProperty(name);
  }

  @Override
  public float getFloatProperty(String name) {
    return delegate.getFloatProperty(name);
  }

  @Override
  public double getDoubleProperty(String name) {
    return delegate.getDoubleProperty(name);
  }

  @Override
  public String getStringProperty(String name) {
    return delegate.getStringProperty(name);
  }

  @Override
  public Object getObjectProperty(String name) {
    return delegate.getObjectProperty(name);
  }

  @Override
  public Set<String> getPropertyNames() {
    return delegate.getPropertyNames();
  }

  @Override
  public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
    delegate.setJMSCorrelationIDAsBytes(correlationID);
    return this;
  }

  @Override
  public byte[] getJMSCorrelationIDAsBytes() {
    return delegate.getJMSCorrelationIDAsBytes();
  }

  @Override
  public JMSProducer setJMSCorrelationID(String correlationID) {
    delegate.setJMSCorrelationID(correlationID);
    return this;
  }

  @Override
  public String getJMSCorrelationID() {
    return delegate.getJMSCorrelationID();
  }

  @Override
  public JMSProducer setJMSType(String type) {
    delegate.setJMSType(type);
    return this;
  }

  @Override
  public String getJMSType() {
    return delegate.getJMSType();
  }

  @Override
  public JMSProducer setJMSReplyTo(Destination destination) {
    delegate.setJMSReplyTo(destination);
    return this;
  }

  @Override
  public Destination getJMSReplyTo() {
    return delegate.getJMSReplyTo();
  }

  /** The ID this wrapper last put on the producer; any other valid ID there is the caller's. */
  private String stamped;

  /** Sends of a body: the message is made by the provider, so the properties go on the producer. */
  private void stampCurrent() {
    String present = idOnProducer();
    if (present != null && !present.equals(stamped) && Correlation.isValidId(present)) {
      return; // set by the caller on this producer: kept, like a valid ID on a message
    }
    stamped = jms.propagator().inject(delegate, NOTHING, PROPERTIES).id();
  }

  private String idOnProducer() {
    try {
      Object value = delegate.getObjectProperty(jms.propagator().idHeader());
      return value instanceof String ? (String) value : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Sends of a message: the provider copies the producer's properties onto the message at send,
   * over the message's own, and a received message (read-only) cannot take them at all. So the
   * correlation a body send left on the producer comes off first, and the message goes out with
   * its own. A valid ID the caller set on the producer stays: it is theirs, as on a body send.
   */
  private void unstamp() {
    if (stamped == null) {
      return;
    }
    if (stamped.equals(idOnProducer())) {
      removeProperties(delegate, jms.propagator().idHeader(), jms.propagator().parentHeader());
    }
    stamped = null;
  }

  /** A producer's properties outlive one send: never "already present", always replaced. */
  private static final CorrelationPropagator.Getter<JMSProducer> NOTHING = (producer, key) -> null;

  private static final CorrelationPropagator.Setter<JMSProducer> PROPERTIES =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(JMSProducer producer, String key, String value) {
          producer.setProperty(key, value);
        }

        @Override
        public void remove(JMSProducer producer, String key) {
          if (producer.propertyExists(key)) {
            removeProperties(producer, key, key);
          }
        }
      };

  /** JMSProducer can only clear all its properties: keep the others and set them again. */
  private static void removeProperties(JMSProducer producer, String name, String otherName) {
    Map<String, Object> kept = new LinkedHashMap<>();
    for (String property : producer.getPropertyNames()) {
      if (!property.equals(name) && !property.equals(otherName)) {
        kept.put(property, producer.getObjectProperty(property));
      }
    }
    producer.clearProperties();
    kept.forEach(producer::setProperty);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
