package io.baton.kafka.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.brokers.EmbeddedKafka;
import io.baton.testing.LogCapture;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The wrapper named where it has no effect is warned about at start-up; named right, it is not. */
class MisconfigurationIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void a_topology_built_without_the_wrapper_is_warned_about_once() throws Exception {
    assertThat(warningsAfterStarting(new StreamsBuilder(), StreamsTesting.props())).hasSize(1);
  }

  @Test
  void a_topology_built_with_the_wrapper_is_not_warned_about() throws Exception {
    Properties props = StreamsTesting.props();
    assertThat(warningsAfterStarting(new StreamsBuilder(new TopologyConfig(new StreamsConfig(props))), props))
        .isEmpty();
  }

  private List<?> warningsAfterStarting(StreamsBuilder builder, Properties props) throws Exception {
    String topic = EmbeddedKafka.topics("orders").get(0);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    builder.<String, String>stream(topic).mapValues(v -> v).to(topic + "-out");
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      StreamsTesting.awaitRunning(streams);
    }
    String id = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    return logs.lines(line -> line.level().equals("WARN") && line.message().startsWith("Application " + id + " names"));
  }
}
