package io.baton.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.Baton;
import io.baton.CorrelationScope;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.MDC;

class BatonTestLeakCheckTest {

  /** Not run by the build on its own (nested); run below through JUnit's engine. */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class LeakingOnTheTestThread {
    @RegisterExtension final BatonTest baton = BatonTest.create();

    @Test
    @Order(1)
    void leaves_an_mdc_key() {
      MDC.put("retry_attempt", "2");
    }

    @Test
    @Order(2)
    void runs_after_the_mdc_leak() {
      // The leaked key was taken out: one leak fails one test.
    }

    @Test
    @Order(3)
    void leaves_a_scope_open() {
      Baton.openNew();
    }

    @Test
    @Order(4)
    void runs_after_the_scope_leak() {
      // Only the scope can undo a current correlation: this test starts on a dirty thread.
    }
  }

  static class LeakingOnAWorker {
    @RegisterExtension final BatonTest baton = BatonTest.create();
    final ExecutorService pool = baton.executor(Executors.newSingleThreadExecutor(
        task -> new Thread(task, "leaky-worker")));

    @AfterEach
    void shutDown() {
      pool.shutdownNow();
    }

    @Test
    void a_submitted_task_leaves_a_scope_open() throws Exception {
      pool.submit(() -> Baton.openNew()).get();
    }

    @Test
    void an_executed_task_leaves_an_mdc_key() throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      // The latch reaches the test before the task's check: the end of the test waits for it.
      pool.execute(() -> {
        done.countDown();
        sleep(100);
        MDC.put("quartz_job", "nightly");
      });
      assertTrue(done.await(5, TimeUnit.SECONDS));
    }

    @Test
    void a_thread_of_its_own_leaves_a_scope_open() throws Exception {
      Thread thread = new Thread(baton.task(() -> Baton.openNew()), "own-thread");
      thread.start();
      thread.join();
    }
  }

  static class Clean {
    @RegisterExtension final BatonTest baton = BatonTest.create();
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    CorrelationScope aroundEachTest;

    // The check runs after @AfterEach: a scope a test's setup opens and its teardown closes is fine.
    @BeforeEach
    void open() {
      aroundEachTest = Baton.openNew();
    }

    @AfterEach
    void shutDown() {
      aroundEachTest.close();
      pool.shutdownNow();
    }

    @Test
    void closes_its_scopes() throws Exception {
      try (CorrelationScope scope = Baton.openNew()) {
        MDC.put("retry_attempt", "1");
        MDC.remove("retry_attempt");
      }
    }

    @Test
    void checked_inside_baton_wrap() throws Exception {
      ExecutorService checked = Baton.wrap(baton.executor(pool));
      try (CorrelationScope scope = Baton.openNew()) {
        checked.submit(() -> Baton.current().orElseThrow()).get();
        checked.invokeAll(List.of(() -> Baton.current().orElseThrow()));
      }
    }

    @Test
    void checked_outside_baton_wrap() throws Exception {
      // The task runs inside the wrapper's correlation: what it began with is not a leak.
      ExecutorService checked = baton.executor(Baton.wrap(pool));
      try (CorrelationScope scope = Baton.openNew()) {
        checked.submit(() -> Baton.current().orElseThrow()).get();
      }
    }
  }

  @Test
  void a_test_that_leaves_a_scope_or_an_mdc_key_on_its_thread_fails() throws Exception {
    Events events = Fixtures.run(LeakingOnTheTestThread.class);

    List<String> failures = Fixtures.failures(events);
    assertEquals(3, events.failed().count(), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("leaves_a_scope_open(): ")
            && f.contains("left Baton state behind on the test thread 'fixture-runner'")
            && f.contains("still current")
            && f.contains("MDC correlation_id='")), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("leaves_an_mdc_key(): ")
        && f.contains("MDC retry_attempt='2'")), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("runs_after_the_scope_leak(): ")
        && f.contains("found on the test thread 'fixture-runner' before runs_after_the_scope_leak()"
            + " started")), failures.toString());
  }

  @Test
  void a_test_whose_tasks_leave_state_on_their_threads_fails() throws Exception {
    Events events = Fixtures.run(LeakingOnAWorker.class);

    List<String> failures = Fixtures.failures(events);
    assertEquals(3, events.failed().count(), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("a_submitted_task_leaves_a_scope_open(): ")
            && f.contains("on thread 'leaky-worker' after a task: correlation '")), failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("an_executed_task_leaves_an_mdc_key(): ")
            && f.contains("on thread 'leaky-worker' after a task: MDC quartz_job='nightly'")),
        failures.toString());
    assertTrue(failures.stream().anyMatch(f -> f.startsWith("a_thread_of_its_own_leaves_a_scope_open(): ")
            && f.contains("on thread 'own-thread' after a task: correlation '")), failures.toString());
  }

  @Test
  void a_test_that_cleans_up_passes() throws Exception {
    Events events = Fixtures.run(Clean.class);

    assertEquals(0, events.failed().count(), Fixtures.failures(events).toString());
    assertEquals(3, events.succeeded().count());
  }

  @Test
  void shutdown_now_returns_the_tasks_as_given() throws Exception {
    CountDownLatch blocking = new CountDownLatch(1);
    ExecutorService pool = BatonTest.create().executor(Executors.newSingleThreadExecutor());
    pool.execute(() -> await(blocking));
    Runnable queued = () -> {};
    pool.execute(queued);

    assertEquals(List.of(queued), pool.shutdownNow());
    assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(pool.isShutdown() && pool.isTerminated());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
