package io.baton.examples;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.rabbitmq.RabbitRetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The README's RabbitMQ quick start: wrap the channel, consume, dead letters, retries. */
public final class RabbitQuickStart {

  private static final Logger log = LoggerFactory.getLogger(RabbitQuickStart.class);

  private RabbitQuickStart() {}

  /** Publish and consume through a wrapped channel. */
  public static void publishAndConsume(ConnectionFactory factory) throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Connection connection = factory.newConnection();
    Channel channel = rabbit.channel(connection.createChannel());

    channel.basicConsume("email", true, (tag, delivery) ->
        log.info("sending mail"),                      // MDC: the message's correlation_id
        tag -> {});
    channel.basicPublish("notifications", "email", null,  // headers: correlation_id (+ parent)
        "receipt".getBytes(StandardCharsets.UTF_8));
  }

  /** A dead-letter exchange: rejected messages arrive at the DLQ with their original ID. */
  public static void deadLetters(Channel channel, RabbitCorrelation rabbit) throws Exception {
    channel.exchangeDeclare("notifications.dlx", "fanout", true);
    channel.queueDeclare("email.dlq", true, false, false, null);
    channel.queueBind("email.dlq", "notifications.dlx", "");
    channel.queueDeclare("email", true, false, false,
        Map.of("x-dead-letter-exchange", "notifications.dlx"));

    channel.basicConsume("email", false, (tag, delivery) ->
        channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false), tag -> {});
    channel.basicConsume("email.dlq", true, (tag, delivery) ->
        log.warn("undeliverable mail"),   // MDC: correlation_id, death_count, death_reason, death_queue
        tag -> {});
  }

  /** Two attempts in place, then three trips through email.retry 30 s apart, then park. */
  public static void retries(Channel channel, RabbitCorrelation rabbit) throws Exception {
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder()
        .queue("email")
        .attempts(2).backoff(Duration.ofMillis(500))       // in place, same delivery
        .retryHops(3).retryDelay(Duration.ofSeconds(30))   // then through email.retry
        .build();                                          // then email.parking
    policy.declareTopology(channel);                       // email.retry and email.parking, first
    channel.basicQos(10);
    channel.basicConsume("email", false,
        rabbit.retrying(delivery -> Smtp.send(delivery.getBody()), channel, policy), tag -> {});
  }

  /** amqp-client's own line about a failed consumer carries the delivery's ID too. */
  public static Connection failures(ConnectionFactory factory, RabbitCorrelation rabbit) throws Exception {
    factory.setExceptionHandler(rabbit.exceptionHandler(factory.getExceptionHandler()));
    return factory.newConnection();
  }

  /** Baton's failure line at WARN instead of ERROR, or off when handlers log their own. */
  public static RabbitCorrelation quieterFailures() {
    return RabbitCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build();
  }

  /** basicGet and manual handling. */
  public static void poll(Channel channel, RabbitCorrelation rabbit) throws Exception {
    var response = channel.basicGet("email", true);
    if (response != null) {
      try (CorrelationScope scope = rabbit.open(response)) {
        log.info("polled mail");
      }
    }
  }

  /** Stands in for a mail server. */
  static final class Smtp {
    private Smtp() {}

    static void send(byte[] mail) throws java.io.IOException {
      log.info("sent {} bytes", mail.length);
    }
  }
}
