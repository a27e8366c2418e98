package io.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Reactor's automatic context propagation carrying Baton's correlation across its schedulers. */
class ReactorPropagationTest {

  private static final Logger LOG = LoggerFactory.getLogger("app.reactive");

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void enable() {
    Hooks.enableAutomaticContextPropagation();
  }

  @AfterAll
  static void disable() {
    Hooks.disableAutomaticContextPropagation();
  }

  @Test
  void a_mono_that_hops_to_the_parallel_scheduler_logs_under_the_subscribers_correlation()
      throws Exception {
    Correlation request = Correlation.of("mono-0123456789abcdef", "edge-0123456789abcdef");
    String result;
    try (CorrelationScope scope = Baton.open(request)) {
      result = Mono.just("order-1")
          .publishOn(Schedulers.parallel())
          .doOnNext(order -> LOG.info("priced {}", order))
          .map(order -> order + "@" + Thread.currentThread().getName())
          .delayElement(Duration.ofMillis(5))
          .doOnNext(order -> LOG.info("shipped {}", order))
          .block(Duration.ofSeconds(10));
    }

    assertThat(result).contains("@parallel-");
    List<CapturedLine> lines = logs.fromLogger("app.reactive");
    assertThat(lines).hasSize(2).allSatisfy(line -> {
      assertThat(line.thread()).startsWith("parallel-");
      assertThat(line.correlationId()).isEqualTo("mono-0123456789abcdef");
      assertThat(line.parentCorrelationId()).isEqualTo("edge-0123456789abcdef");
    });
    assertReactorThreadsAreClean();
  }

  @Test
  void two_subscribers_each_keep_their_own_correlation_on_shared_threads() throws Exception {
    Flux<Integer> work = Flux.range(1, 20)
        .parallel(2)
        .runOn(Schedulers.parallel())
        .doOnNext(i -> LOG.info("item {}", i))
        .sequential();
    for (String id : new String[] {"first-0123456789abcdef", "second-0123456789abcdef"}) {
      try (CorrelationScope scope = Baton.open(Correlation.of(id, null))) {
        work.blockLast(Duration.ofSeconds(10));
      }
    }

    List<CapturedLine> lines = logs.fromLogger("app.reactive");
    assertThat(lines).hasSize(40);
    assertThat(lines.subList(0, 20))
        .allSatisfy(line -> assertThat(line.correlationId()).isEqualTo("first-0123456789abcdef"));
    assertThat(lines.subList(20, 40))
        .allSatisfy(line -> assertThat(line.correlationId()).isEqualTo("second-0123456789abcdef"));
    assertReactorThreadsAreClean();
  }

  @Test
  void a_subscriber_without_a_correlation_clears_one_a_scheduler_thread_holds() throws Exception {
    // A scheduler thread that holds a correlation of its own (opened by other code on it).
    CountDownLatch opened = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    var single = Schedulers.newSingle("holder");
    try {
      single.schedule(() -> {
        try (CorrelationScope own = Baton.open(Correlation.of("stale-0123456789abcdef", null))) {
          opened.countDown();
          Mono.just("x")
              .doOnNext(x -> seen.add(MDC.get(Baton.ID_KEY) + "|" + Baton.current().isPresent()))
              .contextWrite(context -> context.delete(CorrelationThreadLocalAccessor.KEY))
              .subscribe();
          seen.add("after " + MDC.get(Baton.ID_KEY));
        }
        done.countDown();
      });
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      single.dispose();
    }
    assertThat(opened.getCount()).isZero();
    assertThat(seen).containsExactly("null|false", "after stale-0123456789abcdef");
  }

  /** Runs plain tasks (no Reactor operator restores anything for them) on every parallel worker. */
  private static void assertReactorThreadsAreClean() throws Exception {
    int tasks = 4 * Schedulers.DEFAULT_POOL_SIZE;
    CountDownLatch ran = new CountDownLatch(tasks);
    List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < tasks; i++) {
      Schedulers.parallel().schedule(() -> {
        if (Baton.current().isPresent() || MDC.get(Baton.ID_KEY) != null
            || MDC.get(Baton.PARENT_KEY) != null) {
          leaks.add(Thread.currentThread().getName() + " " + MDC.get(Baton.ID_KEY));
        }
        ran.countDown();
      });
    }
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(leaks).isEmpty();
  }
}
