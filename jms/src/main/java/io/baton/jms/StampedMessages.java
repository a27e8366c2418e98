package io.baton.jms;

import jakarta.jms.Message;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ID Baton itself wrote into each of the caller's message objects, so that a message object
 * sent again as other work (a template) gets that work's ID, while an ID the caller set, or one a
 * received message brought, is kept. Keyed by identity (providers' {@code equals} follows the
 * message ID, which changes on send) and held weakly: a message that is dropped is forgotten.
 */
final class StampedMessages {

  private final ConcurrentHashMap<Key, String> ids = new ConcurrentHashMap<>();
  private final ReferenceQueue<Message> collected = new ReferenceQueue<>();

  /** The ID Baton last wrote into {@code message}, or null. */
  String get(Message message) {
    return ids.get(new Key(message, null));
  }

  void put(Message message, String id) {
    for (Reference<? extends Message> gone; (gone = collected.poll()) != null; ) {
      ids.remove(gone);
    }
    ids.put(new Key(message, collected), id);
  }

  private static final class Key extends WeakReference<Message> {
    private final int hash;

    Key(Message message, ReferenceQueue<Message> queue) {
      super(message, queue);
      this.hash = System.identityHashCode(message);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Message mine = get();
      return mine != null && mine == ((Key) other).get();
    }
  }
}
