package io.baton;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves correlations in and out of a message (a "carrier"): the one set of rules every Baton
 * broker module applies, public so that any other transport can use it too.
 *
 * <pre>{@code
 * CorrelationPropagator propagator = CorrelationPropagator.create();
 * // producing: writes correlation_id / parent_correlation_id unless a valid ID is already there
 * propagator.inject(message, MyMessage::header, MyMessage::setHeader);
 * // consuming: the message's correlation, for exactly the handling of this message
 * try (CorrelationScope scope = propagator.open(message, MyMessage::header)) {
 *   handle(message);
 * }
 * }</pre>
 *
 * <table>
 *   <caption>What a carrier gives on extract</caption>
 *   <tr><th>inbound {@code correlation_id}</th><th>result</th></tr>
 *   <tr><td>valid (parent valid or absent)</td><td>that correlation</td></tr>
 *   <tr><td>valid, parent invalid</td><td>that ID, no parent; one WARN</td></tr>
 *   <tr><td>missing (and no alias)</td><td>a fresh root</td></tr>
 *   <tr><td>invalid</td><td>a fresh root; one WARN on logger {@code io.baton}, value sanitized</td></tr>
 * </table>
 *
 * <p>Nothing here throws into user code: a value the getter cannot read counts as missing, and a
 * setter that fails is logged and skipped. Warnings never show an inbound value raw: only its
 * length and at most 64 characters with everything outside {@code [A-Za-z0-9_-]} escaped.
 */
public final class CorrelationPropagator {

  /**
   * Reads one value from a carrier.
   *
   * @param <C> the carrier type, e.g. Kafka {@code Headers}
   */
  @FunctionalInterface
  public interface Getter<C> {
    /**
     * The value under {@code key}, or null when it is absent. A {@code String} or other {@code
     * CharSequence} is read as it is and a {@code byte[]} as UTF-8; any other type counts as
     * missing (with a warning that names only the type), so a getter may hand over whatever the
     * carrier holds. Carriers whose names are case-insensitive in practice (HTTP-style headers)
     * should match {@code key} ignoring ASCII case, e.g. with {@link #sameName}.
     *
     * @param carrier the message or its headers
     * @param key the header name
     * @return the raw value, or {@code null} when absent
     */
    Object get(C carrier, String key);

    /**
     * Whether header {@code name} is {@code key} ignoring ASCII case only: {@code
     * X-Correlation-ID} is {@code x-correlation-id}, but {@code correlation_id} spelled with a
     * dotless i (U+0131) is not {@code correlation_id}, as it would be to {@link
     * String#equalsIgnoreCase}.
     *
     * @param name a header name as the carrier holds it
     * @param key the name looked for
     * @return {@code true} when the two names are equal ignoring ASCII case
     */
    static boolean sameName(String name, String key) {
      // Names of another length, by far the most common case, are told apart by length alone,
      // and the exact spelling (often the very same String) is checked before any case folding.
      return name.length() == key.length() && (name.equals(key) || sameIgnoringAsciiCase(name, key));
    }

    private static boolean sameIgnoringAsciiCase(String name, String key) {
      for (int i = 0; i < key.length(); i++) {
        char a = name.charAt(i);
        char b = key.charAt(i);
        if (a != b && lowerAscii(a) != lowerAscii(b)) {
          return false;
        }
      }
      return true;
    }

    private static char lowerAscii(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
  }

  /**
   * Writes one value into a carrier.
   *
   * @param <C> the carrier type, e.g. Kafka {@code Headers}
   */
  @FunctionalInterface
  public interface Setter<C> {
    /**
     * Puts {@code value} under {@code key}, replacing whatever was there.
     *
     * @param carrier the message or its headers
     * @param key the header name
     * @param value the value to write
     */
    void set(C carrier, String key, String value);

    /**
     * Removes {@code key}, where the carrier can (a stale parent next to a replaced ID). By
     * default does nothing.
     *
     * @param carrier the message or its headers
     * @param key the header name
     */
    default void remove(C carrier, String key) {}
  }

  static final Logger LOG = LoggerFactory.getLogger("io.baton");

  private static final CorrelationPropagator DEFAULT = new Builder().build();

