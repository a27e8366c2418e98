/**
 * Baton's correlation in OpenTelemetry.
 *
 * <p>{@link io.baton.opentelemetry.BatonOpenTelemetry} records the correlation on the current
 * span ({@code correlation.id}, {@code correlation.parent_id}) and in baggage ({@code
 * correlation_id}), and gives an ID generator that starts new correlations from the current trace
 * ID, never from an invalid one.
 */
package io.baton.opentelemetry;
