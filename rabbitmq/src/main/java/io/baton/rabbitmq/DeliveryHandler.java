package io.baton.rabbitmq;

import com.rabbitmq.client.Delivery;

/** Handles one delivery; may throw, to ask {@link RabbitCorrelation#retrying} to retry it. */
@FunctionalInterface
public interface DeliveryHandler {
  /** Handles {@code delivery}; runs inside the message's correlation. */
  void handle(Delivery delivery) throws Exception;
}
