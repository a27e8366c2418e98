package io.baton.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the entry class does without a broker. */
class JmsCorrelationTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final JmsCorrelation jms = JmsCorrelation.create();

  @Test
  void open_of_null_what_an_idle_receive_returns_throws_and_logs_nothing() {
    assertThatThrownBy(() -> jms.open(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("receive(timeout) returns null");
    assertThatThrownBy(() -> jms.extract(null)).isInstanceOf(NullPointerException.class);
    assertThat(logs.lines()).isEmpty();
  }
}
