package io.baton.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Normalizes the correlation headers of every record a share consumer polls, as {@link
 * CorrelatingConsumer} does, so that each carries exactly one valid ID; a record without one gets
 * the same fresh ID at every delivery ({@link KafkaCorrelation#normalizeDelivered}).
 */
final class CorrelatingShareConsumer<K, V> implements ShareConsumer<K, V> {

  final ShareConsumer<K, V> delegate;
  private final KafkaCorrelation kafka;

  CorrelatingShareConsumer(ShareConsumer<K, V> delegate, KafkaCorrelation kafka) {
    this.delegate = delegate;
    this.kafka = kafka;
  }

  @Override
  public ConsumerRecords<K, V> poll(Duration timeout) {
    ConsumerRecords<K, V> records = delegate.poll(timeout);
    for (ConsumerRecord<K, V> record : records) {
      kafka.normalizeDelivered(record);
    }
    return records;
  }

  @Override
  public Set<String> subscription() {
    return delegate.subscription();
  }

  @Override
  public void subscribe(Collection<String> topics) {
    delegate.subscribe(topics);
  }

  @Override
  public void unsubscribe() {
    delegate.unsubscribe();
  }

  @Override
  public void acknowledge(ConsumerRecord<K, V> record) {
    delegate.acknowledge(record);
  }

  @Override
  public void acknowledge(ConsumerRecord<K, V> record, AcknowledgeType type) {
    delegate.acknowledge(record, type);
  }

  @Override
  public void acknowledge(String topic, int partition, long offset, AcknowledgeType type) {
    delegate.acknowledge(topic, partition, offset, type);
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync() {
    return delegate.commitSync();
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
    return delegate.commitSync(timeout);
  }

  @Override
  public void commitAsync() {
    delegate.commitAsync();
  }

  @Override
  public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {
    delegate.setAcknowledgementCommitCallback(callback);
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public Optional<Integer> acquisitionLockTimeoutMs() {
    return delegate.acquisitionLockTimeoutMs();
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
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
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
