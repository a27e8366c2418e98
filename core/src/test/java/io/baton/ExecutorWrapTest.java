package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class ExecutorWrapTest {

  private static final Logger log = LoggerFactory.getLogger(ExecutorWrapTest.class);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final ExecutorService single = Executors.newSingleThreadExecutor();
  private final Correlation order = Correlation.of("order-0000000000000001", null);

  @AfterEach
  void shutdown() throws InterruptedException {
    single.shutdownNow();
    assertThat(single.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void wrapped_runnable_runs_inside_the_correlation_current_at_wrap_time() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Runnable task;
    try (CorrelationScope scope = Baton.open(order)) {
      task = Baton.wrap(() -> seen.set(MDC.get("correlation_id")));
    }

    single.submit(task).get();

    assertThat(seen).hasValue(order.id());
  }

  @Test
  void wrapped_task_runs_inside_no_correlation_when_none_was_current_at_wrap_time()
      throws Exception {
    AtomicReference<Boolean> sawNone = new AtomicReference<>();
    Runnable task = Baton.wrap(() -> sawNone.set(Baton.current().isEmpty()));

    try (CorrelationScope runner = Baton.open(order)) {
      task.run(); // e.g. a caller-runs executor: the task must not inherit the runner's ID
      assertThat(sawNone).hasValue(true);
      assertThat(Baton.current()).contains(order);
      assertThat(MDC.get("correlation_id")).isEqualTo(order.id());
    }
  }

  @Test
  void pooled_thread_keeps_nothing_after_a_wrapped_task() throws Exception {
    ExecutorService pool = Baton.wrap(single);
    try (CorrelationScope scope = Baton.open(order)) {
      pool.submit(() -> log.info("first task")).get();
    }

    Map<String, String> after = single.submit(MDC::getCopyOfContextMap).get();
    Boolean currentAfter = single.submit(() -> Baton.current().isPresent()).get();

    assertThat(after == null ? Map.of() : after).doesNotContainKeys("correlation_id");
    assertThat(currentAfter).isFalse();
    assertThat(logs.withMessage("first task").get(0).correlationId()).isEqualTo(order.id());
  }

  @Test
  void wrapped_task_that_throws_leaves_the_pooled_thread_clean() throws Exception {
    ExecutorService pool = Baton.wrap(single);
    try (CorrelationScope scope = Baton.open(order)) {
      Future<?> failed =
          pool.submit(
              () -> {
                throw new IllegalStateException("boom");
              });
      assertThat(failed).failsWithin(5, TimeUnit.SECONDS);
    }

    assertThat(single.submit(() -> MDC.get("correlation_id")).get()).isNull();
  }

  @Test
  void ten_thousand_tasks_on_four_threads_each_log_their_own_id() throws Exception {
    ExecutorService pool = Baton.wrap(Executors.newFixedThreadPool(4));
    Map<String, String> idByTask = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 10_000; i++) {
        String task = "task-" + i;
        try (CorrelationScope scope = Baton.openNew()) {
          idByTask.put(task, Baton.current().orElseThrow().id());
          futures.add(pool.submit(() -> log.info("running {}", task)));
        }
      }
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    List<CapturedLine> lines = logs.withMessage("running task-");
    assertThat(lines).hasSize(10_000);
    assertThat(lines)
        .allSatisfy(
            line -> {
              String task = line.message().substring("running ".length());
              assertThat(line.correlationId()).as(task).isEqualTo(idByTask.get(task));
            });
    assertThat(lines.stream().map(CapturedLine::thread).distinct()).hasSize(4);
  }

  @Test
  void executor_service_wrapper_binds_every_kind_of_submission() throws Exception {
    ExecutorService pool = Baton.wrap(Executors.newFixedThreadPool(2));
    Callable<String> id = () -> MDC.get("correlation_id");
    try (CorrelationScope scope = Baton.open(order)) {
      assertThat(pool.submit(id).get()).isEqualTo(order.id());
      AtomicReference<String> seen = new AtomicReference<>();
      assertThat(pool.submit(() -> seen.set(MDC.get("correlation_id")), "done").get())
          .isEqualTo("done");
      assertThat(seen).hasValue(order.id());
      for (Future<String> future : pool.invokeAll(List.of(id, id))) {
        assertThat(future.get()).isEqualTo(order.id());
      }
      assertThat(pool.invokeAll(List.of(id), 5, TimeUnit.SECONDS).get(0).get())
          .isEqualTo(order.id());
      assertThat(pool.invokeAny(List.of(id))).isEqualTo(order.id());
      assertThat(pool.invokeAny(List.of(id), 5, TimeUnit.SECONDS)).isEqualTo(order.id());
      CountDownLatch ran = new CountDownLatch(1);
      pool.execute(
          () -> {
            seen.set(MDC.get("correlation_id") + "/execute");
            ran.countDown();
          });
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).hasValue(order.id() + "/execute");
    } finally {
      pool.shutdown();
    }
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.isShutdown()).isTrue();
    assertThat(pool.isTerminated()).isTrue();
  }

  @Test
  void plain_executor_wrapper_binds_tasks() throws Exception {
    Executor wrapped = Baton.wrap((Executor) Runnable::run);
    AtomicReference<String> seen = new AtomicReference<>();
    try (CorrelationScope scope = Baton.open(order)) {
      Executor pooled = Baton.wrap((Executor) command -> single.execute(command));
      CountDownLatch ran = new CountDownLatch(1);
      pooled.execute(
          () -> {
            seen.set(MDC.get("correlation_id"));
            ran.countDown();
          });
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      AtomicReference<Correlation> direct = new AtomicReference<>();
      wrapped.execute(() -> direct.set(Baton.current().orElse(null)));
      assertThat(direct).hasValue(order);
    }
    assertThat(seen).hasValue(order.id());
  }

  @Test
  void wrapping_twice_returns_the_same_wrapper() {
    ExecutorService pool = Baton.wrap(single);
    Executor executor = Baton.wrap((Executor) Runnable::run);

    assertThat(Baton.wrap(pool)).isSameAs(pool);
    assertThat(Baton.wrap((Executor) pool)).isSameAs(pool);
    assertThat(Baton.wrap(executor)).isSameAs(executor);
  }
}
