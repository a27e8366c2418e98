package io.baton.kafka;

import static io.baton.kafka.RetryPolicy.ATTEMPTS_HEADER;
import static io.baton.kafka.RetryPolicy.ATTEMPT_MDC_KEY;
import static io.baton.kafka.RetryPolicy.EXCEPTION_CLASS_HEADER;
import static io.baton.kafka.RetryPolicy.EXCEPTION_MESSAGE_HEADER;
import static io.baton.kafka.RetryPolicy.ORIGINAL_OFFSET_HEADER;
import static io.baton.kafka.RetryPolicy.ORIGINAL_PARTITION_HEADER;
import static io.baton.kafka.RetryPolicy.ORIGINAL_TOPIC_HEADER;
import static io.baton.kafka.RetryPolicy.RETRY_HOPS_HEADER;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a record in place, then republishes it to the retry or dead-letter topic. */
final class RetryingHandler<K, V> implements java.util.function.Consumer<ConsumerRecord<K, V>> {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.kafka.retry");

  private final KafkaCorrelation kafka;
  private final RecordHandler<K, V> handler;
  private final Producer<K, V> producer;
  private final RetryPolicy policy;

  RetryingHandler(
      KafkaCorrelation kafka, RecordHandler<K, V> handler, Producer<K, V> producer, RetryPolicy policy) {
    this.kafka = kafka;
    this.handler = handler;
    this.producer = producer;
    this.policy = policy;
  }

  @Override
  public void accept(ConsumerRecord<K, V> record) {
    Correlation correlation = kafka.normalize(record.headers());
    CorrelationPropagator propagator = kafka.propagator();
    Exception failure = null;
    int attempts = 0;
    while (attempts < policy.attempts()) {
      attempts++;
      try (CorrelationScope scope =
          propagator.open(correlation, ATTEMPT_MDC_KEY, Integer.toString(attempts))) {
        try {
          handler.handle(record);
          return;
        } catch (Exception e) {
          failure = e;
          kafka.failureLog().log(KafkaCorrelation.LOG, e, "Attempt {} of {} failed on {}",
              attempts, policy.attempts(), KafkaCorrelation.describe(record));
        }
      }
      if (failure instanceof InterruptedException) {
        break; // asked to stop: no more attempts
      }
    }
    // A set interrupt flag would fail the wait for the broker's answer at once, with the record
    // already on its way: republish with the flag clear, and set it again afterwards.
    boolean interrupted = Thread.interrupted() || failure instanceof InterruptedException;
    try (CorrelationScope scope = propagator.open(correlation)) {
      republish(record, attempts, failure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void republish(ConsumerRecord<K, V> record, int attempts, Exception failure) {
    KafkaCarrier in = new KafkaCarrier(record.headers(), kafka.propagator());
    // The baton_* headers are only believed on our own retry topic: anyone can publish headers,
    // and they choose where the record goes next.
    String claimed = in.text(ORIGINAL_TOPIC_HEADER);
    boolean fromRetryTopic = claimed != null && record.topic().equals(policy.retryTopic(claimed));
    String originalTopic = fromRetryTopic ? claimed : record.topic();
    int hops = fromRetryTopic ? number(in, RETRY_HOPS_HEADER) : 0;
    boolean retry = hops < policy.retryHops();
    String target = retry ? policy.retryTopic(originalTopic) : policy.deadLetterTopic(originalTopic);

    Headers outHeaders = new RecordHeaders(record.headers().toArray());
    KafkaCarrier out = new KafkaCarrier(outHeaders, kafka.propagator());
    out.set(ORIGINAL_TOPIC_HEADER, originalTopic);
    out.set(ORIGINAL_PARTITION_HEADER, fromRetryTopic
        ? String.valueOf(number(in, ORIGINAL_PARTITION_HEADER)) : String.valueOf(record.partition()));
    out.set(ORIGINAL_OFFSET_HEADER, fromRetryTopic
        ? String.valueOf(longNumber(in, ORIGINAL_OFFSET_HEADER)) : String.valueOf(record.offset()));
    int earlier = fromRetryTopic ? number(in, ATTEMPTS_HEADER) : 0;
    out.set(ATTEMPTS_HEADER, String.valueOf(earlier + attempts));
    out.set(RETRY_HOPS_HEADER, String.valueOf(retry ? hops + 1 : hops));
    out.set(EXCEPTION_CLASS_HEADER, failure.getClass().getName());
    // at most 255 characters, control characters replaced
    out.set(EXCEPTION_MESSAGE_HEADER, failure.getMessage() == null ? "" : Baton.printable(failure.getMessage()));

    Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
    ProducerRecord<K, V> republished =
        new ProducerRecord<>(target, null, timestamp, record.key(), record.value(), outHeaders);
    try {
      producer.send(republished).get(policy.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(new KafkaException("Interrupted while republishing to " + target, e), record);
    } catch (ExecutionException | TimeoutException e) {
      throw failed(new KafkaException("Could not republish to " + target, e), record);
    }
    LOG.info(
        "Sent {}-{}@{} to {} after {} failed attempts ({})",
        record.topic(), record.partition(), record.offset(), target, attempts,
        failure.getClass().getName());
  }

  /** Logs {@code e} under the record's correlation (current now), for the loop to find it. */
  private KafkaException failed(KafkaException e, ConsumerRecord<K, V> record) {
    kafka.failureLog().log(KafkaCorrelation.LOG, e, "Could not republish {}", KafkaCorrelation.describe(record));
    return e;
  }

  /** The header's non-negative long value; 0 when absent, malformed or out of range. */
  private static long longNumber(KafkaCarrier headers, String key) {
    String value = headers.text(key);
    try {
      return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The header's non-negative int value; 0 when absent, malformed or out of range. */
  private static int number(KafkaCarrier headers, String key) {
    long value = longNumber(headers, key);
    return value <= Integer.MAX_VALUE ? (int) value : 0;
  }
}
