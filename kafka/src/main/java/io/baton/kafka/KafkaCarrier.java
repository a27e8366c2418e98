package io.baton.kafka;

import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record's headers as a carrier, for one inject or extract: every lookup reads one array
 * snapshot of the headers, taken on first use, where iterating the headers would allocate an
 * iterator per lookup. A write leaves the snapshot in use for every other name (it removed and
 * added headers of its own name only), so sending a fresh record copies no header array at all.
 *
 * <p>Names match ignoring case; a write replaces every spelling. A name that occurs more than once
 * reads as one value when all copies agree, and otherwise as the comma-joined list of them (as HTTP
 * joins repeated fields), which is never a valid ID: conflicting copies cannot tell which one is
 * right, so the record gets a fresh ID.
 */
final class KafkaCarrier {

  static final CorrelationPropagator.Getter<KafkaCarrier> GETTER = KafkaCarrier::value;

  static final CorrelationPropagator.Setter<KafkaCarrier> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(KafkaCarrier carrier, String key, String value) {
          carrier.set(key, value);
        }

        @Override
        public void remove(KafkaCarrier carrier, String key) {
          carrier.remove(key);
        }
      };

  private final Headers headers;
  private Header[] snapshot;
  /** Names written since the snapshot was taken: the snapshot is stale for those only. */
  private String written;
  private String writtenToo;
  /** Whether a lookup met a name twice: only then can {@link #dedupe} have work to do. */
  private boolean repeated;

  KafkaCarrier(Headers headers) {
    this.headers = headers;
  }

  /** The headers as they are now, for every name but those written since (see above). */
  private Header[] snapshot() {
    if (snapshot == null) {
      snapshot = headers.toArray();
    }
    return snapshot;
  }

  /** A snapshot that is current for {@code key}. */
  private Header[] snapshotFor(String key) {
    if (isWritten(key)) {
      forgetSnapshot();
    }
    return snapshot();
  }

  private void forgetSnapshot() {
    snapshot = null;
    written = null;
    writtenToo = null;
  }

  /** Names match ignoring case; the exact spelling, by far the most common, is checked first. */
  private static boolean sameName(String name, String key) {
    return name.equals(key) || name.equalsIgnoreCase(key);
  }

  private boolean isWritten(String key) {
    return (written != null && sameName(written, key))
        || (writtenToo != null && sameName(writtenToo, key));
  }

  /**
   * The value under {@code key} by the rules above, for core to read: the raw bytes of a single
   * value (core decodes at most what an ID can be, however large the header), or the joined text of
   * conflicting copies (each part bounded the same way), or null.
   */
  Object value(String key) {
    byte[] first = null;
    for (Header header : snapshotFor(key)) {
      byte[] value = header.value();
      if (value != null && sameName(header.key(), key)) {
        if (first != null) {
          return repeatedValue(key);
        }
        first = value;
      }
    }
    return first;
  }

  /** {@link #value} of a name that occurs more than once: rare, so kept out of the common path. */
  private Object repeatedValue(String key) {
    repeated = true;
    byte[] first = null;
    StringBuilder conflicting = null;
    for (Header header : snapshot) {
      byte[] value = header.value();
      if (value == null || !sameName(header.key(), key)) {
        continue;
      }
      if (first == null) {
        first = value;
      } else if (conflicting != null) {
        conflicting.append(',').append(bounded(value));
      } else if (!Arrays.equals(first, value)) {
        conflicting = new StringBuilder(bounded(first)).append(',').append(bounded(value));
      }
    }
    return conflicting != null ? conflicting.toString() : first;
  }

  /** The text under {@code key} (small diagnostic headers), or null. */
  String text(String key) {
    Object value = value(key);
    return value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : (String) value;
  }

  /** Enough of a value to show in a warning; never a whole oversized header. */
  private static String bounded(byte[] value) {
    return new String(value, 0, Math.min(value.length, MAX_SHOWN), StandardCharsets.UTF_8);
  }

  private static final int MAX_SHOWN = 64;

  void set(String key, String value) {
    remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    if (snapshot == null || isWritten(key)) {
      return;
    }
    if (written == null) {
      written = key;
    } else if (writtenToo == null) {
      writtenToo = key;
    } else {
      forgetSnapshot(); // a third name: never happens with an ID and a parent, but stay correct
    }
  }

  void remove(String key) {
    boolean present = false;
    for (Header header : snapshotFor(key)) {
      if (sameName(header.key(), key)) {
        present = true;
        headers.remove(header.key());
      }
    }
    if (present) {
      forgetSnapshot();
    }
  }

  /**
   * Leaves at most one header of each of the correlation's names: a record that came with the
   * same name twice (agreeing copies) gets the value Baton settled on, once. Never throws:
   * read-only headers stay as they are.
   */
  void dedupe(CorrelationPropagator propagator, Correlation correlation) {
    // Every name dedupe looks at was either looked up (which noticed any repeat) or written once.
    if (!repeated) {
      return;
    }
    try {
      int ids = 0;
      int parents = 0;
      forgetSnapshot();
      for (Header header : snapshot()) {
        if (sameName(header.key(), propagator.idHeader())) {
          ids++;
        } else if (sameName(header.key(), propagator.parentHeader())) {
          parents++;
        }
      }
      if (ids > 1) {
        set(propagator.idHeader(), correlation.id());
      }
      if (parents > 1) {
        String parent = correlation.parentId().orElse(null);
        if (parent == null) {
          remove(propagator.parentHeader());
        } else {
          set(propagator.parentHeader(), parent);
        }
      }
    } catch (RuntimeException e) {
      // read-only headers: leave them as they are rather than fail the send or the poll
    }
  }
}
