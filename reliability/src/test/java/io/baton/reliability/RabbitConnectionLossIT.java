package io.baton.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.testing.Brokers;
import io.baton.testing.RabbitCtl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The server closes every connection mid-stream. With automatic recovery and publisher confirms,
 * every confirmed message arrives under the ID it was published with, and the recovered channels
 * keep propagating.
 */
class RabbitConnectionLossIT {

  private static final int MESSAGES = 2_000;
  private static final LongAdder RETRIES = new LongAdder();

  private static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(300);
    return factory;
  }

  @Test
  void every_confirmed_message_arrives_with_its_id_across_a_connection_loss() throws Exception {
    Brokers.require(Brokers.answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672");
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    String queue = "loss-" + UUID.randomUUID();
    Map<String, String> sentIds = new ConcurrentHashMap<>();
    Map<String, String> receivedIds = new ConcurrentHashMap<>();
    try (Connection publishing = factory().newConnection("baton-publisher");
        Connection consuming = factory().newConnection("baton-consumer")) {
      Channel publisher = rabbit.channel(publishing.createChannel());
      publisher.queueDeclare(queue, true, false, false, null);
      publisher.confirmSelect();
      Channel consumer = rabbit.channel(consuming.createChannel());
      consumer.basicConsume(queue, false, (tag, delivery) -> {
        receivedIds.merge(delivery.getProperties().getMessageId(), String.valueOf(MDC.get("correlation_id")),
            (a, b) -> a.equals(b) ? a : "conflict " + a + " " + b);
        consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
      }, tag -> {});

      CountDownLatch recovered = new CountDownLatch(2);
      for (Connection connection : List.of(publishing, consuming)) {
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
          @Override
          public void handleRecovery(Recoverable recoverable) {
            recovered.countDown();
          }

          @Override
          public void handleRecoveryStarted(Recoverable recoverable) {}
        });
      }
      for (int i = 0; i < MESSAGES; i++) {
        if (i == MESSAGES / 3) {
          RabbitCtl.run("close_all_connections", "baton fault test"); // mid-stream: the next publishes meet a closed channel
        }
        String key = "mail-" + i;
        try (CorrelationScope scope = Baton.openNew()) {
          sentIds.put(key, Baton.current().orElseThrow().id());
          publishUntilConfirmed(publisher, queue, key);
        }
      }
      assertThat(recovered.await(60, TimeUnit.SECONDS)).as("both connections recovered").isTrue();
      assertThat(RETRIES.sum()).as("publishes that met the outage and were retried").isPositive();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (receivedIds.size() < MESSAGES && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      try (Channel admin = publishing.createChannel()) {
        admin.queueDelete(queue);
      }
    }

    assertThat(receivedIds).hasSize(MESSAGES);
    assertThat(receivedIds).isEqualTo(sentIds);
  }

  /** Retries inside the same scope, so a republished message keeps its ID. */
  private static void publishUntilConfirmed(Channel channel, String queue, String key) throws Exception {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder().messageId(key).deliveryMode(2).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        channel.basicPublish("", queue, properties, key.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        RETRIES.increment();
        Thread.sleep(200); // the connection is recovering
      }
    }
  }
}