  private final String idHeader;
  private final String parentHeader;
  private final String[] aliases;
  private final String idMdcKey;
  private final String parentMdcKey;
  private final Supplier<String> idGenerator;
  private final boolean readMdc;
  private volatile boolean generatorWarned;

  private CorrelationPropagator(Builder builder) {
    this.idHeader = builder.idHeader;
    this.parentHeader = builder.parentHeader;
    this.aliases = builder.aliases.clone();
    this.idMdcKey = builder.idMdcKey;
    this.parentMdcKey = builder.parentMdcKey;
    this.idGenerator = builder.idGenerator;
    this.readMdc = builder.readMdc;
  }

  /**
   * The default propagator: headers {@code correlation_id} / {@code parent_correlation_id}, alias
   * {@code X-Correlation-ID}, the same names as MDC keys, random UUID v4 IDs.
   *
   * @return the shared default propagator
   */
  public static CorrelationPropagator create() {
    return DEFAULT;
  }

  /**
   * A builder starting from the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The header that carries the correlation ID.
   *
   * @return the ID header's name
   */
  public String idHeader() {
    return idHeader;
  }

  /**
   * The header that carries the parent correlation ID.
   *
   * @return the parent header's name
   */
  public String parentHeader() {
    return parentHeader;
  }

  /**
   * Headers read, in order, when {@link #idHeader()} is missing on an inbound message.
   *
   * @return the alias header names, unmodifiable
   */
  public List<String> aliases() {
    return Collections.unmodifiableList(Arrays.asList(aliases));
  }

  /**
   * The MDC key of the correlation ID.
   *
   * @return the ID's MDC key
   */
  public String idMdcKey() {
    return idMdcKey;
  }

  /**
   * The MDC key of the parent correlation ID.
   *
   * @return the parent's MDC key
   */
  public String parentMdcKey() {
    return parentMdcKey;
  }

  /**
   * A fresh root correlation, with an ID from this propagator's generator.
   *
   * @return a new root correlation
   */
  public Correlation newRoot() {
    return new Correlation(newId(), null);
  }

  /**
   * A fresh child of {@code parent}, with an ID from this propagator's generator.
   *
   * @param parent the correlation the child is spawned by
   * @return a new child correlation
   */
  public Correlation newChild(Correlation parent) {
    return parent.newChild(newId());
  }

  /**
   * Writes the current correlation (a fresh root when there is none) into {@code carrier}, unless
   * it already holds a valid ID under {@link #idHeader()}: a retried or forwarded message keeps
   * its ID. A carrier with no {@link #idHeader()} but a valid ID under an alias is given that ID
   * under {@link #idHeader()}. With no scope current, a valid ID in the MDC under {@link
   * #idMdcKey()} (an application's own edge filter put it there) is used, unless {@link
   * Builder#readMdc} turned that off.
   *
   * @param <C> the carrier type
   * @param carrier the outbound message or its headers
   * @param getter reads the carrier's headers
   * @param setter writes the carrier's headers
   * @return the correlation the carrier now carries
   */
  public <C> Correlation inject(C carrier, Getter<C> getter, Setter<C> setter) {
    CharSequence existing = read(carrier, getter, idHeader);
    if (isValid(existing)) {
      CharSequence parent = read(carrier, getter, parentHeader);
      return new Correlation(existing.toString(), isValid(parent) ? parent.toString() : null);
    }
    if (existing == null && aliases.length > 0) {
      Correlation aliased = injectAlias(carrier, getter, setter);
      if (aliased != null) {
        return aliased;
      }
    }
    Correlation current = ContextScope.current();
    Correlation correlation = current != null ? current : fromMdcOrNewRoot();
    writeQuietly(carrier, setter, correlation);
    return correlation;
  }

  /**
   * With no Baton scope current, an ID that an application's own edge filter (or a framework) put
   * in the MDC under {@link #idMdcKey()} is the current work's, when it is valid; else a new root.
   */
  private Correlation fromMdcOrNewRoot() {
    if (readMdc) {
      String id = MDC.get(idMdcKey);
      if (Ids.isValid(id)) {
        String parent = MDC.get(parentMdcKey);
        return new Correlation(id, Ids.isValid(parent) ? parent : null);
      }
    }
    return newRoot();
  }

