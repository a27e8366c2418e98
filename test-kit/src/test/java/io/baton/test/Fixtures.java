package io.baton.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs a fixture class through JUnit's engine, the way a user's build would run it. */
final class Fixtures {

  private Fixtures() {}

  /**
   * The test events of running {@code fixture}, on a thread of their own: a fixture that leaks a
   * correlation leaves it on that thread, not on the thread of the test that ran it.
   */
  static Events run(Class<?> fixture) throws InterruptedException {
    AtomicReference<Events> events = new AtomicReference<>();
    Thread runner =
        new Thread(
            () ->
                events.set(
                    EngineTestKit.engine("junit-jupiter")
                        .selectors(selectClass(fixture))
                        .execute()
                        .testEvents()),
            "fixture-runner");
    runner.start();
    runner.join();
    return events.get();
  }

  /** The failure messages of the failed tests, by display name: "name: message". */
  static List<String> failures(Events events) {
    return events.failed().stream().map(Fixtures::failure).collect(Collectors.toList());
  }

  private static String failure(Event event) {
    Throwable thrown =
        event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow();
    return event.getTestDescriptor().getDisplayName() + ": " + thrown.getMessage();
  }
}
