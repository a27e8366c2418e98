package io.baton.examples;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's async example: futures, a scheduler, a pool bound to one batch, a clean task. */
public final class AsyncExample {

  private static final Logger log = LoggerFactory.getLogger(AsyncExample.class);

  private AsyncExample() {}

  /** Runs the example; returns after every task it started has run. */
  public static void run() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ScheduledExecutorService scheduler = Baton.wrap(Executors.newScheduledThreadPool(1));
    try (CorrelationScope order = Baton.openNew()) {
      CompletableFuture.supplyAsync(Baton.wrapSupplier(() -> "42.00 EUR"))     // common pool
          .thenApplyAsync(Baton.wrapFunction(quote -> {
            log.info("charging {}", quote);                                     // the order's ID
            return quote;
          }), pool)
          .whenComplete(Baton.wrapBiConsumer((quote, error) -> log.info("charged")))
          .get(5, TimeUnit.SECONDS);

      scheduler.schedule(() -> log.info("receipt reminder"), 10, TimeUnit.MILLISECONDS)
          .get(5, TimeUnit.SECONDS);                                            // the order's ID
      ScheduledFuture<?> sweep = scheduler.scheduleAtFixedRate(
          () -> log.info("status poll"), 0, 10, TimeUnit.MILLISECONDS);          // a child per run
      Thread.sleep(50);
      sweep.cancel(false);
    }

    Correlation batch = Correlation.newRoot();
    ExecutorService batchPool = Baton.wrap(pool, batch);                        // bound to one batch
    batchPool.submit(() -> log.info("batch item")).get(5, TimeUnit.SECONDS);    // the batch's ID

    try (CorrelationScope none = Baton.openEmpty()) {                          // no correlation
      log.info("housekeeping");
    }
    scheduler.shutdown();
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
  }
}
