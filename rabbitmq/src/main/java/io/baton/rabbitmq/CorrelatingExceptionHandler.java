package io.baton.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.TopologyRecoveryException;
import io.baton.Baton;
import io.baton.CorrelationScope;

/**
 * amqp-client's exception handler, run inside the correlation a consumer's failure was thrown in
 * (when Baton logged it on its way out of the delivery), so that the client's own line about it
 * carries the delivery's ID. Delegates everything else.
 */
final class CorrelatingExceptionHandler implements ExceptionHandler {

  private final ExceptionHandler delegate;

  CorrelatingExceptionHandler(ExceptionHandler delegate) {
    this.delegate = delegate;
  }

  @Override
  public void handleConsumerException(
      Channel channel, Throwable exception, Consumer consumer, String consumerTag, String methodName) {
    try (CorrelationScope scope = Baton.openFailed(exception)) {
      delegate.handleConsumerException(channel, exception, consumer, consumerTag, methodName);
    }
  }

  @Override
  public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
    delegate.handleUnexpectedConnectionDriverException(connection, exception);
  }

  @Override
  public void handleReturnListenerException(Channel channel, Throwable exception) {
    delegate.handleReturnListenerException(channel, exception);
  }

  @Override
  public void handleConfirmListenerException(Channel channel, Throwable exception) {
    delegate.handleConfirmListenerException(channel, exception);
  }

  @Override
  public void handleBlockedListenerException(Connection connection, Throwable exception) {
    delegate.handleBlockedListenerException(connection, exception);
  }

  @Override
  public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
    delegate.handleConnectionRecoveryException(connection, exception);
  }

  @Override
  public void handleChannelRecoveryException(Channel channel, Throwable exception) {
    delegate.handleChannelRecoveryException(channel, exception);
  }

  @Override
  public void handleTopologyRecoveryException(
      Connection connection, Channel channel, TopologyRecoveryException exception) {
    delegate.handleTopologyRecoveryException(connection, channel, exception);
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
