package io.baton.kafka;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the correlation headers from the sending thread's current correlation (a fresh root
 * when there is none), keeping a valid ID already on the record. Configured by strings only, so
 * it works in config files, the Kafka console tools and Kafka Connect:
 *
 * <pre>
 * interceptor.classes=io.baton.kafka.CorrelationProducerInterceptor
 * # optional: baton.header.id, baton.header.parent, baton.header.aliases (comma-separated)
 * </pre>
 *
 * <p>Unlike {@link KafkaCorrelation#producer}, it cannot run send callbacks inside the
 * correlation; prefer the wrapper where you own the code.
 */
public final class CorrelationProducerInterceptor implements ProducerInterceptor<Object, Object> {

  private KafkaCorrelation kafka = KafkaCorrelation.create();

  @Override
  public void configure(Map<String, ?> configs) {
    kafka = InterceptorConfig.kafkaCorrelation(configs);
  }

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    kafka.inject(record.headers());
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}
}
