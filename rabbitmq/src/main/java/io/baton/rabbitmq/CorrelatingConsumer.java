package io.baton.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.baton.CorrelationScope;
import java.io.IOException;

/** Runs each delivery inside the message's correlation; delegates everything else. */
final class CorrelatingConsumer implements Consumer {

  private final Consumer delegate;
  private final RabbitCorrelation rabbit;

  CorrelatingConsumer(Consumer delegate, RabbitCorrelation rabbit) {
    this.delegate = delegate;
    this.rabbit = rabbit;
  }

  /** The consumer the application gave, for getters that hand it back. */
  static Consumer unwrap(Consumer consumer) {
    return consumer instanceof CorrelatingConsumer ? ((CorrelatingConsumer) consumer).delegate : consumer;
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
      throws IOException {
    try (CorrelationScope scope = rabbit.open(properties)) {
      delegate.handleDelivery(consumerTag, envelope, properties, body);
    }
  }

  @Override
  public void handleConsumeOk(String consumerTag) {
    delegate.handleConsumeOk(consumerTag);
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    delegate.handleCancelOk(consumerTag);
  }

  @Override
  public void handleCancel(String consumerTag) throws IOException {
    delegate.handleCancel(consumerTag);
  }

  @Override
  public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
    delegate.handleShutdownSignal(consumerTag, signal);
  }

  @Override
  public void handleRecoverOk(String consumerTag) {
    delegate.handleRecoverOk(consumerTag);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
