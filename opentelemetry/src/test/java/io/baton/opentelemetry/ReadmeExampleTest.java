package io.baton.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's "Bridges" snippets for OpenTelemetry, as written there. */
class ReadmeExampleTest {

  private static final Logger log = LoggerFactory.getLogger("app.readme");

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void span_baggage_and_trace_id_snippets() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<String> sentBaggage = new ArrayList<>();
    Correlation correlation = Correlation.of("readme-0123456789abcdef", "edge-0123456789abcdef");
    Correlation root;
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    SpanData exported;
    try {
      Span span = provider.get("readme").spanBuilder("handle").startSpan();
      try (Scope spanScope = span.makeCurrent()) {
        // --- README: OpenTelemetry ---
        try (CorrelationScope scope = BatonOpenTelemetry.open(correlation)) {
          log.info("handling");               // span attribute, baggage and MDC agree
        }

        // Inside a scope Baton opened (a listener, a job, a wrapped task):
        try (CorrelationScope scope = Baton.open(correlation)) {
          BatonOpenTelemetry.recordOnCurrentSpan();
          try (Scope baggage = BatonOpenTelemetry.makeCurrentInBaggage()) {
            // what OpenTelemetry propagates from here carries correlation_id in `baggage`
            sentBaggage.add(Baggage.current().getEntryValue("correlation_id"));
          }
        }

        // New roots take the trace ID when a span is current (a random UUID otherwise):
        CorrelationPropagator propagator = CorrelationPropagator.newBuilder()
            .idGenerator(BatonOpenTelemetry.traceIdGenerator())
            .build();
        // --- end ---
        root = propagator.newRoot();
      } finally {
        span.end();
      }
      exported = exporter.getFinishedSpanItems().get(0);
    } finally {
      provider.close();    // also empties the in-memory exporter
    }

    assertThat(exported.getAttributes().get(BatonOpenTelemetry.CORRELATION_ID))
        .isEqualTo("readme-0123456789abcdef");
    assertThat(exported.getAttributes().get(BatonOpenTelemetry.PARENT_ID))
        .isEqualTo("edge-0123456789abcdef");
    assertThat(sentBaggage).containsExactly("readme-0123456789abcdef");
    assertThat(root.id()).isEqualTo(exported.getTraceId());
    assertThat(logs.withMessage("handling")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo("readme-0123456789abcdef"));
  }
}
