package io.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The README's "Bridges" snippets for Micrometer context-propagation, as written there. */
class ReadmeExampleTest {

  private static final Logger log = LoggerFactory.getLogger("app.readme");

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void reactor_and_context_snapshot_snippets_log_under_the_callers_correlation() throws Exception {
    Correlation correlation = Correlation.of("readme-0123456789abcdef", null);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      // --- README: Micrometer ---
      Hooks.enableAutomaticContextPropagation();             // once, at startup

      try (CorrelationScope scope = Baton.open(correlation)) {
        String quote = Mono.fromCallable(() -> "42.00 EUR")
            .subscribeOn(Schedulers.boundedElastic())
            .doOnNext(q -> log.info("quoted {}", q))            // the caller's correlation_id
            .block();

        ContextSnapshot snapshot = ContextSnapshotFactory.builder().clearMissing(true).build()
            .captureAll();
        executor.execute(snapshot.wrap(() -> log.info("sent {}", quote)));  // the same one
      }
      // --- end ---
    } finally {
      Hooks.disableAutomaticContextPropagation();
      executor.shutdown();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(logs.fromLogger("app.readme")).hasSize(2).allSatisfy(line -> {
      assertThat(line.thread()).doesNotStartWith("main");
      assertThat(line.correlationId()).isEqualTo("readme-0123456789abcdef");
    });
  }
}
