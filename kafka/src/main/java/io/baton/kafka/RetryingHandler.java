package io.baton.kafka;

import static io.baton.kafka.KafkaRetryPolicy.ATTEMPTS_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.ATTEMPT_MDC_KEY;
import static io.baton.kafka.KafkaRetryPolicy.EXCEPTION_CLASS_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.EXCEPTION_MESSAGE_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.ORIGINAL_OFFSET_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.ORIGINAL_PARTITION_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER;
import static io.baton.kafka.KafkaRetryPolicy.RETRY_HOPS_HEADER;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.MessageHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a record in place, then republishes it to the retry or dead-letter topic. Returns
 * normally only when the record was handled or its republish was acknowledged by the broker;
 * throws otherwise (a failed republish, or shutdown), and {@link KafkaCorrelation#forEach} then
 * puts the record back.
 */
final class RetryingHandler<K, V> implements MessageHandler<ConsumerRecord<K, V>> {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.kafka.retry");

  private final KafkaCorrelation kafka;
  private final MessageHandler<? super ConsumerRecord<K, V>> handler;
  private final Producer<K, V> producer;
  private final KafkaRetryPolicy policy;

  RetryingHandler(
      KafkaCorrelation kafka,
      MessageHandler<? super ConsumerRecord<K, V>> handler,
      Producer<K, V> producer,
      KafkaRetryPolicy policy) {
    this.kafka = kafka;
    this.handler = handler;
    this.producer = producer;
    this.policy = policy;
  }

  /**
   * When a record on a retry topic may be handled (epoch millis), or 0 for now: its timestamp
   * (the republish time) plus the retry delay. A timestamp in the future counts as now, so that
   * no record waits longer than the delay.
   */
  long dueAt(ConsumerRecord<?, ?> record) {
    long delay = policy.retryDelay().toMillis();
    if (delay == 0 || !policy.isRetryTopic(record.topic())) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long republished = record.timestamp() < 0 ? now : Math.min(record.timestamp(), now);
    return republished + delay > now ? republished + delay : 0;
  }

  @Override
  public void handle(ConsumerRecord<K, V> record) throws Exception {
    Correlation correlation = kafka.normalize(record.headers());
    CorrelationPropagator propagator = kafka.propagator();
    Route route;
    try (CorrelationScope scope = propagator.open(correlation)) {
      route = route(record);
      // Called outside forEach, which pauses the partition instead: wait here.
      long wait = dueAt(record) - System.currentTimeMillis();
      if (wait > 0) {
        sleep(wait, record);
      }
    }
    Exception failure = null;
    int attempts = 0;
    while (attempts < policy.attempts()) {
      if (attempts > 0 && !policy.backoff().isZero()) {
        try (CorrelationScope scope = propagator.open(correlation)) {
          sleep(policy.backoff().toMillis(), record);
        }
      }
      attempts++;
      int attempt = route.earlierAttempts + attempts;
      try (CorrelationScope scope = propagator.open(correlation, ATTEMPT_MDC_KEY, Integer.toString(attempt))) {
        if (Thread.currentThread().isInterrupted()) {
          throw stopped(record, null);
        }
        try {
          handler.handle(record);
          return;
        } catch (InterruptedException | InterruptException | WakeupException e) {
          throw stopped(record, e);
        } catch (Exception e) {
          if (Thread.currentThread().isInterrupted()) {
            throw stopped(record, e); // e.g. an I/O call the interrupt broke: not the record's fault
          }
          failure = e;
          kafka.failureLog().log(KafkaCorrelation.LOG, e, "Attempt {} of {} failed on {}",
              attempt, route.totalAttempts, KafkaCorrelation.describe(record));
        }
      }
    }
    try (CorrelationScope scope = propagator.open(correlation)) {
      republish(record, route, attempts, failure);
    }
  }

  /** Where a record consumed from its topic stands, from the policy and the topic alone. */
  private Route route(ConsumerRecord<K, V> record) {
    KafkaCarrier in = new KafkaCarrier(record.headers(), kafka.propagator());
    String original = policy.originalTopic(record.topic());
    boolean onRetryTopic = !original.equals(record.topic());
    String claimed = in.text(ORIGINAL_TOPIC_HEADER);
    if (claimed != null && !claimed.equals(original)) {
      LOG.warn("Ignored the {} header of {} ({} characters): the policy routes it as a record of {}",
          ORIGINAL_TOPIC_HEADER, KafkaCorrelation.describe(record), claimed.length(), Baton.printable(original));
    }
    // On a retry topic the record made at least one hop; the header may say more, up to the policy's.
    int hops = onRetryTopic ? Math.max(1, Math.min(number(in, RETRY_HOPS_HEADER), policy.retryHops())) : 0;
    return new Route(original, onRetryTopic, hops, hops * policy.attempts(),
        (policy.retryHops() + 1) * policy.attempts());
  }

  private void republish(ConsumerRecord<K, V> record, Route route, int attempts, Exception failure)
      throws InterruptedException {
    KafkaCarrier in = new KafkaCarrier(record.headers(), kafka.propagator());
    boolean retry = route.hops < policy.retryHops();
    String target = retry ? policy.retryTopic(route.original) : policy.deadLetterTopic(route.original);

    Headers outHeaders = new RecordHeaders(record.headers().toArray());
    KafkaCarrier out = new KafkaCarrier(outHeaders, kafka.propagator());
    out.set(ORIGINAL_TOPIC_HEADER, route.original);
    long partition = route.onRetryTopic ? longNumber(in, ORIGINAL_PARTITION_HEADER, record.partition()) : record.partition();
    long offset = route.onRetryTopic ? longNumber(in, ORIGINAL_OFFSET_HEADER, record.offset()) : record.offset();
    out.set(ORIGINAL_PARTITION_HEADER, String.valueOf(partition));
    out.set(ORIGINAL_OFFSET_HEADER, String.valueOf(offset));
    out.set(ATTEMPTS_HEADER, String.valueOf(route.earlierAttempts + attempts));
    out.set(RETRY_HOPS_HEADER, String.valueOf(retry ? route.hops + 1 : route.hops));
    out.set(EXCEPTION_CLASS_HEADER, failure.getClass().getName());
    // at most 255 characters, control characters replaced
    out.set(EXCEPTION_MESSAGE_HEADER, failure.getMessage() == null ? "" : Baton.printable(failure.getMessage()));

    // A hop is stamped now, so that the retry delay counts from it; the DLT keeps the record's time.
    Long timestamp = retry || record.timestamp() < 0 ? null : record.timestamp();
    ProducerRecord<K, V> republished =
        new ProducerRecord<>(target, null, timestamp, record.key(), record.value(), outHeaders);
    try {
      producer.send(republished).get(policy.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw stopped(record, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      KafkaException failed = new KafkaException("Could not republish " + KafkaCorrelation.describe(record)
          + " to " + Baton.printable(target) + " (" + cause.getClass().getName() + "); it was not committed", cause);
      kafka.failureLog().log(KafkaCorrelation.LOG, failed, "Could not republish {} to {}",
          KafkaCorrelation.describe(record), Baton.printable(target));
      throw failed;
    }
    LOG.info(
        "Sent {} to {} after {} failed attempts ({})",
        KafkaCorrelation.describe(record), Baton.printable(target), attempts, failure.getClass().getName());
  }

  private void sleep(long millis, ConsumerRecord<K, V> record) throws InterruptedException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw stopped(record, e);
    }
  }

  /**
   * Shutdown, not failure: no more attempts, nothing republished, the interrupt flag set (when it
   * was an interrupt); the record stays unhandled, to be delivered again.
   */
  private InterruptedException stopped(ConsumerRecord<K, V> record, Exception cause)
      throws InterruptedException {
    LOG.info("Stopped retrying {}: the consumer is shutting down; the record is delivered again",
        KafkaCorrelation.describe(record));
    if (cause instanceof WakeupException wakeup) {
      throw wakeup;
    }
    Thread.currentThread().interrupt();
    if (cause instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (cause instanceof InterruptException interrupt) {
      throw interrupt;
    }
    InterruptedException interrupted = new InterruptedException("interrupted while retrying " + KafkaCorrelation.describe(record));
    interrupted.initCause(cause);
    throw interrupted;
  }

  /** The header's non-negative value; {@code fallback} when absent or malformed. */
  private static long longNumber(KafkaCarrier headers, String key, long fallback) {
    String value = headers.text(key);
    try {
      long parsed = value == null ? fallback : Long.parseLong(value.trim());
      return parsed < 0 ? fallback : parsed;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The header's non-negative int value; 0 when absent, malformed or out of range. */
  private static int number(KafkaCarrier headers, String key) {
    long value = longNumber(headers, key, 0);
    return value <= Integer.MAX_VALUE ? (int) value : 0;
  }

  private record Route(String original, boolean onRetryTopic, int hops, int earlierAttempts, int totalAttempts) {}
}
