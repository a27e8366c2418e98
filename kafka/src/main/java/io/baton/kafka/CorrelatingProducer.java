package io.baton.kafka;

import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Writes the correlation headers on every send and runs the user's callback, on the producer's
 * I/O thread, inside the correlation the record was sent with.
 */
final class CorrelatingProducer<K, V> implements Producer<K, V> {

  private final Producer<K, V> delegate;
  private final KafkaCorrelation kafka;

  CorrelatingProducer(Producer<K, V> delegate, KafkaCorrelation kafka) {
    this.delegate = delegate;
    this.kafka = kafka;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    ProducerRecord<K, V> sent = kafka.toSend(Objects.requireNonNull(record, "record"));
    kafka.inject(sent.headers());
    return delegate.send(sent);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    ProducerRecord<K, V> sent = kafka.toSend(Objects.requireNonNull(record, "record"));
    Correlation correlation = kafka.inject(sent.headers());
    return delegate.send(sent, callback == null ? null : inScope(callback, correlation));
  }

  private Callback inScope(Callback callback, Correlation correlation) {
    return (metadata, exception) -> {
      try (CorrelationScope scope = kafka.propagator().open(correlation)) {
        try {
          callback.onCompletion(metadata, exception);
        } catch (RuntimeException | Error e) {
          // the producer logs its own copy after this scope closed, without the ID
          kafka.failureLog().log(KafkaCorrelation.LOG, e, "Send callback failed");
          throw e;
        }
      }
    };
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  /**
   * kafka-clients 3.x's deprecated {@code sendOffsetsToTransaction(Map, String)}: not in the 4.x
   * interface, but found by the JVM when a 3.x user calls it.
   */
  @SuppressWarnings("deprecation")
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    delegate.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(consumerGroupId));
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
