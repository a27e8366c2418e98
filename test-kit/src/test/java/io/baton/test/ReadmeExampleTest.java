package io.baton.test;

import static io.baton.test.BatonAssertions.assertChildOf;
import static io.baton.test.BatonAssertions.assertSameCorrelation;

import io.baton.Baton;
import io.baton.CorrelationScope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's "Testing your code: baton-test" snippet, as it is there (keep them the same). */
class ReadmeExampleTest {

  /** The user's code under test: logs, hands work to a pool, spawns a child for the reminder. */
  static final class OrderHandler {
    private static final Logger log = LoggerFactory.getLogger(OrderHandler.class);
    private final ExecutorService pool;

    OrderHandler(ExecutorService pool) {
      this.pool = pool;
    }

    void handle(String order) throws Exception {
      log.info("order {} received", order);
      pool.submit(() -> log.info("order {} charged", order)).get();
      try (CorrelationScope reminder = Baton.openChild()) {
        log.info("reminder for {} scheduled", order);
      }
    }
  }

  // --- README snippet starts
  @RegisterExtension final BatonTest baton = BatonTest.create();

  // Its tasks are checked too: one that leaves a scope open fails the test.
  final ExecutorService pool = Baton.wrap(baton.executor(Executors.newFixedThreadPool(2)));

  @Test
  void the_whole_order_logs_under_one_correlation() throws Exception {
    try (CorrelationScope scope = Baton.openNew()) {
      new OrderHandler(pool).handle("A-1");
    }

    LogLine received = baton.withMessage("order A-1 received").get(0);
    assertSameCorrelation(received, baton.withMessage("order A-1 charged").get(0));
    assertChildOf(baton.withMessage("reminder for A-1").get(0), received);
  }
  // --- README snippet ends

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }
}