  /**
   * A message that carries its ID only under an alias ({@code X-Correlation-ID}) goes out with
   * that ID under {@link #idHeader()} too, so that every consumer sees one ID, whichever header it
   * reads. Null when no alias holds a valid ID.
   */
  private <C> Correlation injectAlias(C carrier, Getter<C> getter, Setter<C> setter) {
    for (String alias : aliases) {
      CharSequence id = read(carrier, getter, alias);
      if (id != null) {
        if (!isValid(id)) {
          return null;
        }
        CharSequence parent = read(carrier, getter, parentHeader);
        Correlation aliased = new Correlation(id.toString(), isValid(parent) ? parent.toString() : null);
        writeQuietly(carrier, setter, aliased);
        return aliased;
      }
    }
    return null;
  }

  /**
   * Writes {@code correlation} into {@code carrier}, replacing the ID there and its parent (removed
   * when {@code correlation} has none), whatever the carrier held. For carriers that outlive one
   * message, such as a producer's default properties or a scheduled job's data.
   *
   * @param <C> the carrier type
   * @param carrier the long-lived carrier to overwrite
   * @param setter writes (and removes) the carrier's headers
   * @param correlation the correlation to write
   */
  public <C> void write(C carrier, Setter<C> setter, Correlation correlation) {
    Objects.requireNonNull(correlation, "correlation");
    writeQuietly(carrier, setter, correlation);
  }

  /**
   * The correlation {@code carrier} carries, by the rules in the table above. Never null, never
   * throws.
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers
   * @param getter reads the carrier's headers
   * @return the carrier's correlation, or a fresh root
   */
  public <C> Correlation extract(C carrier, Getter<C> getter) {
    return extract(carrier, getter, null, null);
  }

  /**
   * Like {@link #extract(Object, Getter)}, with a last resort: when neither {@link #idHeader()}
   * nor any alias is present, {@code fallbackId} (e.g. a request/reply correlation property) is
   * used if it is a valid ID; the parent is read as usual. An invalid fallback counts as missing.
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers
   * @param getter reads the carrier's headers
   * @param fallbackId the ID to use when no ID header is present; may be {@code null}
   * @return the carrier's correlation, or a fresh root
   */
  public <C> Correlation extract(C carrier, Getter<C> getter, String fallbackId) {
    return extract(carrier, getter, null, fallbackId);
  }

  /**
   * Like {@link #extract}, and then makes the carrier say the same: a missing or invalid ID is
   * replaced by the fresh one, an ID found under an alias is copied to {@link #idHeader()}, an
   * invalid parent is removed. Whatever the carrier is forwarded to then carries the same ID.
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers, fixed in place
   * @param getter reads the carrier's headers
   * @param setter writes (and removes) the carrier's headers
   * @return the carrier's correlation, or the fresh root it now carries
   */
  public <C> Correlation normalize(C carrier, Getter<C> getter, Setter<C> setter) {
    return extract(carrier, getter, Objects.requireNonNull(setter, "setter"), null);
  }

  /**
   * Like {@link #normalize(Object, Getter, Setter)}, for a message that is delivered more than
   * once with the headers it was sent with (a queue's redelivery): a carrier without a valid ID is
   * given the ID {@code freshId} supplies (when it is a valid one; else one from the generator),
   * which the caller derives from the message's identity, so that every delivery of it is handled
   * under the same ID. {@code freshId} is only called for such a carrier. A warning about the carrier's values is logged under that ID and with {@code mdcFields},
   * the facts the message is then handled with.
   *
   * <pre>{@code
   * Correlation c = propagator.normalize(message, GETTER, SETTER,
   *     () -> UUID.nameUUIDFromBytes(message.identity()).toString(), "delivery_count", "2");
   * }</pre>
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers, fixed in place
   * @param getter reads the carrier's headers
   * @param setter writes (and removes) the carrier's headers
   * @param freshId supplies the ID a carrier without a valid one gets; may be {@code null}
   * @param mdcFields MDC fields as key, value pairs, for a warning about the carrier
   * @return the carrier's correlation, or the fresh root it now carries
   * @throws IllegalArgumentException for an odd number of strings in {@code mdcFields}
   */
  public <C> Correlation normalize(
      C carrier, Getter<C> getter, Setter<C> setter, Supplier<String> freshId, String... mdcFields) {
    if (mdcFields.length % 2 != 0) {
      throw new IllegalArgumentException("mdcFields come in key, value pairs");
    }
    return extract(carrier, getter, Objects.requireNonNull(setter, "setter"), null, freshId, mdcFields);
  }

