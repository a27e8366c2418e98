package io.baton.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The bridge against the OpenTelemetry SDK, with spans exported to memory. */
class BatonOpenTelemetryTest {

  private static final Logger LOG = LoggerFactory.getLogger("app.traced");
  private static final String UUID_V4 =
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
      .build();
  private final Tracer tracer = provider.get("baton-test");

  @AfterEach
  void closeProvider() {
    provider.close();
    assertThat(Baggage.current().isEmpty()).isTrue();
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void open_records_the_correlation_on_the_current_span_and_in_baggage_until_close() {
    Correlation order = Correlation.of("order-0123456789abcdef", "edge-0123456789abcdef");
    Span span = tracer.spanBuilder("handle order").startSpan();
    String baggageInside;
    try (Scope spanScope = span.makeCurrent()) {
      try (CorrelationScope scope = BatonOpenTelemetry.open(order)) {
        LOG.info("handling the order");
        baggageInside = Baggage.current().getEntryValue(BatonOpenTelemetry.BAGGAGE_KEY);
        assertThat(MDC.get(Baton.ID_KEY)).isEqualTo("order-0123456789abcdef");
      }
      assertThat(Baggage.current().getEntryValue(BatonOpenTelemetry.BAGGAGE_KEY)).isNull();
      assertThat(Baton.current()).isEmpty();
      assertThat(Span.current()).isSameAs(span);
    } finally {
      span.end();
    }

    assertThat(baggageInside).isEqualTo("order-0123456789abcdef");
    SpanData exported = exporter.getFinishedSpanItems().get(0);
    assertThat(exported.getAttributes().get(BatonOpenTelemetry.CORRELATION_ID))
        .isEqualTo("order-0123456789abcdef");
    assertThat(exported.getAttributes().get(BatonOpenTelemetry.PARENT_ID))
        .isEqualTo("edge-0123456789abcdef");
    assertThat(logs.withMessage("handling the order")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo("order-0123456789abcdef");
      assertThat(line.parentCorrelationId()).isEqualTo("edge-0123456789abcdef");
    });
  }

  @Test
  void a_root_correlation_sets_no_parent_attribute() {
    Span span = tracer.spanBuilder("root").startSpan();
    try (Scope spanScope = span.makeCurrent();
        CorrelationScope scope = Baton.open(Correlation.of("root-0123456789abcdef", null))) {
      BatonOpenTelemetry.recordOnCurrentSpan();
    } finally {
      span.end();
    }

    SpanData exported = exporter.getFinishedSpanItems().get(0);
    assertThat(exported.getAttributes().get(BatonOpenTelemetry.CORRELATION_ID))
        .isEqualTo("root-0123456789abcdef");
    assertThat(exported.getAttributes().get(BatonOpenTelemetry.PARENT_ID)).isNull();
  }

  @Test
  void record_on_current_span_outside_a_correlation_records_nothing() {
    Span span = tracer.spanBuilder("no correlation").startSpan();
    try (Scope spanScope = span.makeCurrent()) {
      BatonOpenTelemetry.recordOnCurrentSpan();
      try (Scope baggage = BatonOpenTelemetry.makeCurrentInBaggage()) {
        assertThat(Baggage.current().isEmpty()).isTrue();
      }
    } finally {
      span.end();
    }
    assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().isEmpty()).isTrue();
  }

  @Test
  void the_baggage_header_otel_propagates_carries_the_correlation_id() {
    Map<String, String> headers = new HashMap<>();
    try (CorrelationScope scope = Baton.open(Correlation.of("call-0123456789abcdef", null));
        Scope baggage = BatonOpenTelemetry.makeCurrentInBaggage()) {
      W3CBaggagePropagator.getInstance().inject(Context.current(), headers, Map::put);
    }
    assertThat(headers).containsEntry("baggage", "correlation_id=call-0123456789abcdef");
  }

  @Test
  void open_without_a_span_still_sets_baggage_and_the_mdc() {
    try (CorrelationScope scope = BatonOpenTelemetry.open(Correlation.of("bare-0123456789abcdef", null))) {
      assertThat(Baggage.current().getEntryValue("correlation_id")).isEqualTo("bare-0123456789abcdef");
      assertThat(MDC.get(Baton.ID_KEY)).isEqualTo("bare-0123456789abcdef");
      scope.close();
      // Closing twice is harmless: nothing else is restored a second time.
      assertThat(Baggage.current().isEmpty()).isTrue();
    }
    assertThat(MDC.get(Baton.ID_KEY)).isNull();
  }

  @Test
  void trace_id_generator_starts_a_root_from_the_current_trace_id() {
    CorrelationPropagator propagator = CorrelationPropagator.newBuilder()
        .idGenerator(BatonOpenTelemetry.traceIdGenerator())
        .build();
    Span span = tracer.spanBuilder("request").startSpan();
    Correlation root;
    try (Scope spanScope = span.makeCurrent()) {
      root = propagator.newRoot();
    } finally {
      span.end();
    }
    assertThat(root.id()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(root.parentId()).isEmpty();
  }

  @Test
  void outside_a_span_the_generator_gives_a_random_uuid_never_the_all_zero_trace_id() {
    CorrelationPropagator propagator = CorrelationPropagator.newBuilder()
        .idGenerator(BatonOpenTelemetry.traceIdGenerator())
        .build();
    String outside = propagator.newRoot().id();
    String invalidSpan;
    try (Scope scope = Span.wrap(SpanContext.getInvalid()).makeCurrent()) {
      invalidSpan = propagator.newRoot().id();
    }

    assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo("0".repeat(32));
    assertThat(outside).matches(UUID_V4).isNotEqualTo("0".repeat(32));
    assertThat(invalidSpan).matches(UUID_V4).isNotEqualTo(outside);
    // An expected case, not a misconfigured generator: nothing is logged about it.
    assertThat(logs.fromLogger("io.baton")).isEmpty();
  }

  @Test
  void a_naive_trace_id_generator_gives_the_all_zero_id_outside_a_span() {
    // What issue 22 found: the trace ID taken as it is. Baton's own generator must not do this.
    CorrelationPropagator naive = CorrelationPropagator.newBuilder()
        .idGenerator(() -> Span.current().getSpanContext().getTraceId())
        .build();
    assertThat(naive.newRoot().id()).isEqualTo("0".repeat(32));
  }
}
