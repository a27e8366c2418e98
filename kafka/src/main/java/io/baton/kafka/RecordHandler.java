package io.baton.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles one record; may throw, to ask {@link KafkaCorrelation#retrying} for another attempt.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
  /** Handles {@code record}; runs inside the record's correlation. */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