  /**
   * Extracts the carrier's correlation and opens a scope for it.
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers
   * @param getter reads the carrier's headers
   * @return the scope to close after handling the message
   */
  public <C> CorrelationScope open(C carrier, Getter<C> getter) {
    return open(extract(carrier, getter, null, null));
  }

  /**
   * Extracts the carrier's correlation (with {@code fallbackId}, which may be null, as in {@link
   * #extract(Object, Getter, String)}) and opens a scope for it with {@code mdcFields}, as {@link
   * #open(Correlation, String...)} does. A warning about the carrier's values is logged under the
   * correlation the message is then handled with and with the same fields, so that it lands in
   * that message's trail.
   *
   * <pre>{@code
   * try (CorrelationScope scope = propagator.open(message, GETTER, null, "delivery_count", "2")) {
   *   handle(message);
   * }
   * }</pre>
   *
   * @param <C> the carrier type
   * @param carrier the inbound message or its headers
   * @param getter reads the carrier's headers
   * @param fallbackId the ID to use when no ID header is present; may be {@code null}
   * @param mdcFields extra MDC fields as key, value pairs
   * @return the scope to close after handling the message
   */
  public <C> CorrelationScope open(
      C carrier, Getter<C> getter, String fallbackId, String... mdcFields) {
    return open(extract(carrier, getter, null, fallbackId, null, mdcFields), mdcFields);
  }

  /**
   * Makes {@code correlation} current, under this propagator's MDC keys, until the scope closes.
   *
   * @param correlation the correlation to make current
   * @return the scope to close, which restores what was current before
   */
  public CorrelationScope open(Correlation correlation) {
    Objects.requireNonNull(correlation, "correlation");
    return ContextScope.open(correlation, idMdcKey, parentMdcKey);
  }

  /**
   * Like {@link #open(Correlation)}, and also puts facts about the message being handled in the
   * MDC for the same span, e.g. {@code open(c, "delivery_count", "3")}. They come in key, value
   * pairs; a null value leaves its key alone. Values are taken as untrusted: at most 255
   * characters, control and formatting characters replaced by {@code ?}. On close each key gets
   * back exactly what it held.
   *
   * @param correlation the correlation to make current
   * @param mdcFields extra MDC fields as key, value pairs
   * @return the scope to close, which restores the correlation and every key as before
   * @throws IllegalArgumentException for an odd number of strings or a correlation MDC key
   */
  public CorrelationScope open(Correlation correlation, String... mdcFields) {
    Objects.requireNonNull(correlation, "correlation");
    return ContextScope.open(correlation, idMdcKey, parentMdcKey, mdcFields);
  }

  private <C> Correlation extract(
      C carrier, Getter<C> getter, Setter<C> fixer, String fallbackId) {
    return extract(carrier, getter, fixer, fallbackId, null, NO_FIELDS);
  }

  private static final String[] NO_FIELDS = {};

  /**
   * {@code freshId}: the ID a carrier without a valid one gets (null: a generated one); {@code
   * fields}: the MDC fields the message will be handled with, for warnings about it.
   */
  private <C> Correlation extract(
      C carrier, Getter<C> getter, Setter<C> fixer, String fallbackId, Supplier<String> freshId, String[] fields) {
    CharSequence id = read(carrier, getter, idHeader);
    if (id == null) {
      return extractWithoutId(carrier, getter, fixer, fallbackId, freshId, fields);
    }
    if (!isValid(id)) {
      return replaceInvalid(carrier, fixer, idHeader, id, freshId, fields);
    }
    return withParent(carrier, getter, fixer, id.toString(), fields);
  }

