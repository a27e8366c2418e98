package io.baton.kafka;

import static io.baton.CorrelationPropagator.Getter.sameName;

import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One record's headers as a carrier, for one inject or extract. The first lookup walks the headers
 * once and remembers what it found under the propagator's two names (the ID and its parent); every
 * later lookup, write and {@link #dedupe} of those names starts from that, so a message costs one
 * walk of its headers. Walking them is also what is cheap: {@code Headers.toArray()} costs more
 * than the rest of a lookup together.
 *
 * <p>Names match ignoring ASCII case; a write replaces every spelling. A name that occurs more than
 * once reads as one value when all copies agree, and otherwise as the comma-joined list of them (as
 * HTTP joins repeated fields), which is never a valid ID: conflicting copies cannot tell which one
 * is right, so the record gets a fresh ID.
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
  private final String idName;
  private final String parentName;
  /** Whether the walk below has happened; the four fields after it are only read once it has. */
  private boolean walked;
  /** How many headers carry each name, in any spelling. */
  private int ids;
  private int parents;
  /**
   * The first header with each name. Its value is read only when that name is asked for: a
   * consumed header copies its value out of the fetched batch then, and one that fails to must
   * cost only its own name.
   */
  private Header id;
  private Header parent;

  /** Whether this is a record being sent: the headers Baton writes are then {@link SentHeader}s. */
  private final boolean sending;

  KafkaCarrier(Headers headers, CorrelationPropagator propagator) {
    this(headers, propagator, false);
  }

  KafkaCarrier(Headers headers, CorrelationPropagator propagator, boolean sending) {
    this.sending = sending;
    this.headers = headers;
    this.idName = propagator.idHeader();
    this.parentName = propagator.parentHeader();
  }

  /**
   * One walk of the headers' names, for both of the propagator's names. Headers that fail to
   * iterate fail it before anything is remembered, so every later lookup fails the same way.
   */
  private void walk() {
    int idCount = 0;
    int parentCount = 0;
    Header idFirst = null;
    Header parentFirst = null;
    for (Header header : headers) {
      String name = header.key();
      if (sameName(name, idName)) {
        if (idCount++ == 0) {
          idFirst = header;
        }
      } else if (sameName(name, parentName)) {
        if (parentCount++ == 0) {
          parentFirst = header;
        }
      }
    }
    ids = idCount;
    parents = parentCount;
    id = idFirst;
    parent = parentFirst;
    walked = true;
  }

  /**
   * The value under {@code key} by the rules above, for core to read: the raw bytes of a single
   * value (core decodes at most what an ID can be, however large the header), or the joined text of
   * conflicting copies (each part bounded the same way), or null.
   */
  Object value(String key) {
    int copies;
    Header first;
    if (sameName(key, idName)) {
      if (!walked) {
        walk();
      }
      copies = ids;
      first = id;
    } else if (sameName(key, parentName)) {
      if (!walked) {
        walk();
      }
      copies = parents;
      first = parent;
    } else {
      return valueOf(key); // an alias, or a diagnostic header
    }
    if (copies > 1) {
      return repeatedValue(key);
    }
    return first == null ? null : first.value();
  }

  /** {@link #value} of any other name: its own walk. */
  private Object valueOf(String key) {
    byte[] first = null;
    for (Header header : headers) {
      // The name first: a consumed record's header copies its value out of the batch on demand.
      if (sameName(header.key(), key)) {
        byte[] value = header.value();
        if (value == null) {
          continue;
        }
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
    byte[] first = null;
    StringBuilder conflicting = null;
    for (Header header : headers) {
      if (!sameName(header.key(), key)) {
        continue;
      }
      byte[] value = header.value();
      if (value == null) {
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
    // When the headers ignored a removal, remove left the counts to be taken again: keep out.
    boolean counted = remove(key);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Header header = sending ? new SentHeader(key, bytes) : new RecordHeader(key, bytes);
    headers.add(header);
    if (!counted) {
      return;
    }
    if (sameName(key, idName)) {
      ids = 1;
      id = header;
    } else if (sameName(key, parentName)) {
      parents = 1;
      parent = header;
    }
  }

  /**
   * Removes every spelling of {@code key}; false when the headers kept one (they ignored a
   * removal), and then the counts above are no longer known.
   */
  boolean remove(String key) {
    if (sameName(key, idName)) {
      if (!walked) {
        walk();
      }
      if (ids > 0) {
        boolean removedAll = removeAll(key);
        ids = 0;
        id = null;
        walked = removedAll;
        return removedAll;
      }
    } else if (sameName(key, parentName)) {
      if (!walked) {
        walk();
      }
      if (parents > 0) {
        boolean removedAll = removeAll(key);
        parents = 0;
        parent = null;
        walked = removedAll;
        return removedAll;
      }
    } else {
      return removeAll(key);
    }
    return true;
  }

  /**
   * {@link Headers#remove} takes one spelling at a time: one pass for each spelling found, however
   * many a record came with. False when a spelling is still there right after its removal.
   */
  private boolean removeAll(String key) {
    String removed = null;
    for (String spelling = spellingOf(key); spelling != null; spelling = spellingOf(key)) {
      if (spelling.equals(removed)) {
        return false;
      }
      headers.remove(spelling);
      removed = spelling;
    }
    return true;
  }

  /** The name of a header under {@code key} as the record spells it, or null. */
  private String spellingOf(String key) {
    for (Header header : headers) {
      String name = header.key();
      if (sameName(name, key)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Leaves at most one header of each of the correlation's names: a record that came with the
   * same name twice (agreeing copies) gets the value Baton settled on, once. Never throws:
   * read-only headers stay as they are.
   */
  void dedupe(Correlation correlation) {
    // Every lookup and write above kept the counts current.
    if (walked && ids <= 1 && parents <= 1 && spelledAsNamed()) {
      return;
    }
    dedupeWalked(correlation);
  }

  /** Whether the ID and parent headers there are spelled exactly as the propagator names them. */
  private boolean spelledAsNamed() {
    return (id == null || id.key().equals(idName)) && (parent == null || parent.key().equals(parentName));
  }

  private void dedupeWalked(Correlation correlation) {
    try {
      if (!walked) {
        walk();
      }
      // Twice, or once under another casing (Correlation_ID): once, as named, so that tools
      // looking the name up exactly find it.
      if (ids > 1 || (ids == 1 && !id.key().equals(idName))) {
        set(idName, correlation.id());
      }
      if (parents > 1 || (parents == 1 && !parent.key().equals(parentName))) {
        String parentId = correlation.parentId().orElse(null);
        if (parentId == null) {
          remove(parentName);
        } else {
          set(parentName, parentId);
        }
      }
    } catch (RuntimeException e) {
      // read-only headers: leave them as they are rather than fail the send or the poll
    }
  }

  /**
   * A correlation header Baton wrote on a record being sent. A record object sent again (a
   * template) while another correlation is current is told apart by it from one whose ID the
   * caller set, or that came from a received record: only Baton's own is replaced.
   */
  static final class SentHeader extends RecordHeader {
    SentHeader(String key, byte[] value) {
      super(key, value);
    }
  }
}
