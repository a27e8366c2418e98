package io.baton.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.SubscriptionPattern;

/** The consumer wrapper on kafka-clients 4.x: adds the methods of types 3.x does not have. */
final class CorrelatingConsumer4<K, V> extends CorrelatingConsumer<K, V> {

  CorrelatingConsumer4(Consumer<K, V> delegate, KafkaCorrelation kafka) {
    super(delegate, kafka);
  }

  @Override
  public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener callback) {
    delegate.subscribe(pattern, callback);
  }

  @Override
  public void subscribe(SubscriptionPattern pattern) {
    delegate.subscribe(pattern);
  }

  @Override
  public void close(CloseOptions option) {
    delegate.close(option);
  }
}
