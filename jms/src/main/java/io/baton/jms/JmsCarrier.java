package io.baton.jms;

import io.baton.CorrelationPropagator;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageNotWriteableException;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JMS message properties as a carrier. Names that are not JMS identifiers (such as the HTTP-style
 * alias {@code X-Correlation-ID}) are never asked for. A received message is read-only: writing to
 * it re-sets all its properties after {@code clearProperties()}, and only when all of them can be
 * set again, so none is lost.
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

  /**
   * Clears and re-sets every property, with {@code key} set to {@code value} (removed if null).
   * Only when every property can be set again: a name or value that JMS does not allow a client
   * to set (a property from another protocol, such as a name with a dash or a line break) would
   * be lost, so then the message is left exactly as it is and the write fails.
   */
  private static void rewrite(Message message, String key, String value) throws JMSException {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
      String name = (String) names.nextElement();
      if (name.equals(key) || PROVIDER_SET.contains(name)) {
        continue; // the provider sets these; JMSXGroupID / JMSXGroupSeq are the application's
      }
      Object kept = message.getObjectProperty(name);
      if (kept != null && !canSet(name, kept)) {
        throw new IllegalStateException(
            "a property of this read-only message could not be set again; message left unchanged");
      }
      properties.put(name, kept);
    }
    if (value != null) {
      properties.put(key, value);
    }
    message.clearProperties();
    int lost = 0;
    String failure = null;
    for (Map.Entry<String, Object> property : properties.entrySet()) {
      if (property.getValue() == null) {
        continue;
      }
      try {
        message.setObjectProperty(property.getKey(), property.getValue());
      } catch (JMSException | RuntimeException e) {
        lost++; // a rule of this provider's that JMS does not state
        failure = e.getClass().getName();
      }
    }
    if (lost > 0) {
      // names come from the sender: never in a log line
      LOG.warn("Could not keep {} properties of a forwarded message ({})", lost, failure);
    }
  }

  /** Whether JMS lets a client set this property (JMS 3.1, 3.5.1 and 3.5.4). */
  private static boolean canSet(String name, Object value) {
    return isIdentifier(name)
        && !RESERVED.contains(name.toUpperCase(Locale.ROOT))
        && (value instanceof String || value instanceof Boolean || value instanceof Byte
            || value instanceof Short || value instanceof Integer || value instanceof Long
            || value instanceof Float || value instanceof Double);
  }

  /** Words of the selector syntax, which JMS forbids as property names. */
  private static final Set<String> RESERVED = Set.of(
      "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

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
