package io.baton.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.baton.Baton;
import io.baton.CorrelationScope;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each delivery inside the message's correlation, and logs a failure of the delegate there
 * before it leaves (rethrown unchanged, for the connection's exception handler); delegates
 * everything else.
 */
final class CorrelatingConsumer implements Consumer {

  static final Logger LOG = LoggerFactory.getLogger("io.baton.rabbitmq");

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
      try {
        delegate.handleDelivery(consumerTag, envelope, properties, body);
      } catch (IOException | RuntimeException | Error e) {
        logFailure(rabbit, e, consumerTag, envelope);
        throw e;
      }
    }
  }

  /** The failure line, inside the delivery's scope; names from the message made printable. */
  static void logFailure(RabbitCorrelation rabbit, Throwable failure, String consumerTag, Envelope envelope) {
    rabbit.failureLog().log(LOG, failure,
        "Consumer {} failed on a delivery from exchange '{}' with routing key '{}'",
        Baton.printable(consumerTag),
        envelope == null ? null : Baton.printable(envelope.getExchange()),
        envelope == null ? null : Baton.printable(envelope.getRoutingKey()));
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
