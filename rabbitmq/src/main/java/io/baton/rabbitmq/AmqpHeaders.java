package io.baton.rabbitmq;

import com.rabbitmq.client.LongString;
import io.baton.CorrelationPropagator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An AMQP headers table as a carrier. A {@code LongString} is decoded here; core reads {@code
 * String} and {@code byte[]} (UTF-8) and counts any other type as missing. Names match
 * exactly first, then ignoring case. Writes go to a copy, made on the first write, so the caller's
 * table is never mutated; values are written as {@code String}, which the broker accepts.
 */
final class AmqpHeaders {

  static final CorrelationPropagator.Getter<AmqpHeaders> GETTER = AmqpHeaders::value;

  static final CorrelationPropagator.Setter<AmqpHeaders> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(AmqpHeaders headers, String key, String value) {
          headers.writable().put(key, value);
        }

        @Override
        public void remove(AmqpHeaders headers, String key) {
          if (headers.current().containsKey(key)) {
            headers.writable().remove(key);
          }
        }
      };

  private final Map<String, Object> original;
  private Map<String, Object> copy;

  AmqpHeaders(Map<String, Object> original) {
    this.original = original == null ? Map.of() : original;
  }

  /** The table after any writes. */
  Map<String, Object> current() {
    return copy != null ? copy : original;
  }

  /** Whether anything was written. */
  boolean changed() {
    return copy != null;
  }

  private Map<String, Object> writable() {
    if (copy == null) {
      copy = new HashMap<>(original);
    }
    return copy;
  }

  /** The value for core to read: a LongString as its bytes (core decodes), anything else as is. */
  static Object value(AmqpHeaders headers, String key) {
    Object value = lookup(headers.current(), key);
    return value instanceof LongString ? ((LongString) value).getBytes() : value;
  }

  private static Object lookup(Map<String, Object> table, String key) {
    Object value = table.get(key);
    if (value == null) {
      for (Map.Entry<String, Object> entry : table.entrySet()) {
        if (CorrelationPropagator.Getter.sameName(entry.getKey(), key)) {
          value = entry.getValue();
          break;
        }
      }
    }
    return value;
  }

  static String asText(Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    if (value instanceof LongString) {
      return new String(((LongString) value).getBytes(), StandardCharsets.UTF_8);
    }
    if (value instanceof byte[]) {
      return new String((byte[]) value, StandardCharsets.UTF_8);
    }
    return null;
  }
}
