package io.baton.kafka;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Headers;
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
 *   kafka.forEach(consumer.poll(Duration.ofMillis(500)), record -> handle(record));
 * }                                          // handle(...) logs under the record's correlation_id
 * }</pre>
 */
public final class KafkaCorrelation {

  static final Logger LOG = LoggerFactory.getLogger("io.baton.kafka");

  private final CorrelationPropagator propagator;
  private final FailureLog failureLog;

  private KafkaCorrelation(CorrelationPropagator propagator, FailureLog failureLog) {
    this.propagator = propagator;
    this.failureLog = failureLog;
  }

  /** With the default {@link CorrelationPropagator} and {@link FailureLog#defaults()}. */
  public static KafkaCorrelation create() {
    return new KafkaCorrelation(CorrelationPropagator.create(), FailureLog.defaults());
  }

  /** A builder, to choose header names, aliases, MDC keys or the ID generator. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A producer that writes {@code correlation_id} / {@code parent_correlation_id} headers from
   * the current correlation (a fresh root when there is none) on every send, keeps a valid ID the
   * record already has, and runs the send's {@code Callback} inside the record's correlation.
   * Delegates every other method. Wrapping twice returns the same wrapper.
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
   */
  public <K, V> Consumer<K, V> consumer(Consumer<K, V> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    if (consumer instanceof CorrelatingConsumer) {
      return consumer;
    }
    return new CorrelatingConsumer<>(consumer, this);
  }

  /**
   * Opens the record's correlation, in the MDC, for exactly the handling of this record. A record
   * without a valid ID is given the fresh one in its headers, so that opening it again, or
   * forwarding it, gives the same ID.
   *
   * <pre>{@code
   * try (CorrelationScope scope = kafka.open(record)) {
   *   handle(record);
   * }
   * }</pre>
   */
  public CorrelationScope open(ConsumerRecord<?, ?> record) {
    return propagator.open(normalize(record.headers()));
  }

  /** The correlation a record carries (a fresh root when it carries none, or an invalid one). */
  public Correlation extract(ConsumerRecord<?, ?> record) {
    return propagator.extract(new KafkaCarrier(record.headers(), propagator), KafkaCarrier.GETTER);
  }

  /**
   * Hands each record to {@code handler} inside the record's own correlation. When the handler
   * throws, the failure is logged once with its stack trace under the record's correlation (see
   * {@link Builder#failureLog}), the record's scope is closed and the exception propagates
   * unchanged (the remaining records are not handled); see {@link #retrying} for a handler that
   * retries and dead-letters instead.
   */
  public <K, V> void forEach(
      ConsumerRecords<K, V> records,
      java.util.function.Consumer<? super ConsumerRecord<K, V>> handler) {
    Objects.requireNonNull(handler, "handler");
    for (ConsumerRecord<K, V> record : records) {
      try (CorrelationScope scope = open(record)) {
        try {
          handler.accept(record);
        } catch (RuntimeException | Error e) {
          failureLog.log(LOG, e, "Record handler failed on {}", describe(record));
          throw e;
        }
      }
    }
  }

  /**
   * A record handler for worker services that retries in place and then republishes: each record
   * is handled inside its correlation, with the attempt number in the MDC as {@code
   * retry_attempt}; after {@link RetryPolicy#attempts()} failures the record goes to the retry
   * topic (while hops remain) or to the dead-letter topic, through a correlated {@code producer},
   * with key, value, timestamp and all headers (so the same {@code correlation_id}) and one copy
   * of each diagnostic header.
   *
   * <pre>{@code
   * var handler = kafka.retrying(record -> pay(record), producer, RetryPolicy.newBuilder()
   *     .attempts(3).build());
   * kafka.forEach(consumer.poll(timeout), handler);
   * }</pre>
   *
   * <p>The returned handler throws only when the record could not be republished (then do not
   * commit its offset).
   */
  public <K, V> java.util.function.Consumer<ConsumerRecord<K, V>> retrying(
      RecordHandler<K, V> handler, Producer<K, V> producer, RetryPolicy policy) {
    return new RetryingHandler<>(
        this,
        Objects.requireNonNull(handler, "handler"),
        producer(Objects.requireNonNull(producer, "producer")),
        Objects.requireNonNull(policy, "policy"));
  }

  /** The propagator this instance applies. */
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

  Correlation normalize(Headers headers) {
    KafkaCarrier carrier = new KafkaCarrier(headers, propagator);
    Correlation correlation = propagator.normalize(carrier, KafkaCarrier.GETTER, KafkaCarrier.SETTER);
    carrier.dedupe(correlation);
    return correlation;
  }

  Correlation inject(Headers headers) {
    KafkaCarrier carrier = new KafkaCarrier(headers, propagator);
    Correlation correlation = propagator.inject(carrier, KafkaCarrier.GETTER, KafkaCarrier.SETTER);
    carrier.dedupe(correlation);
    return correlation;
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
     */
    public Builder failureLog(FailureLog failureLog) {
      this.failureLog = Objects.requireNonNull(failureLog, "failureLog");
      return this;
    }

    /** Header names, aliases, MDC keys and ID generator; default {@link CorrelationPropagator#create()}. */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /** The configured instance. */
    public KafkaCorrelation build() {
      return new KafkaCorrelation(propagator, failureLog);
    }
  }
}
