package io.baton.kafka;

import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka record headers as a carrier: UTF-8 values, names matched ignoring case. A name that occurs
 * more than once reads as one value when all copies agree, and otherwise as the comma-joined list
 * of them (as HTTP joins repeated fields), which is never a valid ID: conflicting copies cannot
 * tell which one is right, so the record gets a fresh ID.
 */
final class KafkaHeaders {

  static final CorrelationPropagator.Getter<Headers> GETTER = KafkaHeaders::lastValue;

  static final CorrelationPropagator.Setter<Headers> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(Headers headers, String key, String value) {
          removeIgnoringCase(headers, key);
          headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void remove(Headers headers, String key) {
          removeIgnoringCase(headers, key);
        }
      };

  private KafkaHeaders() {}

  /** Reads match names ignoring case, so writes replace every spelling of the name. */
  private static void removeIgnoringCase(Headers headers, String key) {
    // One scan when the name is absent, the common case on send; a remove per spelling otherwise.
    for (String other = anySpelling(headers, key); other != null; other = anySpelling(headers, key)) {
      headers.remove(other);
    }
  }

  private static String anySpelling(Headers headers, String key) {
    for (Header header : headers) {
      if (header.key().equalsIgnoreCase(key)) {
        return header.key();
      }
    }
    return null;
  }

  static String lastValue(Headers headers, String key) {
    byte[] first = null;
    StringBuilder conflicting = null;
    for (Header header : headers) {
      byte[] value = header.value();
      if (value == null || !header.key().equalsIgnoreCase(key)) {
        continue;
      }
      if (first == null) {
        first = value;
      } else if (conflicting != null) {
        conflicting.append(',').append(new String(value, StandardCharsets.UTF_8));
      } else if (!Arrays.equals(first, value)) {
        conflicting = new StringBuilder(new String(first, StandardCharsets.UTF_8));
        conflicting.append(',').append(new String(value, StandardCharsets.UTF_8));
      }
    }
    if (conflicting != null) {
      return conflicting.toString();
    }
    return first == null ? null : new String(first, StandardCharsets.UTF_8);
  }

  /**
   * Leaves at most one header of each of the correlation's names: a record that came with the
   * same name twice gets the value Baton settled on, once.
   */
  static void dedupe(Headers headers, CorrelationPropagator propagator, Correlation correlation) {
    try {
      dedupeOrThrow(headers, propagator, correlation);
    } catch (RuntimeException e) {
      // read-only headers: leave them as they are rather than fail the send or the poll
    }
  }

  private static void dedupeOrThrow(
      Headers headers, CorrelationPropagator propagator, Correlation correlation) {
    String idHeader = propagator.idHeader();
    String parentHeader = propagator.parentHeader();
    int ids = 0;
    int parents = 0;
    for (Header header : headers) {
      if (header.key().equalsIgnoreCase(idHeader)) {
        ids++;
      } else if (header.key().equalsIgnoreCase(parentHeader)) {
        parents++;
      }
    }
    if (ids > 1) {
      SETTER.set(headers, idHeader, correlation.id());
    }
    if (parents > 1) {
      String parent = correlation.parentId().orElse(null);
      if (parent == null) {
        SETTER.remove(headers, parentHeader);
      } else {
        SETTER.set(headers, parentHeader, parent);
      }
    }
  }

  /** Replaces {@code key} with a single UTF-8 value. */
  static void put(Headers headers, String key, String value) {
    SETTER.set(headers, key, value);
  }
}
