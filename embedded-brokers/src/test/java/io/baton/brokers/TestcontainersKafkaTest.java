package io.baton.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Testcontainers path of {@link EmbeddedKafka} ({@code BATON_KAFKA=testcontainers}). Docker
 * is optional, also in CI: without a daemon the path must fail clearly, and the test that needs a
 * container is skipped.
 */
class TestcontainersKafkaTest {

  @Test
  void without_docker_choosing_testcontainers_fails_with_what_to_do() {
    Assumptions.assumeFalse(TestcontainersKafka.dockerAvailable(), "Docker is here: the container test covers it");

    assertThatThrownBy(TestcontainersKafka::bootstrapServers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Docker daemon")
        .hasMessageContaining("unset it");
  }

  @Test
  void with_docker_the_broker_is_a_container_that_carries_a_record() throws Exception {
    Assumptions.assumeTrue(TestcontainersKafka.dockerAvailable(), "no Docker daemon: the container path is skipped");
    String bootstrap = TestcontainersKafka.bootstrapServers();

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      producer.send(new ProducerRecord<>("containers", "k", "hello")).get();
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "containers",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of("containers"));
      ConsumerRecord<String, String> received = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received = record;
        }
      }
      assertThat(received).isNotNull();
      assertThat(received.value()).isEqualTo("hello");
    }
  }
}
