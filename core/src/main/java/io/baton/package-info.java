/**
 * Baton's core: one correlation ID (and its parent) attached to a piece of work.
 *
 * <p>{@link io.baton.Baton} is the entry point: it opens {@link io.baton.CorrelationScope}s
 * (try-with-resources; closing one restores the previous {@link io.baton.Correlation} and the
 * previous values of the SLF4J MDC keys it wrote), starts roots and children, and wraps executors
 * and functional interfaces so that tasks run under the correlation they were created in.
 * {@link io.baton.CorrelationPropagator} writes and reads the {@code correlation_id} /
 * {@code parent_correlation_id} headers of any carrier and validates inbound values;
 * {@link io.baton.FailureLog} logs a failure of user code once, under the failed work's ID;
 * {@link io.baton.MessageHandler} is the handler type every carrier module takes.
 *
 * <p>The carrier modules build on this package: {@code io.baton.kafka}, {@code io.baton.rabbitmq},
 * {@code io.baton.jms} and {@code io.baton.quartz}.
 */
package io.baton;
