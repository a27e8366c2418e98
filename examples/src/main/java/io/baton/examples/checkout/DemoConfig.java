package io.baton.examples.checkout;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the demo's brokers are and where it writes its JSON log. Embedded defaults; environment
 * variables {@code KAFKA_BOOTSTRAP_SERVERS}, {@code RABBITMQ_URI} and {@code JMS_BROKER_URL} point
 * it at brokers of your own, {@code JDBC_URL} (with {@code JDBC_USER}, {@code JDBC_PASSWORD}) the
 * payment worker at a PostgreSQL database instead of H2 in memory.
 */
public record DemoConfig(
    String kafkaBootstrapServers,
    String rabbitUri,
    String jmsBrokerUrl,
    String jdbcUrl,
    Path logFile,
    Duration reconcileDelay,
    Duration sweepInterval) {

  /** Embedded Kafka and Artemis, RabbitMQ on localhost, JSON log to {@code logFile}. */
  public static DemoConfig embedded(Path logFile) {
    return new DemoConfig(null, "amqp://guest:guest@127.0.0.1:5672", null, null, logFile,
        Duration.ofSeconds(2), Duration.ofSeconds(3));
  }

  /** The embedded defaults, overridden by the environment variables above. */
  public static DemoConfig fromEnvironment(Path logFile) {
    return new DemoConfig(
        System.getenv("KAFKA_BOOTSTRAP_SERVERS"),
        System.getenv().getOrDefault("RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672"),
        System.getenv("JMS_BROKER_URL"),
        System.getenv("JDBC_URL"),
        logFile,
        Duration.ofSeconds(2),
        Duration.ofSeconds(3));
  }
}
