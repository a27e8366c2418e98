package io.baton.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Normalizes the correlation headers of every consumed record as {@link
 * KafkaCorrelation#consumer} does: each record then carries exactly one valid {@code
 * correlation_id}. Configured by strings only:
 *
 * <pre>
 * interceptor.classes=io.baton.kafka.CorrelationConsumerInterceptor
 * # optional: baton.header.id, baton.header.parent, baton.header.aliases (comma-separated)
 * </pre>
 *
 * <p>It cannot open a scope around your handler; use {@link KafkaCorrelation#open} or {@link
 * KafkaCorrelation#forEach} for the MDC.
 */
public final class CorrelationConsumerInterceptor implements ConsumerInterceptor<Object, Object> {

  private KafkaCorrelation kafka = KafkaCorrelation.create();

  @Override
  public void configure(Map<String, ?> configs) {
    kafka = InterceptorConfig.kafkaCorrelation(configs);
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    return kafka.normalize(records);
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}
}
