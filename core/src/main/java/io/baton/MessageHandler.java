package io.baton;

/**
 * The user's handling of one message (a Kafka record, a RabbitMQ delivery, a JMS message), run by
 * Baton inside that message's correlation. It may throw: Baton's retry helpers count that as a
 * failed attempt, and every module logs the failure under the message's ID.
 *
 * <pre>{@code
 * MessageHandler<ConsumerRecord<String, String>> charge = record -> provider.charge(record.value());
 * }</pre>
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface MessageHandler<M> {

  /**
   * Handles {@code message}; an exception marks the attempt as failed.
   *
   * @param message the message to handle
   * @throws Exception when handling fails; the attempt counts as failed
   */
  void handle(M message) throws Exception;
}
