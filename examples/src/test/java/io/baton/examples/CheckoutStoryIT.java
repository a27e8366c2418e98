package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.baton.Correlation;
import io.baton.examples.checkout.CheckoutDemo;
import io.baton.examples.checkout.DemoConfig;
import io.baton.examples.checkout.Trail;
import io.baton.testing.Brokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole checkout story on real brokers and checks it from the JSON log file. */
class CheckoutStoryIT {

  @TempDir Path dir;

  @Test
  void every_line_of_every_order_carries_that_orders_id_and_the_failed_orders_trail_has_every_hop()
      throws Exception {
    boolean rabbit = Brokers.answers("127.0.0.1", 5672);
    if (!rabbit && Brokers.inCi()) {
      fail("RabbitMQ is not available and CI=true: the story must run every hop in CI");
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CheckoutDemo.Result result = CheckoutDemo.run(
        DemoConfig.embedded(dir.resolve("demo.json")),
        new PrintStream(printed, true, "UTF-8"));

    // The HTTP edge: echoes a valid ID, makes one when missing, replaces an invalid one.
    Map<String, CheckoutDemo.Response> responses = result.responses();
    assertThat(responses.get("A-1001").status()).isEqualTo(202);
    assertThat(responses.get("A-1001").correlationHeader()).startsWith("web-").matches(Correlation::isValidId);
    assertThat(responses.get("B-1002").correlationHeader()).matches(Correlation::isValidId);
    assertThat(responses.get("C-1003").correlationHeader()).matches(Correlation::isValidId)
        .isNotEqualTo("not a valid id!");
    CheckoutDemo.Response bad = responses.get("bad-request");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("\"error\"", "\"code\"", "\"message\"",
        "\"correlation_id\":\"" + bad.correlationHeader() + "\"");
    for (CheckoutDemo.Response response : responses.values()) {
      assertThat(response.body()).contains(response.correlationHeader());
    }

    // Every line about an order carries that order's ID, or a child's whose parent it is;
    // no line under one order's ID talks about another order.
    List<Trail.Event> events = Trail.read(List.of(result.logFile()));
    Map<String, String> orders = Map.of(
        "A-1001", responses.get("A-1001").correlationHeader(),
        "B-1002", responses.get("B-1002").correlationHeader(),
        "C-1003", responses.get("C-1003").correlationHeader());
    for (Trail.Event event : events) {
      for (Map.Entry<String, String> order : orders.entrySet()) {
        String id = order.getValue();
        if (event.message().contains(order.getKey())) {
          assertThat(id.equals(event.id()) || id.equals(event.parentId()))
              .as("%s carries %s's ID", event, order.getKey()).isTrue();
        }
        if (id.equals(event.id()) || id.equals(event.parentId())) {
          for (String other : orders.keySet()) {
            if (!other.equals(order.getKey())) {
              assertThat(event.message()).as("a line under %s's ID", order.getKey()).doesNotContain(other);
            }
          }
        }
      }
    }

    // The failed order's trail has every hop, the spawned reconcile job as a child.
    List<Trail.Event> trail = Trail.trail(events, result.failedOrderId());
    Set<String> components = trail.stream().map(Trail.Event::component).collect(Collectors.toSet());
    assertThat(components).contains("api", "payment-worker", "io.baton.kafka.retry", "payment-dlt",
        "payments-db", "audit", "audit-dlq", "reconcile-job");
    if (rabbit) {
      assertThat(components).contains("email-worker", "email-dlq");
    }
    assertThat(trail.stream().filter(e -> e.message().contains("(attempt "))).hasSize(2);
    // The database step: each attempt's row was written by a session that carried the order's ID.
    assertThat(trail).filteredOn(e -> e.component().equals("payments-db")).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).endsWith("session application_name " + result.failedOrderId() + ")"));
    assertThat(trail.stream().filter(e -> e.message().contains("rolling back"))).hasSize(3);
    assertThat(trail).filteredOn(e -> e.component().equals("reconcile-job"))
        .allSatisfy(e -> assertThat(e.parentId()).isEqualTo(result.failedOrderId()));

    // Failures stay in the trail: no WARN or ERROR line of the whole run lacks a correlation_id
    // (no start-up line needs to: the embedded brokers' own server lines are not the
    // application's log, see DemoLogging), and the failed order's trail holds each hop's failure
    // line, with the exception it carried.
    assertThat(events)
        .filteredOn(e -> e.level().equals("WARN") || e.level().equals("ERROR"))
        .filteredOn(e -> e.id() == null)
        .as("WARN and ERROR lines without a correlation_id")
        .isEmpty();
    assertThat(trail).filteredOn(e -> e.component().equals("io.baton.kafka") && e.level().equals("ERROR"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.exception()).isEqualTo("java.lang.IllegalStateException"));
    assertThat(trail).filteredOn(e -> e.component().equals("io.baton.quartz") && e.level().equals("ERROR"))
        .singleElement()
        .satisfies(e -> assertThat(e.exception()).isEqualTo("java.lang.IllegalStateException"));
    assertThat(trail).filteredOn(e -> e.component().equals("org.quartz.core.JobRunShell"))
        .singleElement()
        .satisfies(e -> assertThat(e.exception()).isEqualTo("java.lang.IllegalStateException"));
    assertThat(trail).filteredOn(e -> e.component().equals("audit") && e.level().equals("WARN")).hasSize(3);
    assertThat(trail).filteredOn(e -> e.component().equals("audit-dlq") && e.level().equals("ERROR")).hasSize(1);
    if (rabbit) {
      assertThat(trail).filteredOn(e -> e.component().equals("email-worker") && e.level().equals("WARN")).hasSize(1);
    }

    // Successful orders: executor fan-out under the order, a child spawned by it, the one-shot job.
    String a = orders.get("A-1001");
    assertThat(events).filteredOn(e -> e.component().equals("loyalty") && a.equals(e.id())).hasSize(1);
    assertThat(events).filteredOn(e -> e.component().equals("fraud-check") && a.equals(e.parentId())).hasSize(1);
    assertThat(events).filteredOn(e -> e.component().equals("reconcile-job") && a.equals(e.id())).hasSize(1);

    // What support is shown, and the picture.
    String shown = printed.toString("UTF-8");
    assertThat(shown).contains("Ask the user for this ID: " + result.failedOrderId(), "payment-dlt", "└ child",
        "[java.lang.IllegalStateException]");
    String html = Files.readString(result.html());
    assertThat(html).contains("<svg", result.failedOrderId()).doesNotContain("<script", "<link", "src=");
  }
}
