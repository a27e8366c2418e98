package io.baton.kafka;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator.Getter;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.MessageHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlation for kafka-clients: wrap the producers and consumers you already have.
 *
 * <pre>{@code
 * KafkaCorrelation kafka = KafkaCorrelation.create();
 * Producer<String, String> producer = kafka.producer(new KafkaProducer<>(props));
 * Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(props));
 *
 * producer.send(record, callback);           // headers: correlation_id (+ parent_correlation_id)
 * while (running) {
 *   kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)), record -> handle(record));
 *   consumer.commitSync();                   // handle(...) logs under the record's correlation_id
 * }
 * }</pre>
 */
public final class KafkaCorrelation {

  /**
   * MDC key: a share-group record's delivery count ({@code ConsumerRecord.deliveryCount()}: 1 on
   * the first delivery, 2 on the first redelivery), while the record is handled.
   */
  public static final String DELIVERY_COUNT_KEY = "delivery_count";

  static final Logger LOG = LoggerFactory.getLogger("io.baton.kafka");

  /**
   * Whether the kafka-clients on the class path has share groups (4.x): {@code
   * ConsumerRecord.deliveryCount()} and {@code ShareConsumer}. On 3.x nothing here calls them.
   */
  private static final boolean SHARE_GROUPS = hasShareGroups();

