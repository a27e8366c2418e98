package io.baton.kafka;

import io.baton.MessageHandler;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/** Test helpers. */
final class KafkaTesting {

  private KafkaTesting() {}

  /** {@link KafkaCorrelation#forEach} for lambdas that may not throw checked exceptions. */
  static <K, V> void forEach(KafkaCorrelation kafka, Consumer<K, V> consumer, ConsumerRecords<K, V> records,
      MessageHandler<? super ConsumerRecord<K, V>> handler) {
    try {
      kafka.forEach(consumer, records, handler);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
