package io.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** ContextSnapshot, as Spring and Micrometer use it, carrying Baton's correlation between threads. */
class ContextSnapshotTest {

  private static final Logger LOG = LoggerFactory.getLogger("app.worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopWorker() throws Exception {
    worker.shutdown();
    assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void the_accessor_is_found_through_the_service_loader() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(accessor -> {
          assertThat(accessor).isInstanceOf(CorrelationThreadLocalAccessor.class);
          assertThat(accessor.key()).isEqualTo(CorrelationThreadLocalAccessor.KEY);
        });
  }

  @Test
  void snapshot_carries_the_correlation_to_another_thread_and_the_thread_is_clean_afterwards()
      throws Exception {
    Correlation request = Correlation.of("req-0123456789abcdef", "parent-0123456789abcdef");
    ContextSnapshot snapshot;
    try (CorrelationScope scope = Baton.open(request)) {
      snapshot = ContextSnapshotFactory.builder().build().captureAll();
    }

    String[] seen = worker.submit(() -> {
      try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
        LOG.info("handled on the worker");
        return new String[] {
          MDC.get(Baton.ID_KEY), MDC.get(Baton.PARENT_KEY), Baton.current().orElseThrow().id()
        };
      }
    }).get();

    assertThat(seen).containsExactly(
        "req-0123456789abcdef", "parent-0123456789abcdef", "req-0123456789abcdef");
    assertThat(logs.withMessage("handled on the worker")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo("req-0123456789abcdef");
      assertThat(line.parentCorrelationId()).isEqualTo("parent-0123456789abcdef");
    });
    assertWorkerIsClean();
  }

  @Test
  void snapshot_taken_outside_any_correlation_clears_the_one_on_the_target_thread()
      throws Exception {
    ContextSnapshot empty = ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
    Correlation workerOwn = Correlation.of("worker-0123456789abcdef", null);

    String[] seen = worker.submit(() -> {
      try (CorrelationScope own = Baton.open(workerOwn)) {
        String inside;
        try (ContextSnapshot.Scope scope = empty.setThreadLocals()) {
          LOG.info("handled without a correlation");
          inside = MDC.get(Baton.ID_KEY) + "|" + Baton.current().isPresent();
        }
        // Restored exactly: the worker's own correlation is back, MDC included.
        return new String[] {inside, MDC.get(Baton.ID_KEY), Baton.current().orElseThrow().id()};
      }
    }).get();

    assertThat(seen).containsExactly(
        "null|false", "worker-0123456789abcdef", "worker-0123456789abcdef");
    assertThat(logs.withMessage("handled without a correlation")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isNull());
    assertWorkerIsClean();
  }

  @Test
  void nested_snapshots_restore_each_level_exactly() {
    Correlation outer = Correlation.of("outer-0123456789abcdef", null);
    Correlation inner = Correlation.of("inner-0123456789abcdef", "outer-0123456789abcdef");
    ContextSnapshotFactory factory = ContextSnapshotFactory.builder().clearMissing(true).build();
    ContextSnapshot outerSnapshot;
    ContextSnapshot innerSnapshot;
    try (CorrelationScope scope = Baton.open(outer)) {
      outerSnapshot = factory.captureAll();
    }
    try (CorrelationScope scope = Baton.open(inner)) {
      innerSnapshot = factory.captureAll();
    }
    ContextSnapshot none = factory.captureAll();

    try (ContextSnapshot.Scope first = outerSnapshot.setThreadLocals()) {
      try (ContextSnapshot.Scope second = innerSnapshot.setThreadLocals()) {
        try (ContextSnapshot.Scope third = none.setThreadLocals()) {
          assertThat(Baton.current()).isEmpty();
          assertThat(MDC.get(Baton.ID_KEY)).isNull();
        }
        assertThat(Baton.current()).contains(inner);
        assertThat(MDC.get(Baton.PARENT_KEY)).isEqualTo("outer-0123456789abcdef");
      }
      assertThat(Baton.current()).contains(outer);
      assertThat(MDC.get(Baton.ID_KEY)).isEqualTo("outer-0123456789abcdef");
      assertThat(MDC.get(Baton.PARENT_KEY)).isNull();
    }
    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get(Baton.ID_KEY)).isNull();
  }

  @Test
  void a_wrapped_task_runs_under_the_submitters_correlation() throws Exception {
    Correlation request = Correlation.of("exec-0123456789abcdef", null);
    String unwrapped;
    String wrapped;
    try (CorrelationScope scope = Baton.open(request)) {
      unwrapped = worker.submit(() -> MDC.get(Baton.ID_KEY)).get();
      ContextSnapshot snapshot = ContextSnapshotFactory.builder().build().captureAll();
      wrapped = worker.submit(snapshot.wrap(() -> MDC.get(Baton.ID_KEY))).get();
    }
    assertThat(unwrapped).isNull();
    assertThat(wrapped).isEqualTo("exec-0123456789abcdef");
    assertWorkerIsClean();
  }

  private void assertWorkerIsClean() throws Exception {
    String after = worker.submit(() -> MDC.get(Baton.ID_KEY) + "|" + MDC.get(Baton.PARENT_KEY)
        + "|" + Baton.current().isPresent()).get();
    assertThat(after).isEqualTo("null|null|false");
  }
}
