package io.baton.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.MDC;

class MdcLeakCheckTest {

  /** Not run by the build on its own (no Test suffix); run below through the test kit. */
  static class LeakingFixture {
    @Test
    void leaks_a_correlation_id() {
      MDC.put("correlation_id", "leaked-000000000001");
    }

    @Test
    void cleans_up() {
      MDC.put("correlation_id", "tidy-0000000000000001");
      MDC.remove("correlation_id");
    }
  }

  @Test
  void a_test_that_leaves_a_correlation_in_the_mdc_fails() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(LeakingFixture.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(2).succeeded(1).failed(1))
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                test("leaks_a_correlation_id"),
                finishedWithFailure(message(m -> m.contains("MDC key correlation_id left behind")))));
  }
}
