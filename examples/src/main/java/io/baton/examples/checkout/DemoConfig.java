package io.baton.examples.checkout;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the demo's brokers are and where it writes its JSON log. Embedded defaults; environment
 * variables {@code KAFKA_BOOTSTRAP_SERVERS}, {@code RABBITMQ_URI} and {@code JMS_BROKER_URL} point
 * it at brokers of your own.
 */
record DemoConfig(
    String kafkaBootstrapServers,
    String rabbitUri,
    String jmsBrokerUrl,
    Path logFile,
    Duration reconcileDelay,
    Duration sweepInterval) {

  static DemoConfig fromEnvironment(Path logFile) {
    return new DemoConfig(
        System.getenv("KAFKA_BOOTSTRAP_SERVERS"),
        System.getenv().getOrDefault("RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672"),
        System.getenv("JMS_BROKER_URL"),
        logFile,
        Duration.ofSeconds(2),
        Duration.ofSeconds(3));
  }
}