  private static boolean hasShareGroups() {
    try {
      ConsumerRecord.class.getMethod("deliveryCount");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private final CorrelationPropagator propagator;
  private final FailureLog failureLog;
  /** Partitions forEach paused for a retry delay, per consumer (weak: a closed consumer goes). */
  private final Map<Consumer<?, ?>, Map<TopicPartition, Long>> pausedByConsumer = new WeakHashMap<>();
  private volatile boolean implicitAcknowledgementWarned;

  private KafkaCorrelation(CorrelationPropagator propagator, FailureLog failureLog) {
    this.propagator = propagator;
    this.failureLog = failureLog;
  }

  /**
   * With the default {@link CorrelationPropagator} and {@link FailureLog#defaults()}.
   *
   * @return an instance with the defaults
   */
  public static KafkaCorrelation create() {
    return new KafkaCorrelation(CorrelationPropagator.create(), FailureLog.defaults());
  }

  /**
   * A builder, to choose header names, aliases, MDC keys or the ID generator.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A producer that writes {@code correlation_id} / {@code parent_correlation_id} headers from
   * the current correlation (a fresh root when there is none) on every send, keeps a valid ID the
   * record already has, and runs the send's {@code Callback} inside the record's correlation.
   * Delegates every other method. Wrapping twice returns the same wrapper.
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param producer the producer to send through
   * @return the correlating producer, or {@code producer} itself when it is already one
   */
  public <K, V> Producer<K, V> producer(Producer<K, V> producer) {
    Objects.requireNonNull(producer, "producer");
    if (producer instanceof CorrelatingProducer) {
      return producer;
    }
    return new CorrelatingProducer<>(producer, this);
  }

  /**
   * A consumer whose {@code poll} returns records that each carry exactly one valid {@code
   * correlation_id} header: a missing or invalid one is replaced by a fresh ID (the invalid value
   * logged only sanitized). Delegates every other method. Wrapping twice returns the same wrapper.
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param consumer the consumer to poll through
   * @return the correlating consumer, or {@code consumer} itself when it is already one
   */
  public <K, V> Consumer<K, V> consumer(Consumer<K, V> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    if (consumer instanceof CorrelatingConsumer) {
      return consumer;
    }
    return CorrelatingConsumer.of(consumer, this);
  }

  /**
   * Opens the record's correlation, in the MDC, for exactly the handling of this record. A record
   * without a valid ID is given the fresh one in its headers, so that opening it again, or
   * forwarding it, gives the same ID. A share group's record also has its delivery count in the
   * MDC ({@link #DELIVERY_COUNT_KEY}), and when it has no valid ID it is given one derived from
   * the record's place in the log, so that every delivery of it has the same one.
   *
   * <pre>{@code
   * try (CorrelationScope scope = kafka.open(record)) {
   *   handle(record);
   * }
   * }</pre>
   *
   * @param record the record about to be handled
   * @return the scope to close after handling the record
   */
  public CorrelationScope open(ConsumerRecord<?, ?> record) {
    String deliveryCount = deliveryCount(record);
    if (deliveryCount == null) {
      return propagator.open(normalize(record.headers()));
    }
    return propagator.open(normalizeDelivered(record, deliveryCount), DELIVERY_COUNT_KEY, deliveryCount);
  }

  /** A share group's record's delivery count, as text; null for any other record. */
  private static String deliveryCount(ConsumerRecord<?, ?> record) {
    if (!SHARE_GROUPS) {
      return null;
    }
    Optional<Short> count = record.deliveryCount();
    return count.isPresent() ? count.get().toString() : null;
  }

  /** {@link #normalize(Headers)} for a record from a share consumer's poll. */
  void normalizeDelivered(ConsumerRecord<?, ?> record) {
    String deliveryCount = deliveryCount(record);
    if (deliveryCount == null) {
      normalize(record.headers());
    } else {
      normalizeDelivered(record, deliveryCount);
    }
  }

  /**
   * Like {@link #normalize(Headers)}; a record without a valid ID gets one derived from where it
   * is in the log (topic, partition, offset, timestamp): a share group delivers the record as it
   * was written every time, to whichever consumer, and each delivery is handled under that ID.
   * Warnings about its headers carry the delivery count.
   */
  private Correlation normalizeDelivered(ConsumerRecord<?, ?> record, String deliveryCount) {
    KafkaCarrier carrier = new KafkaCarrier(record.headers(), propagator);
    Correlation correlation = propagator.normalize(
        carrier, KafkaCarrier.GETTER, KafkaCarrier.SETTER, () -> deliveredId(record),
        DELIVERY_COUNT_KEY, deliveryCount);
    carrier.dedupe(correlation);
    return correlation;
  }

  /** A name-based UUID of the record's place in the log. */
  private static String deliveredId(ConsumerRecord<?, ?> record) {
    String place = "baton-kafka-record/" + record.topic() + "/" + record.partition() + "/" + record.offset()
        + "/" + record.timestamp();
    return UUID.nameUUIDFromBytes(place.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * The correlation a record carries (a fresh root when it carries none, or an invalid one).
   *
   * @param record the received record
   * @return the record's correlation, or a fresh root
   */
  public Correlation extract(ConsumerRecord<?, ?> record) {
    return propagator.extract(new KafkaCarrier(record.headers(), propagator), KafkaCarrier.GETTER);
  }

  /**
   * Hands each record to {@code handler} inside the record's own correlation, and keeps every
   * record that was not handled for the next {@code poll}: the consumer's position never passes a
   * record the handler did not finish, so a {@code commitSync()} (or auto-commit) after this call
   * commits only handled records, whatever the loop around it does.
   *
   * <ul>
   *   <li>When the handler throws, the failure is logged once with its stack trace under the
   *       record's correlation (see {@link Builder#failureLog}), each partition of the batch is
   *       sought back to its first unhandled record (the failed one included), and the exception
   *       leaves unchanged. The next {@code poll} delivers those records again.
   *   <li>Shutdown ({@code InterruptedException}, Kafka's {@code InterruptException} or {@code
   *       WakeupException} from the handler) is handled the same way but not logged as a failure.
   *   <li>With a {@link #retrying} handler, a record on the retry topic that is not yet due
   *       ({@link KafkaRetryPolicy#retryDelay()}) pauses its partition (sought back to it) until
   *       it is; the other partitions go on. A later call resumes it.
   *   <li>On a consumer wrapped by {@link #consumer}, it warns once when the client commits offsets
   *       by itself ({@code enable.auto.commit=true}): turn that off and commit after this call.
   * </ul>
   *
   * <pre>{@code
   * while (running) {
   *   try {
   *     kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)), handler);
   *     consumer.commitSync();
   *   } catch (InterruptedException | InterruptException | WakeupException e) {
   *     break;                                  // shutdown: unhandled records come again after restart
   *   } catch (Exception e) {
   *     // logged by Baton under the record's ID; the record comes again with the next poll
   *   }
   * }
   * }</pre>
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param consumer the consumer that polled {@code records}, sought back on a failure
   * @param records the batch from the last {@code poll}
   * @param handler the user's handling of one record
   * @throws Exception what the handler threw, unchanged
   */
  public <K, V> void forEach(
      Consumer<K, V> consumer,
      ConsumerRecords<K, V> records,
      MessageHandler<? super ConsumerRecord<K, V>> handler)
      throws Exception {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(handler, "handler");
    if (consumer instanceof CorrelatingConsumer<?, ?> correlating) {
      correlating.warnIfAutoCommitting();
    }
    Object h = handler;
    RetryingHandler<?, ?> retrying = h instanceof RetryingHandler<?, ?> r ? r : null;
    Map<TopicPartition, Long> held = retrying == null ? null : held(consumer);
    if (held != null) {
      resumeDue(consumer, held);
    }
    List<TopicPartition> partitions = new ArrayList<>(records.partitions());
    for (int p = 0; p < partitions.size(); p++) {
      TopicPartition partition = partitions.get(p);
      for (ConsumerRecord<K, V> record : records.records(partition)) {
        long due = retrying == null ? 0 : retrying.dueAt(record);
        if (due != 0) {
          consumer.seek(partition, record.offset());
          consumer.pause(List.of(partition));
          held.put(partition, due);
          break; // this partition's later records come again after the resume
        }
        try (CorrelationScope scope = open(record)) {
          try {
            handler.handle(record);
          } catch (Throwable e) {
            if (!isShutdown(e)) {
              failureLog.log(LOG, e, "Record handler failed on {}", describe(record));
            }
            seekBack(consumer, records, partitions, p, record.offset(), e);
            throw e;
          }
        }
      }
    }
  }

  /**
   * A record handler for worker services that retries in place and then republishes: each record
   * is handled inside its correlation, with the attempt number (counted across all hops, from 1)
   * in the MDC as {@code retry_attempt}; after {@link KafkaRetryPolicy#attempts()} failures the
   * record goes to the retry topic (while hops remain) or to the dead-letter topic, through a
   * correlated {@code producer}, with key, value and all headers (so the same {@code
   * correlation_id}) and one copy of each diagnostic header. Use it with {@link #forEach}.
   *
   * <pre>{@code
   * MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(
   *     record -> pay(record), producer, KafkaRetryPolicy.newBuilder().attempts(3).build());
   * kafka.forEach(consumer, consumer.poll(timeout), handler);
   * }</pre>
   *
   * <p>The returned handler returns only when the record was handled, or its republish was
   * acknowledged by the broker within {@link KafkaRetryPolicy#sendTimeout()}. It throws a {@code
   * KafkaException} when the republish failed, and an {@code InterruptedException} (interrupt
   * flag set) or the {@code WakeupException} on shutdown; {@link #forEach} then puts the record
   * and the rest of its partition's batch back, uncommitted.
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param handler the user's handling of one record
   * @param producer the producer that republishes to the retry and dead-letter topics
   * @param policy attempts, topics, backoff and timeouts
   * @return the retrying handler, to give to {@link #forEach}
   */
  public <K, V> MessageHandler<ConsumerRecord<K, V>> retrying(
      MessageHandler<? super ConsumerRecord<K, V>> handler,
      Producer<K, V> producer,
      KafkaRetryPolicy policy) {
    return new RetryingHandler<>(
        this,
        Objects.requireNonNull(handler, "handler"),
        producer(Objects.requireNonNull(producer, "producer")),
        Objects.requireNonNull(policy, "policy"));
  }

  private static boolean isShutdown(Throwable e) {
    return e instanceof InterruptedException || e instanceof InterruptException || e instanceof WakeupException;
  }

  /**
   * Seeks the failed record's partition back to it, and every later partition of the batch back
   * to its first record (earlier partitions were handled whole).
   */
  private static <K, V> void seekBack(Consumer<K, V> consumer, ConsumerRecords<K, V> records,
      List<TopicPartition> partitions, int failed, long failedOffset, Throwable failure) {
    try {
      consumer.seek(partitions.get(failed), failedOffset);
      for (int p = failed + 1; p < partitions.size(); p++) {
        List<ConsumerRecord<K, V>> rest = records.records(partitions.get(p));
        if (!rest.isEmpty()) {
          consumer.seek(partitions.get(p), rest.get(0).offset());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Could not seek back after a failed record; do not commit this consumer's offsets", e);
      failure.addSuppressed(e);
    }
  }

  /** The partitions this instance paused on {@code consumer}, with when each is due. */
  private Map<TopicPartition, Long> held(Consumer<?, ?> consumer) {
    synchronized (pausedByConsumer) {
      return pausedByConsumer.computeIfAbsent(consumer, c -> new HashMap<>());
    }
  }

  private static void resumeDue(Consumer<?, ?> consumer, Map<TopicPartition, Long> held) {
    if (held.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> resume = new ArrayList<>();
    for (Iterator<Map.Entry<TopicPartition, Long>> it = held.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TopicPartition, Long> entry = it.next();
      if (!paused.contains(entry.getKey())) {
        it.remove(); // revoked (and maybe assigned again, unpaused) since
      } else if (entry.getValue() <= now) {
        resume.add(entry.getKey());
        it.remove();
      }
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  /**
   * The propagator this instance applies.
   *
   * @return the propagator
   */
  public CorrelationPropagator propagator() {
    return propagator;
  }

  FailureLog failureLog() {
    return failureLog;
  }

  /** topic-partition@offset, the topic made printable. */
  static String describe(ConsumerRecord<?, ?> record) {
    return Baton.printable(record.topic()) + "-" + record.partition() + "@" + record.offset();
  }

  <K, V> ConsumerRecords<K, V> normalize(ConsumerRecords<K, V> records) {
    for (ConsumerRecord<K, V> record : records) {
      normalize(record.headers());
    }
    return records;
  }

  /**
   * Makes {@code headers} carry exactly one valid {@code correlation_id}, as a polled record's do
   * on a {@link #consumer} (a missing or invalid ID replaced by a fresh one, the invalid value
   * logged only sanitized, duplicates left once), and returns that correlation. For records that
   * reach you by other means than {@code poll} (Kafka Streams processors).
   *
   * @param headers an inbound record's headers, fixed in place where they are writable
   * @return the correlation the headers now carry
   */
  public Correlation normalize(Headers headers) {
    KafkaCarrier carrier = new KafkaCarrier(headers, propagator);
    Correlation correlation = propagator.normalize(carrier, KafkaCarrier.GETTER, KafkaCarrier.SETTER);
    carrier.dedupe(correlation);
    return correlation;
  }

  /**
   * {@code record}, or, when it is a record object Baton already gave an ID for other work (a
   * template sent again while another correlation is current), a copy without that ID: the
   * original's headers are read-only once sent, and the copy gets the current correlation.
   */
  <K, V> ProducerRecord<K, V> toSend(ProducerRecord<K, V> record) {
    Header id = record.headers().lastHeader(propagator.idHeader());
    if (!(id instanceof KafkaCarrier.SentHeader)) {
      return record;
    }
    Correlation current = Baton.current().orElse(null);
    if (current == null || Arrays.equals(id.value(), current.id().getBytes(StandardCharsets.US_ASCII))) {
      return record;
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      String name = header.key();
      if (!Getter.sameName(name, propagator.idHeader()) && !Getter.sameName(name, propagator.parentHeader())) {
        headers.add(header);
      }
    }
    return new ProducerRecord<>(
        record.topic(), record.partition(), record.timestamp(), record.key(), record.value(), headers);
  }

  /**
   * Writes the current correlation (a fresh root when there is none) into {@code headers}, unless
   * they already carry a valid ID, as the {@link #producer} does on a send; leaves one header of
   * each name. For records that leave by other means than a wrapped producer (a Kafka Streams
   * processor's forward).
   *
   * @param headers an outbound record's headers
   * @return the correlation the headers now carry
   */
  public Correlation inject(Headers headers) {
    KafkaCarrier carrier = new KafkaCarrier(headers, propagator, true);
    Correlation correlation = propagator.inject(carrier, KafkaCarrier.GETTER, KafkaCarrier.SETTER);
    carrier.dedupe(correlation);
    return correlation;
  }

  /**
   * A share consumer whose {@code poll} returns records that each carry exactly one valid {@code
   * correlation_id} header, as {@link #consumer} does; a record without a valid
   * one is given the same fresh ID at every delivery. Delegates every other method. Wrapping
   * twice returns the same wrapper. Share groups are Kafka's queues (KIP-932, kafka-clients 4.x).
   *
   * <pre>{@code
   * ShareConsumer<String, String> consumer = kafka.shareConsumer(new KafkaShareConsumer<>(props));
   * consumer.subscribe(List.of("orders"));
   * while (running) {
   *   kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)), record -> {
   *     handle(record);                                    // MDC: correlation_id, delivery_count
   *     consumer.acknowledge(record, AcknowledgeType.ACCEPT);
   *   });
   * }
   * }</pre>
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param consumer the share consumer to poll through
   * @return the correlating share consumer, or {@code consumer} itself when it is already one
   * @throws UnsupportedOperationException on kafka-clients 3.9, whose early-access share consumer
   *     gives no delivery count
   */
  public <K, V> ShareConsumer<K, V> shareConsumer(ShareConsumer<K, V> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    requireShareGroups();
    if (consumer instanceof CorrelatingShareConsumer) {
      return consumer;
    }
    return new CorrelatingShareConsumer<>(consumer, this);
  }

  /**
   * Hands each record to {@code handler} inside the record's own correlation, with its {@code
   * delivery_count} in the MDC ({@link #open}). Acknowledging is the handler's,
   * as Kafka has it: with {@code share.acknowledgement.mode=explicit}, {@code
   * consumer.acknowledge(record, type)} for every record (ACCEPT, RELEASE for another delivery,
   * REJECT); with the default implicit mode, the next {@code poll} or commit accepts the batch.
   *
   * <ul>
   *   <li>When the handler throws, the failure is logged once with its stack trace under the
   *       record's correlation and, in explicit mode, the record is RELEASEd unless the handler
   *       acknowledged it: it is delivered again, with the next delivery count (at the group's
   *       {@code share.delivery.count.limit} the broker archives it instead). The other records of
   *       the batch are handled all the same (a share group's records do not wait for each
   *       other); then the first failure leaves this method unchanged.
   *   <li>Shutdown ({@code InterruptedException}, Kafka's {@code InterruptException} or {@code
   *       WakeupException} from the handler) stops at once, is not logged as a failure, and in
   *       explicit mode releases the record and the rest of the batch, so the next {@code poll}
   *       does not fail on unacknowledged records and another consumer gets them. An {@code
   *       Error} stops the batch the same way, logged as a failure.
   *   <li>In implicit mode Kafka takes no release: the next {@code poll} or commit accepts the
   *       failed record too, and it is not delivered again. Baton warns once when it sees this;
   *       use explicit mode where a failed record must come again.
   * </ul>
   *
   * @param <K> the record key type
   * @param <V> the record value type
   * @param consumer the share consumer that polled {@code records}
   * @param records the batch from the last {@code poll}
   * @param handler the user's handling of one record
   * @throws Exception what the handler threw, unchanged
   * @throws UnsupportedOperationException on kafka-clients 3.9
   */
  public <K, V> void forEach(
      ShareConsumer<K, V> consumer,
      ConsumerRecords<K, V> records,
      MessageHandler<? super ConsumerRecord<K, V>> handler)
      throws Exception {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(handler, "handler");
    requireShareGroups();
    Exception firstFailure = null;
    Iterator<ConsumerRecord<K, V>> batch = records.iterator();
    while (batch.hasNext()) {
      ConsumerRecord<K, V> record = batch.next();
      try (CorrelationScope scope = open(record)) {
        try {
          handler.handle(record);
        } catch (Throwable e) {
          boolean shutdown = isShutdown(e);
          if (!shutdown) {
            failureLog.log(LOG, e, "Record handler failed on {}", describe(record));
          }
          if (shutdown || !(e instanceof Exception)) { // an Error ends the batch too
            if (release(consumer, record, e)) {
              while (batch.hasNext()) {
                release(consumer, batch.next(), e);
              }
            }
            throw e;
          }
          release(consumer, record, e);
          if (firstFailure == null) {
            firstFailure = (Exception) e;
          }
        }
      }
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  /**
   * RELEASEs {@code record} unless it was acknowledged already (the handler may have done so
   * before it threw); false when the consumer acknowledges implicitly.
   */
  private <K, V> boolean release(ShareConsumer<K, V> consumer, ConsumerRecord<K, V> record, Throwable failure) {
    try {
      consumer.acknowledge(record, AcknowledgeType.RELEASE);
    } catch (IllegalStateException e) {
      // Kafka's words for implicit mode; otherwise the record was acknowledged already
      if (String.valueOf(e.getMessage()).startsWith("Implicit acknowledgement")) {
        warnImplicitAcknowledgement();
        return false;
      }
    } catch (RuntimeException e) {
      LOG.error("Could not release {} after a failed record; it comes again when its lock times out",
          describe(record), e);
      failure.addSuppressed(e);
    }
    return true;
  }

  private static void requireShareGroups() {
    if (!SHARE_GROUPS) {
      throw new UnsupportedOperationException(
          "share groups need kafka-clients 4.x (3.9's early-access share consumer has no delivery count)");
    }
  }

  private void warnImplicitAcknowledgement() {
    if (!implicitAcknowledgementWarned) {
      implicitAcknowledgementWarned = true;
      LOG.warn("This share consumer acknowledges implicitly (share.acknowledgement.mode=implicit): "
          + "the next poll accepts the record that failed, and it is not delivered again; set "
          + "share.acknowledgement.mode=explicit so that Baton releases a failed record for another delivery");
    }
  }

  /** Configures a {@link KafkaCorrelation}. */
  public static final class Builder {
    private CorrelationPropagator propagator = CorrelationPropagator.create();
    private FailureLog failureLog = FailureLog.defaults();

    private Builder() {}

    /**
     * How a failure of a handler Baton runs is logged (once, with the stack trace, under the
     * record's correlation, on logger {@code io.baton.kafka}); default {@link
     * FailureLog#defaults()} (ERROR). {@link FailureLog#off()} when your handlers log their own.
     *
     * @param failureLog how handler failures are logged
     * @return this builder
     */
    public Builder failureLog(FailureLog failureLog) {
      this.failureLog = Objects.requireNonNull(failureLog, "failureLog");
      return this;
    }

    /**
     * Header names, aliases, MDC keys and ID generator; default {@link CorrelationPropagator#create()}.
     *
     * @param propagator the propagator to apply
     * @return this builder
     */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * The configured instance.
     *
     * @return the configured instance
     */
    public KafkaCorrelation build() {
      return new KafkaCorrelation(propagator, failureLog);
    }
  }
}
