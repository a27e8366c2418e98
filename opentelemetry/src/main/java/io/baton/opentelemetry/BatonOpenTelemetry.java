package io.baton.opentelemetry;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Connects Baton's correlation to OpenTelemetry: records it on the current span and in baggage,
 * and, if asked, starts correlations from the current trace ID. Nothing here runs unless called:
 * OpenTelemetry stays out of Baton's delivery.
 *
 * <pre>{@code
 * // Inside a span (the Java agent's, or one the application started):
 * try (CorrelationScope scope = BatonOpenTelemetry.open(correlation)) {
 *   // the span has correlation.id (and correlation.parent_id), baggage has correlation_id
 * }
 *
 * // New roots take the trace ID, when a span is current:
 * CorrelationPropagator propagator = CorrelationPropagator.newBuilder()
 *     .idGenerator(BatonOpenTelemetry.traceIdGenerator())
 *     .build();
 * }</pre>
 */
public final class BatonOpenTelemetry {

  /** The span attribute holding the correlation ID. */
  public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("correlation.id");

  /** The span attribute holding the parent correlation ID, when there is one. */
  public static final AttributeKey<String> PARENT_ID =
      AttributeKey.stringKey("correlation.parent_id");

  /** The baggage entry holding the correlation ID: {@value}. */
  public static final String BAGGAGE_KEY = Baton.ID_KEY;

  private static final Supplier<String> TRACE_ID_GENERATOR = BatonOpenTelemetry::traceIdOrRandom;

  private BatonOpenTelemetry() {}

  /**
   * Records the correlation current on this thread on the current span ({@code correlation.id},
   * and {@code correlation.parent_id} when there is a parent). Does nothing when no correlation
   * is current or no span is recording.
   */
  public static void recordOnCurrentSpan() {
    Baton.current().ifPresent(correlation -> record(Span.current(), correlation));
  }

  /**
   * Records {@code correlation} on {@code span}: {@code correlation.id}, and {@code
   * correlation.parent_id} when there is a parent. Does nothing when the span is not recording.
   *
   * @param span the span to record on, such as {@code Span.current()}
   * @param correlation the correlation to record
   */
  public static void record(Span span, Correlation correlation) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(correlation, "correlation");
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute(CORRELATION_ID, correlation.id());
    correlation.parentId().ifPresent(parent -> span.setAttribute(PARENT_ID, parent));
  }

  /**
   * Makes {@code correlation} current (as {@link Baton#open(Correlation)} does), records it on
   * the current span, and puts its ID in the current OpenTelemetry baggage under {@code
   * correlation_id}, so that what OpenTelemetry propagates (W3C {@code baggage} header) carries
   * it too. Closing the scope restores Baton's context, the MDC and OpenTelemetry's context as
   * they were. Open and close it on the same thread, with try-with-resources.
   *
   * @param correlation the correlation to make current
   * @return the scope that restores Baton's and OpenTelemetry's context on close
   */
  public static CorrelationScope open(Correlation correlation) {
    Objects.requireNonNull(correlation, "correlation");
    CorrelationScope baton = Baton.open(correlation);
    Scope otel;
    try {
      otel = withBaggage(correlation);
    } catch (RuntimeException | Error e) {
      baton.close();
      throw e;
    }
    return new BridgedScope(baton, otel);
  }

  /**
   * Records the correlation current on this thread on the current span and puts it in baggage
   * until the returned OpenTelemetry scope closes; a no-op scope when no correlation is current.
   * For code that already runs inside a Baton scope (a Baton listener, job or task):
   *
   * <pre>{@code
   * try (Scope scope = BatonOpenTelemetry.makeCurrentInBaggage()) {
   *   client.call();    // the outgoing baggage header carries correlation_id
   * }
   * }</pre>
   *
   * @return the OpenTelemetry scope that restores the previous baggage on close
   */
  public static Scope makeCurrentInBaggage() {
    Correlation correlation = Baton.current().orElse(null);
    return correlation == null ? Scope.noop() : withBaggage(correlation);
  }

  /**
   * An ID generator for {@code CorrelationPropagator.newBuilder().idGenerator(...)}: a new root
   * takes the current span's trace ID when the span context is valid; otherwise (no span, or the
   * invalid all-zero trace ID) a random UUID, as Baton's default.
   *
   * @return the generator; one shared instance
   */
  public static Supplier<String> traceIdGenerator() {
    return TRACE_ID_GENERATOR;
  }

  private static String traceIdOrRandom() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : Correlation.newRoot().id();
  }

  private static Scope withBaggage(Correlation correlation) {
    record(Span.current(), correlation);
    Context current = Context.current();
    Baggage baggage = Baggage.fromContext(current).toBuilder()
        .put(BAGGAGE_KEY, correlation.id())
        .build();
    return current.with(baggage).makeCurrent();
  }

  /** Baton's scope and OpenTelemetry's, closed in reverse order of opening; closing twice is harmless. */
  private static final class BridgedScope implements CorrelationScope {
    private final CorrelationScope baton;
    private final Scope otel;
    private boolean closed;

    BridgedScope(CorrelationScope baton, Scope otel) {
      this.baton = baton;
      this.otel = otel;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        otel.close();
      } finally {
        baton.close();
      }
    }
  }
}
