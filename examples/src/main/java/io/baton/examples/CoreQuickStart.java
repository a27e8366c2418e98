package io.baton.examples;

import io.baton.Baton;
import io.baton.CorrelationScope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's core example: a scope, a child, and work handed to another thread. */
public final class CoreQuickStart {

  private static final Logger log = LoggerFactory.getLogger(CoreQuickStart.class);

  private CoreQuickStart() {}

  /** Runs the example; every line it logs carries a correlation_id. */
  public static void run() throws InterruptedException {
    ExecutorService pool = Baton.wrap(Executors.newFixedThreadPool(2));
    try (CorrelationScope order = Baton.openNew()) {            // a user clicks "Pay"
      log.info("checkout received");                           // MDC: correlation_id
      pool.submit(() -> log.info("charging card"));           // other thread, same ID
      try (CorrelationScope receipt = Baton.openChild()) {      // work spawned by the order
        log.info("receipt queued");                            // new ID, parent = order's ID
      }
      log.info("back in the order");                           // order's ID again
    }
    log.info("outside any correlation");                       // no correlation_id
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The README's failure example: failed work keeps its ID, also in the line logged later. */
  public static void failures() throws InterruptedException {
    ExecutorService pool = Baton.wrap(Executors.newSingleThreadExecutor());
    try (CorrelationScope order = Baton.openNew()) {
      pool.execute(() -> {
        throw new IllegalStateException("card declined");  // Baton logs it under the order's ID
      });
    }
    try {
      handleOrder();
    } catch (RuntimeException e) {
      try (CorrelationScope failed = Baton.openFailed(e)) {   // where e was thrown
        log.error("order abandoned", e);                      // the failed order's ID
      }
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Work that fails inside its correlation, as a Baton-wrapped handler would. */
  private static void handleOrder() {
    try (CorrelationScope order = Baton.openNew()) {
      try {
        throw new IllegalStateException("out of stock");
      } catch (IllegalStateException e) {
        io.baton.FailureLog.defaults().log(log, e, "handler failed");
        throw e;
      }
    }
  }
}
