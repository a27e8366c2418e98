package io.baton.jms;

import io.baton.CorrelationPropagator;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageNotWriteableException;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JMS message properties as a carrier. Names that are not JMS identifiers (such as the HTTP-style
 * alias {@code X-Correlation-ID}) are never asked for. A received message is read-only: writing to
 * it re-sets all its properties after {@code clearProperties()}, so none is lost.
 */
final class JmsCarrier {

  static final CorrelationPropagator.Getter<Message> GETTER = JmsCarrier::get;

  static final CorrelationPropagator.Setter<Message> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(Message message, String key, String value) {
          try {
            try {
              message.setStringProperty(key, value);
            } catch (MessageNotWriteableException readOnly) {
              rewrite(message, key, value);
            }
          } catch (JMSException e) {
            throw new IllegalStateException(e.getClass().getName(), e);
          }
        }

        @Override
        public void remove(Message message, String key) {
          try {
            if (message.propertyExists(key)) {
              rewrite(message, key, null);
            }
          } catch (JMSException e) {
            throw new IllegalStateException(e.getClass().getName(), e);
          }
        }
      };

  private JmsCarrier() {}

  static Object get(Message message, String key) {
    if (!isIdentifier(key)) {
      return null;
    }
    try {
      return message.getObjectProperty(key);
    } catch (JMSException e) {
      throw new IllegalStateException(e.getClass().getName(), e);
    }
  }

  /** Clears and re-sets every property, with {@code key} set to {@code value} (removed if null). */
  private static void rewrite(Message message, String key, String value) throws JMSException {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
      String name = (String) names.nextElement();
      properties.put(name, message.getObjectProperty(name));
    }
    properties.remove(key);
    if (value != null) {
      properties.put(key, value);
    }
    message.clearProperties();
    for (Map.Entry<String, Object> property : properties.entrySet()) {
      if (PROVIDER_SET.contains(property.getKey())) {
        continue; // the provider sets these; JMSXGroupID / JMSXGroupSeq are the application's
      }
      try {
        message.setObjectProperty(property.getKey(), property.getValue());
      } catch (JMSException | RuntimeException e) {
        LOG.warn("Could not keep property {} of a forwarded message ({})",
            property.getKey(), e.getClass().getName());
      }
    }
  }

  /** JMSX properties the provider sets on send or receive (JMS 3.1, 3.5.9). */
  private static final Set<String> PROVIDER_SET = Set.of(
      "JMSXUserID", "JMSXAppID", "JMSXDeliveryCount", "JMSXProducerTXID",
      "JMSXConsumerTXID", "JMSXRcvTimestamp", "JMSXState");

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.jms");

  static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isJavaIdentifierPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A property as text for the MDC, or null when absent or unreadable. */
  static String text(Message message, String name) {
    try {
      Object value = message.getObjectProperty(name);
      return value == null ? null : value.toString();
    } catch (JMSException | RuntimeException e) {
      return null;
    }
  }
}
