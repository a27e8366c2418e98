package io.baton.brokers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka broker as a Testcontainers container, for {@code BATON_KAFKA=testcontainers}: loaded
 * only then, so that the in-JVM broker needs no Testcontainers on the class path.
 */
final class TestcontainersKafka {

  /** The image, {@code BATON_KAFKA_IMAGE} or this default. */
  static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private static KafkaContainer container;

  private TestcontainersKafka() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  static synchronized String bootstrapServers() {
    if (container == null) {
      if (!dockerAvailable()) {
        throw new IllegalStateException(
            "BATON_KAFKA=testcontainers, but no Docker daemon answers; unset it to use the in-JVM broker");
      }
      String image = System.getenv().getOrDefault("BATON_KAFKA_IMAGE", DEFAULT_IMAGE);
      KafkaContainer started = new KafkaContainer(image);
      started.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
      container = started;
    }
    return container.getBootstrapServers();
  }
}
