package io.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class FailureLogTest {

  private static final Logger log = LoggerFactory.getLogger(FailureLogTest.class);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final Correlation order = Correlation.of("order-0000000000000001", "click-000000000000001");
  private final AtomicReference<Throwable> uncaught = new AtomicReference<>();
  private final CountDownLatch died = new CountDownLatch(1);
  private final ThreadFactory recording = task -> {
    Thread thread = new Thread(task);
    thread.setUncaughtExceptionHandler((t, e) -> {
      uncaught.set(e);
      died.countDown();
    });
    return thread;
  };
  private final ExecutorService pool = Executors.newSingleThreadExecutor(recording);

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void a_task_that_throws_in_execute_is_logged_once_under_its_correlation_and_still_reaches_the_thread()
      throws Exception {
    IllegalStateException boom = new IllegalStateException("card declined");
    try (CorrelationScope scope = Baton.open(order)) {
      Baton.wrap(pool).execute(() -> {
        throw boom;
      });
    }

    assertThat(died.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught.get()).isSameAs(boom);
    List<CapturedLine> failures = logs.lines(line -> line.throwable() == boom);
    assertThat(failures).singleElement().satisfies(line -> {
      assertThat(line.logger()).isEqualTo("io.baton");
      assertThat(line.level()).isEqualTo("ERROR");
      assertThat(line.correlationId()).isEqualTo(order.id());
      assertThat(line.parentCorrelationId()).isEqualTo(order.parentId().orElseThrow());
    });
  }

  @Test
  void the_level_can_be_changed_or_the_line_turned_off() throws Exception {
    IllegalStateException warned = new IllegalStateException("warned");
    IllegalStateException silent = new IllegalStateException("silent");
    try (CorrelationScope scope = Baton.open(order)) {
      FailureLog.at(Level.WARN).log(log, warned, "handler failed");
      FailureLog.off().log(log, silent, "handler failed");
    }

    assertThat(logs.lines(line -> line.throwable() == warned)).singleElement()
        .satisfies(line -> assertThat(line.level()).isEqualTo("WARN"));
    assertThat(logs.lines(line -> line.throwable() == silent)).isEmpty();
  }

  @Test
  void a_failure_passing_through_two_wrappers_is_logged_once() {
    IllegalStateException boom = new IllegalStateException("once");
    try (CorrelationScope scope = Baton.open(order)) {
      FailureLog.defaults().log(log, boom, "inner");
      FailureLog.defaults().log(log, boom, "outer");
    }

    assertThat(logs.lines(line -> line.throwable() == boom)).extracting(CapturedLine::message)
        .containsExactly("inner");
  }

  @Test
  void a_preallocated_exception_thrown_again_by_other_work_is_logged_again_under_that_work() {
    IllegalStateException shared = new IllegalStateException("declined");
    Correlation other = Correlation.of("order-0000000000000002", null);
    try (CorrelationScope first = Baton.open(order)) {
      FailureLog.defaults().log(log, shared, "handler failed");
    }
    try (CorrelationScope second = Baton.open(other)) {
      FailureLog.defaults().log(log, shared, "handler failed");
    }

    assertThat(logs.lines(line -> line.throwable() == shared)).extracting(CapturedLine::correlationId)
        .containsExactly(order.id(), other.id());
  }

  @Test
  void open_failed_gives_a_caught_failure_the_correlation_and_fields_it_was_thrown_in() {
    IllegalStateException boom = new IllegalStateException("declined");
    Throwable caught;
    try {
      try (CorrelationScope scope =
          CorrelationPropagator.create().open(order, "delivery_count", "2")) {
        try {
          throw boom;
        } catch (IllegalStateException e) {
          FailureLog.off().log(log, e, "not written");
          throw e;
        }
      }
    } catch (IllegalStateException e) {
      caught = new RuntimeException("wrapped by a client library", e);
    }
    assertThat(MDC.get("correlation_id")).isNull();

    try (CorrelationScope scope = Baton.openFailed(caught)) {
      log.error("the loop gave up on the batch", caught);
    }
    try (CorrelationScope scope = Baton.openFailed(new IllegalStateException("never seen"))) {
      assertThat(Baton.current()).isEmpty();
    }

    assertThat(logs.withMessage("the loop gave up")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(order.id());
      assertThat(line.mdc()).containsEntry("delivery_count", "2");
    });
    assertThat(MDC.get("delivery_count")).isNull();
  }

  @Test
  void a_submitted_task_failure_goes_to_its_future_and_is_not_logged_by_baton() {
    IllegalStateException boom = new IllegalStateException("to the future");
    try (CorrelationScope scope = Baton.open(order)) {
      var future = Baton.wrap(pool).submit(() -> {
        throw boom;
      });
      assertThatThrownBy(future::get).hasCause(boom);
    }

    assertThat(logs.lines(line -> line.throwable() == boom)).isEmpty();
  }
}
