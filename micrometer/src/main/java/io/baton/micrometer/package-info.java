/**
 * Baton's correlation in Micrometer context-propagation.
 *
 * <p>{@link io.baton.micrometer.CorrelationThreadLocalAccessor}, registered through {@link
 * java.util.ServiceLoader}, lets {@code ContextSnapshot} and Reactor's automatic context
 * propagation carry the current correlation (and its MDC keys) to other threads, and clear it
 * where the captured context holds none.
 */
package io.baton.micrometer;
