package io.baton.rabbitmq;

import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import io.baton.CorrelationScope;
import java.io.IOException;

final class CorrelatingDeliverCallback implements DeliverCallback {

  private final DeliverCallback delegate;
  private final RabbitCorrelation rabbit;

  CorrelatingDeliverCallback(DeliverCallback delegate, RabbitCorrelation rabbit) {
    this.delegate = delegate;
    this.rabbit = rabbit;
  }

  @Override
  public void handle(String consumerTag, Delivery delivery) throws IOException {
    try (CorrelationScope scope = rabbit.open(delivery)) {
      delegate.handle(consumerTag, delivery);
    }
  }
}
