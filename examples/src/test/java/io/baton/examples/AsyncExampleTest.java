package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AsyncExampleTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private CapturedLine line(String message) {
    return logs.withMessage(message).get(0);
  }

  @Test
  void readme_async_example_keeps_each_piece_of_work_under_its_own_id() throws Exception {
    AsyncExample.run();

    String order = line("charging 42.00 EUR").correlationId();
    assertThat(order).isNotNull();
    assertThat(line("charged").correlationId()).isEqualTo(order);
    assertThat(line("receipt reminder").correlationId()).isEqualTo(order);
    List<CapturedLine> polls = logs.withMessage("status poll");
    assertThat(polls).isNotEmpty().allSatisfy(poll -> {
      assertThat(poll.parentCorrelationId()).isEqualTo(order);
      assertThat(poll.correlationId()).isNotEqualTo(order);
    });
    assertThat(polls.stream().map(CapturedLine::correlationId).distinct()).hasSize(polls.size());
    assertThat(line("batch item").correlationId()).isNotNull().isNotEqualTo(order);
    assertThat(line("housekeeping").correlationId()).isNull();
  }
}
