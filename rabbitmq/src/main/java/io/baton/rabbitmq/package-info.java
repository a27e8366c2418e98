/**
 * Correlation for the RabbitMQ Java client (amqp-client 5.x).
 *
 * <p>{@link io.baton.rabbitmq.RabbitCorrelation} wraps the channel you already have: every
 * publish carries {@code correlation_id} (and {@code parent_correlation_id}) headers, and every
 * delivery is handled in its own scope, with the message's ID and its dead-letter facts in the
 * SLF4J MDC. {@link io.baton.rabbitmq.RabbitRetryPolicy} adds TTL retry queues and a parking queue that
 * keep the ID.
 */
package io.baton.rabbitmq;
