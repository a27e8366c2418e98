package io.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.brokers.KafkaHalts;

import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

class KafkaHaltsTest {

  @Test
  void a_kafka_halt_is_recorded_instead_of_ending_the_jvm() {
    KafkaHalts earlier = KafkaHalts.intercept();
    Exit.halt(1, "all log dirs have failed"); // without the interception, this test JVM ends here
    KafkaHalts later = KafkaHalts.intercept();
    Exit.exit(2, "fatal");

    assertThat(earlier.recorded()).hasSize(2);
    assertThat(earlier.recorded().get(0)).startsWith("halt(1) on ").endsWith(": all log dirs have failed");
    assertThat(later.recorded()).singleElement().asString().startsWith("exit(2) on ").endsWith(": fatal");
  }
}
