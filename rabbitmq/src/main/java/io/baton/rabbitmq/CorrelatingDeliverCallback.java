package io.baton.rabbitmq;

import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import io.baton.CorrelationScope;
import java.io.IOException;

/**
 * Runs each delivery inside the message's correlation, and logs a failure of the delegate there
 * before it leaves (rethrown unchanged).
 */
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
      try {
        delegate.handle(consumerTag, delivery);
      } catch (IOException | RuntimeException | Error e) {
        CorrelatingConsumer.logFailure(rabbit, e, consumerTag, delivery.getEnvelope());
        throw e;
      }
    }
  }
}
