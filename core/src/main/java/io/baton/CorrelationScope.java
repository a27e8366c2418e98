package io.baton;

/**
 * A correlation made current on this thread, and in the SLF4J MDC, until {@link #close()}.
 *
 * <pre>{@code
 * try (CorrelationScope scope = Baton.open(correlation)) {
 *   log.info("handled");   // carries correlation_id
 * }                        // context and MDC are back to what they were
 * }</pre>
 *
 * <p>Open and close a scope in the same method on the same thread, with try-with-resources.
 */
public interface CorrelationScope extends AutoCloseable {

  /**
   * Restores the correlation and the MDC values this scope replaced. Closing twice is harmless.
   */
  @Override
  void close();
}