  /** The rarer paths, out of the way of the common one: an alias, a fallback, or nothing. */
  private <C> Correlation extractWithoutId(
      C carrier, Getter<C> getter, Setter<C> fixer, String fallbackId, Supplier<String> freshId, String[] fields) {
    for (String alias : aliases) {
      CharSequence id = read(carrier, getter, alias);
      if (id != null) {
        if (!isValid(id)) {
          return replaceInvalid(carrier, fixer, alias, id, freshId, fields);
        }
        String validId = id.toString();
        if (fixer != null) {
          set(carrier, fixer, idHeader, validId);
        }
        return withParent(carrier, getter, fixer, validId, fields);
      }
    }
    if (Ids.isValid(fallbackId)) {
      return withParent(carrier, getter, fixer, fallbackId, fields);
    }
    Correlation fresh = fresh(freshId);
    if (fixer != null) {
      writeQuietly(carrier, fixer, fresh);
    }
    return fresh;
  }

  /** A root with the ID {@code freshId} gives when it is a valid one, else a new root. */
  private Correlation fresh(Supplier<String> freshId) {
    String id = null;
    if (freshId != null) {
      try {
        id = freshId.get();
      } catch (RuntimeException e) {
        // a generated one instead
      }
    }
    return Ids.isValid(id) ? new Correlation(id, null) : newRoot();
  }

  private <C> Correlation replaceInvalid(
      C carrier, Setter<C> fixer, String header, CharSequence id, Supplier<String> freshId, String[] fields) {
    Correlation fresh = fresh(freshId);
    warn("Replaced invalid {} ({}) with a fresh correlation ID", header, id, fresh, fields);
    if (fixer != null) {
      writeQuietly(carrier, fixer, fresh);
    }
    return fresh;
  }

  private <C> Correlation withParent(
      C carrier, Getter<C> getter, Setter<C> fixer, String validId, String[] fields) {
    CharSequence parent = read(carrier, getter, parentHeader);
    if (parent == null) {
      return new Correlation(validId, null);
    }
    if (isValid(parent)) {
      return new Correlation(validId, parent.toString());
    }
    Correlation withoutParent = new Correlation(validId, null);
    warn("Dropped invalid {} ({})", parentHeader, parent, withoutParent, fields);
    if (fixer != null) {
      remove(carrier, fixer, parentHeader);
    }
    return withoutParent;
  }

  /**
   * Logs under {@code correlation} and the message's MDC fields, so that the warning shows up in
   * that message's trail.
   */
  private void warn(
      String message, String header, CharSequence badValue, Correlation correlation, String[] fields) {
    if (LOG.isWarnEnabled()) {
      try (CorrelationScope scope = open(correlation, fields)) {
        LOG.warn(message, header, Ids.describe(badValue));
      }
    }
  }

  private <C> void writeQuietly(C carrier, Setter<C> setter, Correlation correlation) {
    set(carrier, setter, idHeader, correlation.id());
    String parent = correlation.parentIdOrNull();
    if (parent == null) {
      remove(carrier, setter, parentHeader);
    } else {
      set(carrier, setter, parentHeader, parent);
    }
  }

  /**
   * The value under {@code key}: null when missing (or unreadable), a {@code String} when it is a
   * valid ID, otherwise an {@link Ids.Invalid} holding what a warning may describe.
   */
  private static <C> CharSequence read(C carrier, Getter<C> getter, String key) {
    Object value;
    try {
      value = getter.get(carrier, key);
    } catch (RuntimeException e) {
      return unreadable(key, e);
    }
    // An empty value says no more than an absent one, on every carrier: both are missing.
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      return bytes.length == 0 ? null : Ids.read(bytes);
    }
    if (value instanceof CharSequence) {
      CharSequence text = (CharSequence) value;
      return text.length() == 0 ? null : Ids.read(text);
    }
    return value == null ? null : unreadable(key, value);
  }

  /** Whether a value {@link #read} returned is a valid ID: read checked it once already. */
  private static boolean isValid(CharSequence read) {
    return read instanceof String;
  }

  private static CharSequence unreadable(String key, RuntimeException e) {
    return Ids.unreadable("unreadable: " + e.getClass().getName());
  }

  private static CharSequence unreadable(String key, Object value) {
    return Ids.unreadable("a value of type " + value.getClass().getSimpleName());
  }

