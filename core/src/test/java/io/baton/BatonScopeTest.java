package io.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class BatonScopeTest {

  private static final Logger log = LoggerFactory.getLogger(BatonScopeTest.class);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final Correlation order = Correlation.of("order-0000000000000001", null);
  private final Correlation receipt = Correlation.of("receipt-000000000000001", order.id());

  @AfterEach
  void contextIsEmptyAgain() {
    assertThat(Baton.current()).isEmpty();
    MDC.remove("user");
  }

  @Test
  void open_makes_the_correlation_current_and_writes_the_mdc() {
    try (CorrelationScope scope = Baton.open(receipt)) {
      assertThat(Baton.current()).contains(receipt);
      assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
      assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());
      log.info("in scope");
    }

    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
    assertThat(MDC.get("parent_correlation_id")).isNull();
    CapturedLine line = logs.withMessage("in scope").get(0);
    assertThat(line.correlationId()).isEqualTo(receipt.id());
    assertThat(line.parentCorrelationId()).isEqualTo(order.id());
  }

  @Test
  void nested_scopes_restore_the_outer_correlation_and_remove_the_parent_of_a_root() {
    try (CorrelationScope outer = Baton.open(receipt)) {
      try (CorrelationScope inner = Baton.open(order)) {
        assertThat(MDC.get("correlation_id")).isEqualTo(order.id());
        assertThat(MDC.get("parent_correlation_id")).as("a root has no parent").isNull();
        log.info("inner");
      }
      assertThat(Baton.current()).contains(receipt);
      assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());
      log.info("outer again");
    }

    assertThat(logs.withMessage("inner").get(0).correlationId()).isEqualTo(order.id());
    assertThat(logs.withMessage("inner").get(0).parentCorrelationId()).isNull();
    assertThat(logs.withMessage("outer again").get(0).correlationId()).isEqualTo(receipt.id());
  }

  @Test
  void an_inner_scope_left_open_is_undone_by_the_outer_close() {
    CorrelationScope outer = Baton.open(order);
    CorrelationScope leaked = Baton.open(receipt); // never closed: a bug in the handler
    assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());

    outer.close();

    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
    assertThat(MDC.get("parent_correlation_id")).as("written by the leaked scope only").isNull();
    assertThat(leaked).isNotNull();
  }

  @Test
  void closing_the_outer_scope_first_leaves_the_thread_as_it_was_whatever_the_inner_close_does_later() {
    CorrelationScope outer = Baton.open(order);
    CorrelationScope inner = Baton.open(receipt);

    outer.close();
    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
    inner.close(); // out of order: must not bring back the outer correlation

    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
    assertThat(MDC.get("parent_correlation_id")).isNull();
  }

  @Test
  void out_of_order_closes_inside_a_request_scope_give_back_the_request_correlation() {
    Correlation request = Correlation.of("request-00000000000001", null);
    try (CorrelationScope around = Baton.open(request)) {
      CorrelationScope outer = Baton.open(order);
      CorrelationScope inner = Baton.open(receipt);
      outer.close();
      inner.close();

      assertThat(Baton.current()).contains(request);
      assertThat(MDC.get("correlation_id")).isEqualTo(request.id());
      assertThat(MDC.get("parent_correlation_id")).isNull();
    }
  }

  @Test
  void a_scope_closed_on_another_thread_corrupts_neither_thread_and_is_warned_about_once()
      throws Exception {
    CorrelationScope opened = Baton.open(order);
    java.util.concurrent.atomic.AtomicReference<String> closerMdc = new java.util.concurrent.atomic.AtomicReference<>();
    Correlation other = Correlation.of("closer-00000000000000001", null);
    Thread closer = new Thread(() -> {
      try (CorrelationScope own = Baton.open(other)) {
        opened.close();
        opened.close();
        closerMdc.set(MDC.get("correlation_id") + "/" + Baton.current().map(Correlation::id).orElse(null));
      }
    });
    closer.start();
    closer.join();

    assertThat(closerMdc).hasValue(other.id() + "/" + other.id());
    assertThat(logs.fromLogger("io.baton")).singleElement()
        .satisfies(line -> assertThat(line.level()).isEqualTo("WARN"));
    // the opener's thread is put back as it was at its next use of Baton
    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
    try (CorrelationScope next = Baton.open(receipt)) {
      assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
    }
    assertThat(MDC.get("correlation_id")).isNull();
    opened.close(); // the opener closing it after all changes nothing more
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void a_scope_inside_the_same_correlation_leaves_the_mdc_as_the_outer_scope_wrote_it() {
    try (CorrelationScope outer = Baton.open(receipt)) {
      try (CorrelationScope same = Baton.open(receipt)) {
        assertThat(Baton.current()).contains(receipt);
        assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
      }
      assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
      assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());
    }
    assertThat(MDC.get("correlation_id")).isNull();
    assertThat(MDC.get("parent_correlation_id")).isNull();
  }

  @Test
  void reopening_the_current_correlation_changes_nothing_and_allocates_no_scope() {
    try (CorrelationScope outer = Baton.open(receipt)) {
      CorrelationScope again = Baton.open(Correlation.of(receipt.id(), order.id()));
      CorrelationScope andAgain = Baton.open(receipt);
      assertThat(again).as("one shared scope for opens that change nothing").isSameAs(andAgain);
      assertThat(Baton.current()).contains(receipt);

      again.close();
      andAgain.close();

      assertThat(Baton.current()).contains(receipt);
      assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
      assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());
    }
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void reopening_the_current_correlation_after_the_mdc_was_cleared_writes_it_again() {
    try (CorrelationScope outer = Baton.open(receipt)) {
      MDC.clear(); // code that "cleans up" the MDC by hand
      try (CorrelationScope again = Baton.open(receipt)) {
        assertThat(MDC.get("correlation_id")).isEqualTo(receipt.id());
        assertThat(MDC.get("parent_correlation_id")).isEqualTo(order.id());
      }
      assertThat(MDC.get("correlation_id")).as("back to what the clear left").isNull();
    }
  }

  @Test
  void close_puts_back_mdc_values_that_were_there_before_and_leaves_other_keys_alone() {
    MDC.put("correlation_id", "legacy-value");
    MDC.put("parent_correlation_id", "legacy-parent");
    MDC.put("user", "u1");
    try {
      try (CorrelationScope scope = Baton.open(order)) {
        assertThat(MDC.get("parent_correlation_id")).isNull();
        MDC.put("user", "u2"); // the handler's own key: not ours to restore
      }

      assertThat(MDC.get("correlation_id")).isEqualTo("legacy-value");
      assertThat(MDC.get("parent_correlation_id")).isEqualTo("legacy-parent");
      assertThat(MDC.get("user")).isEqualTo("u2");
    } finally {
      MDC.remove("correlation_id");
      MDC.remove("parent_correlation_id");
    }
  }

  @Test
  void scope_is_closed_when_the_body_throws() {
    assertThatThrownBy(
            () -> {
              try (CorrelationScope scope = Baton.open(order)) {
                throw new IllegalStateException("handler failed");
              }
            })
        .hasMessage("handler failed");

    assertThat(Baton.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void closing_twice_is_harmless() {
    try (CorrelationScope outer = Baton.open(order)) {
      CorrelationScope inner = Baton.open(receipt);
      inner.close();
      inner.close();

      assertThat(Baton.current()).contains(order);
      assertThat(MDC.get("correlation_id")).isEqualTo(order.id());
    }
  }

  @Test
  void open_new_starts_a_root_even_inside_another_correlation() {
    try (CorrelationScope outer = Baton.open(receipt);
        CorrelationScope fresh = Baton.openNew()) {
      Correlation current = Baton.current().orElseThrow();
      assertThat(current.id()).isNotEqualTo(receipt.id());
      assertThat(current.parentId()).isEmpty();
      assertThat(MDC.get("parent_correlation_id")).isNull();
    }
  }

  @Test
  void open_child_is_a_child_of_the_current_correlation() {
    try (CorrelationScope outer = Baton.open(order);
        CorrelationScope child = Baton.openChild()) {
      log.info("child work");
    }

    CapturedLine line = logs.withMessage("child work").get(0);
    assertThat(line.parentCorrelationId()).isEqualTo(order.id());
    assertThat(line.correlationId()).isNotEqualTo(order.id());
    assertThat(Correlation.isValidId(line.correlationId())).isTrue();
  }

  @Test
  void open_child_without_a_current_correlation_is_a_new_root() {
    try (CorrelationScope child = Baton.openChild()) {
      assertThat(Baton.current().orElseThrow().parentId()).isEmpty();
      assertThat(Correlation.isValidId(MDC.get("correlation_id"))).isTrue();
    }
  }

  @Test
  void open_rejects_null() {
    assertThatThrownBy(() -> Baton.open(null)).isInstanceOf(NullPointerException.class);
  }
}
