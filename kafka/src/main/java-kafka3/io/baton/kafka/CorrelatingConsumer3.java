package io.baton.kafka;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * The consumer wrapper on kafka-clients 3.x. Compiled against kafka-clients 3.9 (the module's pom
 * does it, after the main sources), so that it declares nothing of a type 3.x lacks.
 */
final class CorrelatingConsumer3<K, V> extends CorrelatingConsumer<K, V> {

  CorrelatingConsumer3(Consumer<K, V> delegate, KafkaCorrelation kafka) {
    super(delegate, kafka);
  }
}
