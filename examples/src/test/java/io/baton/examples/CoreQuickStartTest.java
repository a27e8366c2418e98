package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CoreQuickStartTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private CapturedLine line(String message) {
    return logs.withMessage(message).get(0);
  }

  @Test
  void readme_core_example_logs_every_line_under_the_order_or_its_child() throws Exception {
    CoreQuickStart.run();

    String order = line("checkout received").correlationId();
    assertThat(order).isNotNull();
    assertThat(line("charging card").correlationId()).isEqualTo(order);
    assertThat(line("charging card").thread()).isNotEqualTo(line("checkout received").thread());
    assertThat(line("receipt queued").parentCorrelationId()).isEqualTo(order);
    assertThat(line("receipt queued").correlationId()).isNotEqualTo(order);
    assertThat(line("back in the order").correlationId()).isEqualTo(order);
    assertThat(line("back in the order").parentCorrelationId()).isNull();
    assertThat(line("outside any correlation").correlationId()).isNull();
  }

  @Test
  void readme_failure_example_logs_each_failure_under_the_id_of_the_work_that_failed() throws Exception {
    CoreQuickStart.failures();

    CapturedLine task = logs.lines(l -> l.throwable() != null
        && "card declined".equals(l.throwable().getMessage())).get(0);
    assertThat(task.logger()).isEqualTo("io.baton");
    assertThat(task.level()).isEqualTo("ERROR");
    assertThat(task.correlationId()).isNotNull();

    String failedOrder = line("handler failed").correlationId();
    assertThat(failedOrder).isNotNull().isNotEqualTo(task.correlationId());
    assertThat(line("order abandoned").correlationId()).isEqualTo(failedOrder);
    assertThat(line("order abandoned").throwable()).hasMessage("out of stock");
  }
}
