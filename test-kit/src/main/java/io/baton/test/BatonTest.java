package io.baton.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension for tests of code that uses Baton: it fails a test that leaves a correlation
 * or Baton's MDC keys behind, and captures every log line with the IDs it was logged under.
 *
 * <pre>{@code
 * class OrderHandlerTest {
 *   @RegisterExtension final BatonTest baton = BatonTest.create();
 *
 *   // Its tasks are checked too: one that leaves a scope open fails the test.
 *   final ExecutorService pool = Baton.wrap(baton.executor(Executors.newFixedThreadPool(2)));
 *
 *   @Test
 *   void the_order_logs_under_one_correlation() throws Exception {
 *     try (CorrelationScope scope = Baton.openNew()) {
 *       new OrderHandler(pool).handle("A-1");           // logs "received", then "charged" on the pool
 *     }
 *     LogLine received = baton.withMessage("order A-1 received").get(0);
 *     BatonAssertions.assertSameCorrelation(received, baton.withMessage("order A-1 charged").get(0));
 *   }
 * }
 * }</pre>
 *
 * <p><b>The leak check.</b> After each test (and its {@code @AfterEach} methods), the test thread
 * must hold no current correlation ({@code Baton.current()} empty) and none of Baton's MDC keys
 * ({@code correlation_id}, {@code parent_correlation_id}, {@code retry_attempt}, {@code
 * delivery_count}, {@code death_count}, {@code death_reason}, {@code death_queue}, {@code
 * original_destination}, {@code quartz_job}, {@code quartz_trigger}, {@code quartz_fire_id}); a
 * test thread that already holds them before the test fails it too (an earlier test, a
 * {@code @BeforeAll} or a class initializer leaked). An extension cannot see arbitrary threads:
 * other threads are checked where the test runs its work through {@link #executor} or {@link
 * #task}, each task ending with what its thread held when it began. The test fails with an {@link
 * AssertionFailedError} naming each thread and what it left. Leaked MDC keys are taken out so that
 * one leak fails one test; a leaked correlation stays current until its scope is closed (only the
 * scope can undo it), so the tests after it on that thread fail as well.
 *
 * <p><b>Log capture.</b> While a test runs, every line that reaches Logback's root logger (from
 * any thread, at the levels Logback's configuration lets through) is kept as a {@link LogLine},
 * with the MDC of the logging thread. It needs Logback ({@code logback-classic}) as the SLF4J
 * backend; without it {@link #logs()} throws and the leak check still works.
 */
public final class BatonTest implements BeforeEachCallback, AfterEachCallback {

  /** How long the end of a test waits for checked tasks that are still finishing. */
  private static final long FINISHING_MILLIS = 1000;

  private final Queue<LogLine> lines = new ConcurrentLinkedQueue<>();
  private final Queue<String> leaks = new ConcurrentLinkedQueue<>();
  private final Object finishing = new Object();
  private int running;
  private Runnable stopCapture;

  private BatonTest() {}

  /**
   * A new extension, for a {@code @RegisterExtension} field (an instance field, or a static one:
   * either way it checks and captures per test).
   *
   * @return a new extension
   */
  public static BatonTest create() {
    return new BatonTest();
  }

  /** Checks that the test starts clean, and starts capturing. */
  @Override
  public void beforeEach(ExtensionContext context) {
    lines.clear();
    leaks.clear();
    ThreadState state = ThreadState.now();
    if (!state.isEmpty()) {
      ThreadState.restoreMdc(ThreadState.EMPTY);
      throw new AssertionFailedError(
          "Baton state found on the test thread '" + Thread.currentThread().getName()
              + "' before " + context.getDisplayName() + " started (left by an earlier test,"
              + " a @BeforeAll or a class initializer): "
              + state.differencesFrom(ThreadState.EMPTY));
    }
    if (logbackIsTheBackend()) {
      stopCapture = LogbackCapture.start(lines);
    }
  }

  /** Stops capturing (the lines stay readable), and fails the test if it left anything behind. */
  @Override
  public void afterEach(ExtensionContext context) {
    if (stopCapture != null) {
      stopCapture.run();
      stopCapture = null;
    }
    ThreadState state = ThreadState.now();
    if (!state.isEmpty()) {
      ThreadState.restoreMdc(ThreadState.EMPTY);
      leaks.add("on the test thread '" + Thread.currentThread().getName() + "': "
          + state.differencesFrom(ThreadState.EMPTY));
    }
    awaitFinishingTasks();
    if (!leaks.isEmpty()) {
      List<String> found = new ArrayList<>(leaks);
      leaks.clear();
      throw new AssertionFailedError(
          context.getDisplayName() + " left Baton state behind " + String.join(", and ", found)
              + ". Open every CorrelationScope in try-with-resources on the thread that closes"
              + " it, and take out every MDC key you put.");
    }
  }

  /**
   * {@code executor}, with each of its tasks checked: a task that leaves a correlation or Baton's
   * MDC keys on its worker thread (other than what the thread held when it began) fails the test.
   * Works inside or outside {@code Baton.wrap}: {@code Baton.wrap(baton.executor(pool))} and
   * {@code baton.executor(Baton.wrap(pool))} both check. The leaked MDC keys are put back, so
   * the worker is clean for the next task. Wait for the tasks in the test (as an assertion on
   * their work must anyway); a task still running a second after the test is not checked.
   *
   * <pre>{@code
   * ExecutorService pool = Baton.wrap(baton.executor(Executors.newFixedThreadPool(4)));
   * }</pre>
   *
   * @param executor the executor the test's work runs on
   * @return an executor running each task on {@code executor}, checked; shutting it down shuts
   *     down {@code executor}
   */
  public ExecutorService executor(ExecutorService executor) {
    return new CheckingExecutorService(executor, this);
  }

  /**
   * {@code task}, checked when it ends like a task of {@link #executor}: for a thread the test
   * starts itself, {@code new Thread(baton.task(work)).start()}.
   *
   * @param task the work
   * @return {@code task}, checked when it ends
   */
  public Runnable task(Runnable task) {
    return new CheckedTask(Objects.requireNonNull(task, "task"));
  }

  /** A task checked when it ends; keeps the task, for the executor's {@code shutdownNow}. */
  final class CheckedTask implements Runnable {
    final Runnable task;

    CheckedTask(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      ThreadState before = begin();
      try {
        task.run();
      } finally {
        end(before);
      }
    }
  }

  <T> Callable<T> checked(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      ThreadState before = begin();
      try {
        return task.call();
      } finally {
        end(before);
      }
    };
  }

  private ThreadState begin() {
    synchronized (finishing) {
      running++;
    }
    return ThreadState.now();
  }

  private void end(ThreadState before) {
    try {
      String left = ThreadState.now().differencesFrom(before);
      if (left != null) {
        ThreadState.restoreMdc(before);
        leaks.add("on thread '" + Thread.currentThread().getName() + "' after a task: " + left);
      }
    } finally {
      synchronized (finishing) {
        running--;
        finishing.notifyAll();
      }
    }
  }

  /** A task's own completion signal (a latch, a future) can reach the test before its check. */
  private void awaitFinishingTasks() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINISHING_MILLIS);
    synchronized (finishing) {
      long left;
      while (running > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(finishing, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Whether SLF4J is bound to Logback here (Logback's classes may be present but unused). */
  private static boolean logbackIsTheBackend() {
    try {
      Class<?> logback =
          Class.forName("ch.qos.logback.classic.LoggerContext", false, BatonTest.class.getClassLoader());
      return logback.isInstance(LoggerFactory.getILoggerFactory());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Every line captured in the current test (or the last one, after it ended), in logging order.
   *
   * @return a copy: lines logged later are not added to it
   * @throws IllegalStateException when Logback is not the SLF4J backend
   */
  public List<LogLine> logs() {
    if (!logbackIsTheBackend()) {
      throw new IllegalStateException(
          "Log capture needs Logback (ch.qos.logback:logback-classic) as the SLF4J backend");
    }
    return new ArrayList<>(lines);
  }

  /**
   * The captured lines that match {@code filter}.
   *
   * @param filter which lines
   * @return those lines, in logging order
   */
  public List<LogLine> logs(Predicate<LogLine> filter) {
    Objects.requireNonNull(filter, "filter");
    return logs().stream().filter(filter).collect(Collectors.toList());
  }

  /**
   * The captured lines whose message contains {@code text}.
   *
   * @param text part of the formatted message
   * @return those lines, in logging order
   */
  public List<LogLine> withMessage(String text) {
    Objects.requireNonNull(text, "text");
    return logs(line -> line.message() != null && line.message().contains(text));
  }

  /**
   * The captured lines of the logger named {@code name}.
   *
   * @param name the logger's full name
   * @return those lines, in logging order
   */
  public List<LogLine> fromLogger(String name) {
    Objects.requireNonNull(name, "name");
    return logs(line -> name.equals(line.logger()));
  }

  /** Forgets the lines captured so far (capture goes on). */
  public void clearLogs() {
    lines.clear();
  }
}
