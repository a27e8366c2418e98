package io.baton.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class BatonTestLogCaptureTest {

  private static final Logger LOG = LoggerFactory.getLogger("orders");
  private static final Logger OTHER = LoggerFactory.getLogger("payments");

  @RegisterExtension final BatonTest baton = BatonTest.create();

  private final ExecutorService pool =
      Baton.wrap(baton.executor(Executors.newSingleThreadExecutor(task -> new Thread(task, "worker"))));

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }

  @Test
  void a_line_logged_in_a_scope_carries_its_correlation_and_parent() {
    Correlation parent = Correlation.newRoot();
    Correlation child = parent.newChild();
    RuntimeException failure = new IllegalStateException("card declined");

    try (CorrelationScope scope = Baton.open(child)) {
      MDC.put("tenant", "acme");
      try {
        LOG.warn("order {} rejected", 42, failure);
      } finally {
        MDC.remove("tenant");
      }
    }
    LOG.info("outside any scope");

    LogLine line = baton.withMessage("order 42 rejected").get(0);
    assertEquals(child.id(), line.correlationId());
    assertEquals(parent.id(), line.parentCorrelationId());
    assertEquals("acme", line.mdc().get("tenant"));
    assertEquals(Level.WARN, line.level());
    assertEquals("orders", line.logger());
    assertEquals(Thread.currentThread().getName(), line.thread());
    assertSame(failure, line.throwable());

    LogLine outside = baton.withMessage("outside any scope").get(0);
    assertNull(outside.correlationId());
    assertNull(outside.parentCorrelationId());
    assertNull(outside.throwable());
  }

  @Test
  void a_line_logged_on_a_wrapped_executors_thread_carries_the_submitters_correlation()
      throws Exception {
    String id;
    try (CorrelationScope scope = Baton.openNew()) {
      id = Baton.current().orElseThrow().id();
      LOG.info("order received");
      pool.submit(() -> OTHER.info("card charged")).get();
    }

    LogLine charged = baton.withMessage("card charged").get(0);
    assertEquals("worker", charged.thread());
    assertEquals(id, charged.correlationId());
    assertEquals(id, baton.withMessage("order received").get(0).correlationId());
  }

  @Test
  void finders_select_by_message_and_logger_in_logging_order() {
    LOG.info("first");
    OTHER.info("second");
    LOG.debug("third");

    assertEquals(List.of("first", "third"), messages(baton.fromLogger("orders")));
    assertEquals(List.of("second"), messages(baton.withMessage("sec")));
    assertEquals(List.of("first", "second", "third"), messages(baton.logs()));
    assertEquals(List.of("third"), messages(baton.logs(line -> line.level() == Level.DEBUG)));

    baton.clearLogs();
    assertTrue(baton.logs().isEmpty());
  }

  @Test
  void each_test_starts_with_no_lines_and_the_list_is_a_copy() {
    LOG.info("mine");
    List<LogLine> lines = baton.logs();
    assertEquals(List.of("mine"), messages(lines));
    assertThrows(UnsupportedOperationException.class, () -> lines.get(0).mdc().put("k", "v"));
    LOG.info("later");
    assertEquals(1, lines.size());
    assertNotEquals(lines, baton.logs());
  }

  private static List<String> messages(List<LogLine> lines) {
    return lines.stream().map(LogLine::message).toList();
  }
}
