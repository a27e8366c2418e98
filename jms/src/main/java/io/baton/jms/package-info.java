/**
 * Correlation for Jakarta Messaging (JMS 3.x) providers.
 *
 * <p>{@link io.baton.jms.JmsCorrelation} wraps the connection factory you already have, and with
 * it the connections, sessions, contexts, producers and consumers it creates: every message sent
 * carries the {@code correlation_id} (and {@code parent_correlation_id}) properties, and every
 * message handled runs in its own scope, with its ID and delivery count in the SLF4J MDC.
 */
package io.baton.jms;
