package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.LongStringHelper;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** End to end through the real RabbitMQ server: what the handler's log lines carry. */
class RabbitCorrelationIT {

  private static final Logger log = LoggerFactory.getLogger("email-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private final List<String> queuesToDelete = new ArrayList<>();
  private Connection connection;
  private Channel channel;

  @BeforeEach
  void connect() throws Exception {
    RabbitBroker.require();
    connection = RabbitBroker.connect();
    channel = rabbit.channel(connection.createChannel());
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (connection == null) {
      return;
    }
    try (Channel admin = connection.createChannel()) {
      for (String queue : queuesToDelete) {
        admin.queueDelete(queue);
      }
    }
    connection.close();
  }

  private String queue(Map<String, Object> arguments) throws Exception {
    String name = "baton-it-" + java.util.UUID.randomUUID();
    channel.queueDeclare(name, false, false, false, arguments);
    queuesToDelete.add(name);
    return name;
  }

  /** Consumes {@code queue} through the wrapped channel, logging each message. */
  private BlockingQueue<Delivery> consume(String queue, String what) throws Exception {
    BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    channel.basicConsume(queue, true, (tag, delivery) -> {
      log.info("{} {}", what, new String(delivery.getBody(), StandardCharsets.UTF_8));
      received.add(delivery);
    }, tag -> {});
    return received;
  }

  private static Delivery next(BlockingQueue<Delivery> received) throws InterruptedException {
    Delivery delivery = received.poll(30, TimeUnit.SECONDS);
    assertThat(delivery).as("a delivery within 30 s").isNotNull();
    return delivery;
  }

  @Test
  void handler_logs_under_the_id_the_publisher_had() throws Exception {
    String queue = queue(null);
    BlockingQueue<Delivery> received = consume(queue, "mailing");
    Correlation order = Correlation.newRoot();

    try (CorrelationScope scope = Baton.open(order)) {
      channel.basicPublish("", queue, null, "receipt-1".getBytes(StandardCharsets.UTF_8));
    }
    next(received);

    CapturedLine line = logs.withMessage("mailing receipt-1").get(0);
    assertThat(line.correlationId()).isEqualTo(order.id());
    assertThat(line.parentCorrelationId()).isNull();
    assertThat(line.thread()).isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void child_scope_publishes_its_parent() throws Exception {
    String queue = queue(null);
    BlockingQueue<Delivery> received = consume(queue, "mailing");
    Correlation order = Correlation.newRoot();
    Correlation child;

    try (CorrelationScope scope = Baton.open(order);
        CorrelationScope spawned = Baton.openChild()) {
      child = Baton.current().orElseThrow();
      channel.basicPublish("", queue, new AMQP.BasicProperties(), "child".getBytes(StandardCharsets.UTF_8));
    }
    next(received);

    CapturedLine line = logs.withMessage("mailing child").get(0);
    assertThat(line.correlationId()).isEqualTo(child.id());
    assertThat(line.parentCorrelationId()).isEqualTo(order.id());
  }

  @Test
  void message_published_with_no_context_arrives_with_a_fresh_valid_id() throws Exception {
    String queue = queue(null);
    BlockingQueue<Delivery> received = consume(queue, "mailing");

    channel.basicPublish("", queue, null, "orphan".getBytes(StandardCharsets.UTF_8));
    Delivery delivery = next(received);

    String header = delivery.getProperties().getHeaders().get("correlation_id").toString();
    assertThat(header).matches(Correlation::isValidId);
    assertThat(logs.withMessage("mailing orphan").get(0).correlationId()).isEqualTo(header);
  }

  @Test
  void ids_published_as_string_long_string_and_byte_array_are_all_read() throws Exception {
    String queue = queue(null);
    BlockingQueue<Delivery> received = consume(queue, "typed");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("string", "string-id-00000000001");
    values.put("longstring", LongStringHelper.asLongString("longstring-id-0000001"));
    values.put("bytes", "bytes-id-000000000001".getBytes(StandardCharsets.UTF_8));
    Channel raw = connection.createChannel();
    for (Map.Entry<String, Object> value : values.entrySet()) {
      raw.basicPublish("", queue,
          new AMQP.BasicProperties.Builder().headers(Map.of("correlation_id", value.getValue())).build(),
          value.getKey().getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < values.size(); i++) {
      next(received);
    }

    assertThat(logs.withMessage("typed string").get(0).correlationId()).isEqualTo("string-id-00000000001");
    assertThat(logs.withMessage("typed longstring").get(0).correlationId()).isEqualTo("longstring-id-0000001");
    assertThat(logs.withMessage("typed bytes").get(0).correlationId()).isEqualTo("bytes-id-000000000001");
    assertThat(logs.fromLogger("io.baton")).isEmpty();
    raw.close();
  }

  @Test
  void hostile_header_values_are_delivered_untouched_with_fresh_ids_and_sanitized_warnings()
      throws Exception {
    String queue = queue(null);
    BlockingQueue<Delivery> received = consume(queue, "hostile");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("invalid", "not valid");
    values.put("oversized", "y".repeat(100_000));
    values.put("crlf", "c3a8f2d1-9b24\r\n2026-11-21 INFO forged");
    values.put("nonutf8", new byte[] {(byte) 0xc0, (byte) 0xaf, 0x61});
    values.put("number", 42);
    values.put("table", Map.of("id", "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61"));
    values.put("list", List.of("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61"));
    Channel raw = connection.createChannel();
    for (Map.Entry<String, Object> value : values.entrySet()) {
      Map<String, Object> headers = new HashMap<>();
      headers.put("correlation_id", value.getValue());
      raw.basicPublish("", queue, new AMQP.BasicProperties.Builder().headers(headers).build(),
          ("body-" + value.getKey()).getBytes(StandardCharsets.UTF_8));
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      deliveries.add(next(received));
    }

    assertThat(deliveries).extracting(d -> new String(d.getBody(), StandardCharsets.UTF_8))
        .containsExactly(values.keySet().stream().map(k -> "body-" + k).toArray(String[]::new));
    for (String key : values.keySet()) {
      String id = logs.withMessage("hostile body-" + key).get(0).correlationId();
      assertThat(id).as(key).matches(Correlation::isValidId).isNotEqualTo("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61");
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(values.size());
    assertThat(warnings).allSatisfy(w -> {
      assertThat(w.message()).doesNotContain("\r", "\n", " INFO forged");
      assertThat(w.message().length()).isLessThan(500);
    });
    raw.close();
  }

  @Test
  void basic_get_is_opened_by_hand() throws Exception {
    String queue = queue(null);
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      channel.basicPublish("", queue, null, "polled".getBytes(StandardCharsets.UTF_8));
    }
    GetResponse response = null;
    for (int i = 0; i < 50 && response == null; i++) {
      response = channel.basicGet(queue, true);
      if (response == null) {
        Thread.sleep(100);
      }
    }
    assertThat(response).isNotNull();

    try (CorrelationScope scope = rabbit.open(response)) {
      log.info("got polled message");
    }

    assertThat(logs.withMessage("got polled message").get(0).correlationId()).isEqualTo(order.id());
  }

  @Test
  void rejected_expired_and_overflowing_messages_reach_the_dlq_with_their_id_and_death_facts()
      throws Exception {
    String dlq = queue(null);
    String rejects = queue(Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
    String expiring = queue(Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq, "x-message-ttl", 50));
    String bounded = queue(Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq, "x-max-length", 1));
    BlockingQueue<Delivery> dead = consume(dlq, "dead letter");
    Map<String, Correlation> sent = new HashMap<>();
    for (String kind : List.of("rejected", "expired", "overflowed", "kept")) {
      Correlation correlation = Correlation.newRoot();
      sent.put(kind, correlation);
      String target = kind.equals("rejected") ? rejects : kind.equals("expired") ? expiring : bounded;
      try (CorrelationScope scope = Baton.open(correlation)) {
        channel.basicPublish("", target, null, kind.getBytes(StandardCharsets.UTF_8));
      }
    }
    channel.basicConsume(rejects, false, (tag, delivery) -> {
      log.info("rejecting");
      channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> {});

    for (int i = 0; i < 3; i++) {
      next(dead);
    }

    assertDeadLetter("rejected", sent.get("rejected"), "rejected", rejects);
    assertDeadLetter("expired", sent.get("expired"), "expired", expiring);
    assertDeadLetter("overflowed", sent.get("overflowed"), "maxlen", bounded);
    assertThat(logs.withMessage("rejecting").get(0).correlationId()).isEqualTo(sent.get("rejected").id());
  }

  private void assertDeadLetter(String kind, Correlation sent, String reason, String queue) {
    CapturedLine line = logs.withMessage("dead letter " + kind).get(0);
    assertThat(line.correlationId()).as(kind).isEqualTo(sent.id());
    assertThat(line.mdc()).as(kind)
        .containsEntry("death_count", "1")
        .containsEntry("death_reason", reason)
        .containsEntry("death_queue", queue);
  }
}
