package io.baton.rabbitmq;

import com.rabbitmq.client.LongString;
import io.baton.CorrelationPropagator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An AMQP headers table as a carrier. A {@code LongString} is handed to core as its bytes; core
 * reads {@code String} and {@code byte[]} (UTF-8) and counts any other type as invalid. Names
 * match exactly first, then ignoring ASCII case; a write replaces every casing of the name with
 * the canonical one. Writes go to a copy, made on the first write, so the caller's table is never
 * mutated; values are written as {@code String}, which the broker accepts.
 */
final class AmqpCarrier {

  static final CorrelationPropagator.Getter<AmqpCarrier> GETTER = AmqpCarrier::value;

  static final CorrelationPropagator.Setter<AmqpCarrier> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(AmqpCarrier headers, String key, String value) {
          headers.removeEverySpelling(key);
          headers.writable().put(key, value);
        }

        @Override
        public void remove(AmqpCarrier headers, String key) {
          headers.removeEverySpelling(key);
        }
      };

  private final Map<String, Object> original;
  private Map<String, Object> copy;

  AmqpCarrier(Map<String, Object> original) {
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

  /** Removes {@code key} however it is cased: a write leaves the one canonical spelling. */
  private void removeEverySpelling(String key) {
    boolean found = false;
    for (String name : current().keySet()) {
      if (CorrelationPropagator.Getter.sameName(name, key)) {
        found = true;
        break;
      }
    }
    if (found) {
      writable().keySet().removeIf(name -> CorrelationPropagator.Getter.sameName(name, key));
    }
  }

  /**
   * Makes a header that is there only under another casing ({@code Correlation_ID}) go out under
   * {@code key} itself, once: tools that look names up exactly find it. The value is kept as it
   * is.
   */
  void canonicalize(String key) {
    Map<String, Object> table = current();
    for (String name : table.keySet()) {
      if (!name.equals(key) && CorrelationPropagator.Getter.sameName(name, key)) {
        Object value = lookup(table, key);
        removeEverySpelling(key);
        writable().put(key, value);
        return;
      }
    }
  }

  /** The value for core to read: a LongString as its bytes (core decodes), anything else as is. */
  static Object value(AmqpCarrier headers, String key) {
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
