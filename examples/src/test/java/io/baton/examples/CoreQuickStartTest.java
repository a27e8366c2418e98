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
}
