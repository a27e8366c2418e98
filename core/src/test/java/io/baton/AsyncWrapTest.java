package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.LogCapture;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

class AsyncWrapTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final Correlation order = Correlation.of("order-0000000000000001", null);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void shutdown() throws InterruptedException {
    scheduler.shutdownNow();
    pool.shutdownNow();
    assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static String[] ids() {
    return new String[] {MDC.get("correlation_id"), MDC.get("parent_correlation_id")};
  }

  @Test
  void a_scheduled_one_shot_runs_in_the_scheduling_correlation_and_each_periodic_run_in_a_fresh_child()
      throws Exception {
    ScheduledExecutorService wrapped = Baton.wrap(scheduler);
    AtomicReference<String[]> once = new AtomicReference<>();
    List<String[]> runs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch threeRuns = new CountDownLatch(3);
    ScheduledFuture<?> periodic;
    try (CorrelationScope scope = Baton.open(order)) {
      wrapped.schedule(() -> once.set(ids()), 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
      periodic = wrapped.scheduleAtFixedRate(() -> {
        runs.add(ids());
        threeRuns.countDown();
      }, 0, 10, TimeUnit.MILLISECONDS);
    }
    assertThat(threeRuns.await(5, TimeUnit.SECONDS)).isTrue();
    periodic.cancel(false);

    assertThat(once.get()).containsExactly(order.id(), null);
    List<String[]> seen = new ArrayList<>(runs);
    assertThat(seen).allSatisfy(run -> {
      assertThat(run[0]).isNotEqualTo(order.id()).matches(Correlation::isValidId);
      assertThat(run[1]).isEqualTo(order.id());
    });
    assertThat(seen.stream().map(run -> run[0]).distinct()).hasSize(seen.size());
  }

  @Test
  void completable_future_stages_keep_the_id_also_after_a_stage_on_the_default_pool() throws Exception {
    AtomicReference<String> supplied = new AtomicReference<>();
    AtomicReference<String> applied = new AtomicReference<>();
    AtomicReference<String> accepted = new AtomicReference<>();
    AtomicReference<String> completed = new AtomicReference<>();
    CompletableFuture<Void> chain;
    try (CorrelationScope scope = Baton.open(order)) {
      chain = CompletableFuture.supplyAsync(Baton.wrapSupplier(() -> {
            supplied.set(MDC.get("correlation_id"));
            return 2;
          }))                                                    // the common pool
          .thenApplyAsync(Baton.wrapFunction(n -> {
            applied.set(MDC.get("correlation_id"));
            return n * 21;
          }), pool)
          .thenCombine(CompletableFuture.completedFuture(0), Baton.wrapBiFunction(Integer::sum))
          .whenComplete(Baton.wrapBiConsumer((n, error) -> completed.set(MDC.get("correlation_id"))))
          .thenAccept(Baton.wrapConsumer(n -> accepted.set(MDC.get("correlation_id"))));
    }
    chain.get(5, TimeUnit.SECONDS);

    assertThat(List.of(supplied.get(), applied.get(), accepted.get(), completed.get()))
        .containsOnly(order.id());
  }

  @Test
  void an_executor_bound_to_a_correlation_runs_every_task_in_it_whoever_submits() throws Exception {
    ExecutorService batch = Baton.wrap(pool, order);
    AtomicReference<String> fromNowhere = new AtomicReference<>();
    AtomicReference<String> fromElsewhere = new AtomicReference<>();

    batch.submit(() -> fromNowhere.set(MDC.get("correlation_id"))).get();
    try (CorrelationScope other = Baton.openNew()) {
      batch.submit(() -> fromElsewhere.set(MDC.get("correlation_id"))).get();
    }
    Runnable bound = Baton.wrap(order, () -> fromNowhere.set("wrapped:" + MDC.get("correlation_id")));
    pool.submit(bound).get();

    assertThat(fromElsewhere).hasValue(order.id());
    assertThat(fromNowhere).hasValue("wrapped:" + order.id());
  }

  @Test
  void an_empty_scope_clears_the_correlation_until_it_closes() {
    try (CorrelationScope scope = Baton.open(order)) {
      try (CorrelationScope none = Baton.openEmpty()) {
        assertThat(Baton.current()).isEmpty();
        assertThat(MDC.get("correlation_id")).isNull();
      }
      assertThat(Baton.current()).contains(order);
      assertThat(MDC.get("correlation_id")).isEqualTo(order.id());
    }
  }

  @Test
  void shutdown_now_returns_the_tasks_as_they_were_given() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    ExecutorService wrapped = Baton.wrap(single);
    CountDownLatch release = new CountDownLatch(1);
    wrapped.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runnable queued = () -> {};
    wrapped.execute(queued);

    List<Runnable> never = wrapped.shutdownNow();
    release.countDown();

    assertThat(never).containsExactly(queued);
    assertThat(single.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void close_of_a_wrapped_common_pool_returns_like_the_pools_own() throws Exception {
    Method close;
    try {
      close = ExecutorService.class.getMethod("close");
    } catch (NoSuchMethodException e) {
      Assumptions.abort("ExecutorService.close() exists from Java 19 on");
      return;
    }
    ExecutorService common = Baton.wrap((ExecutorService) ForkJoinPool.commonPool());
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
      try {
        close.invoke(common);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }, Executors.newSingleThreadExecutor());

    closing.get(5, TimeUnit.SECONDS);
    assertThat(ForkJoinPool.commonPool().isShutdown()).isFalse();
  }

  @Test
  void tasks_on_virtual_threads_each_run_in_the_correlation_they_were_submitted_in() throws Exception {
    ExecutorService virtual;
    try {
      virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException e) {
      Assumptions.abort("virtual threads exist from Java 21 on");
      return;
    }
    ExecutorService wrapped = Baton.wrap(virtual);
    List<CompletableFuture<String[]>> seen = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      try (CorrelationScope scope = Baton.openNew()) {
        sent.add(MDC.get("correlation_id"));
        CompletableFuture<String[]> result = new CompletableFuture<>();
        wrapped.execute(() -> {
          String before = MDC.get("correlation_id");
          Thread.yield();
          result.complete(new String[] {before, MDC.get("correlation_id")});
        });
        seen.add(result);
      }
    }
    for (int i = 0; i < sent.size(); i++) {
      assertThat(seen.get(i).get(10, TimeUnit.SECONDS)).containsExactly(sent.get(i), sent.get(i));
    }
    wrapped.shutdown();
    assertThat(wrapped.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }
}