  private static <C> void set(C carrier, Setter<C> setter, String key, String value) {
    try {
      setter.set(carrier, key, value);
    } catch (RuntimeException e) {
      LOG.warn("Could not write {} ({}); message goes on without it", key, e.getClass().getName());
    }
  }

  private static <C> void remove(C carrier, Setter<C> setter, String key) {
    try {
      setter.remove(carrier, key);
    } catch (RuntimeException e) {
      LOG.warn("Could not remove {} ({})", key, e.getClass().getName());
    }
  }

  private String newId() {
    if (idGenerator == null) {
      return Ids.newUuidV4();
    }
    String id;
    try {
      id = idGenerator.get();
    } catch (RuntimeException e) {
      id = null;
    }
    if (Ids.isValid(id)) {
      return id;
    }
    if (!generatorWarned) {
      generatorWarned = true;
      LOG.warn("The configured ID generator gave an invalid ID; using random UUIDs instead");
    }
    return Ids.newUuidV4();
  }

  /**
   * Configures a {@link CorrelationPropagator}; build once, share everywhere.
   *
   * <pre>{@code
   * CorrelationPropagator propagator = CorrelationPropagator.newBuilder()
   *     .aliases("X-Correlation-ID", "X-Request-ID")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private String idHeader = Baton.ID_KEY;
    private String parentHeader = Baton.PARENT_KEY;
    private String[] aliases = {"X-Correlation-ID"};
    private String idMdcKey = Baton.ID_KEY;
    private String parentMdcKey = Baton.PARENT_KEY;
    private Supplier<String> idGenerator;
    private boolean readMdc = true;

    private Builder() {}

    /**
     * Header names of the ID and its parent; default {@code correlation_id}, {@code
     * parent_correlation_id}. They must differ ignoring case: some carriers match names that way.
     *
     * @param idHeader the ID header's name
     * @param parentHeader the parent header's name
     * @return this builder
     */
    public Builder headers(String idHeader, String parentHeader) {
      this.idHeader = name(idHeader, "idHeader");
      this.parentHeader = name(parentHeader, "parentHeader");
      return this;
    }

    /**
     * Inbound headers tried, in order, when the ID header is missing; default {@code
     * X-Correlation-ID}. None replaces the defaults with nothing.
     *
     * @param aliases the alias header names, in the order they are tried
     * @return this builder
     */
    public Builder aliases(String... aliases) {
      String[] copy = aliases.clone();
      for (String alias : copy) {
        name(alias, "alias");
      }
      this.aliases = copy;
      return this;
    }

    /**
     * MDC keys of the ID and its parent; default {@code correlation_id}, {@code parent_correlation_id}.
     *
     * @param idKey the ID's MDC key
     * @param parentKey the parent's MDC key
     * @return this builder
     */
    public Builder mdcKeys(String idKey, String parentKey) {
      this.idMdcKey = name(idKey, "idKey");
      this.parentMdcKey = name(parentKey, "parentKey");
      return this;
    }

    /**
     * Where fresh IDs come from; default random UUID v4. Must give valid IDs; an invalid one is
     * replaced by a random UUID (and logged once).
     *
     * @param idGenerator supplies each fresh ID
     * @return this builder
     */
    public Builder idGenerator(Supplier<String> idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * Whether a message sent outside any Baton scope takes a valid ID that is already in the MDC
     * under the ID's MDC key (put there by an application's own HTTP filter or a framework)
     * instead of starting a new root; default true.
     *
     * @param readMdc whether to use a valid ID found in the MDC
     * @return this builder
     */
    public Builder readMdc(boolean readMdc) {
      this.readMdc = readMdc;
      return this;
    }

    /**
     * The propagator.
     *
     * @return the propagator
     */
    public CorrelationPropagator build() {
      if (Getter.sameName(idHeader, parentHeader) || idMdcKey.equals(parentMdcKey)) {
        throw new IllegalArgumentException("ID and parent need different names");
      }
      return new CorrelationPropagator(this);
    }

    private static String name(String name, String what) {
      Objects.requireNonNull(name, what);
      if (name.isBlank()) {
        throw new IllegalArgumentException(what + " is blank");
      }
      return name;
    }
  }
}
