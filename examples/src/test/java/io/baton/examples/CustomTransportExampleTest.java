package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.examples.CustomTransportExample.Envelope;
import io.baton.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CustomTransportExampleTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void receiver_logs_under_the_id_the_sender_had() {
    Correlation order = Correlation.of("order-0000000000000042", null);
    Envelope envelope;
    try (CorrelationScope scope = Baton.open(order)) {
      envelope = CustomTransportExample.send("pay 10 EUR");
    }

    CustomTransportExample.receive(envelope);

    assertThat(envelope.header("correlation_id")).isEqualTo(order.id());
    assertThat(logs.withMessage("handling pay 10 EUR").get(0).correlationId())
        .isEqualTo(order.id());
  }
}
