/**
 * Correlation for Apache Kafka clients.
 *
 * <p>{@link io.baton.kafka.KafkaCorrelation} wraps the producers and consumers you already have:
 * every record sent carries {@code correlation_id} (and {@code parent_correlation_id}) headers,
 * and every record handled runs in its own scope, with the record's ID in the SLF4J MDC; {@link
 * io.baton.kafka.KafkaCorrelation#shareConsumer} does the same for share groups (Kafka's queues),
 * with each record's {@code delivery_count}.
 * {@link io.baton.kafka.KafkaRetryPolicy} adds in-place retries and a dead-letter topic that keep the
 * ID; {@link io.baton.kafka.CorrelationProducerInterceptor} and
 * {@link io.baton.kafka.CorrelationConsumerInterceptor} serve code that can only be configured.
 */
package io.baton.kafka;
