package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/** Failures and warnings about a delivery land in that delivery's trail (issue 16). */
class RabbitFailureIT {

  private static final Logger log = LoggerFactory.getLogger("email-worker");
  private static final String CLIENT_LOGGER = "com.rabbitmq.client.impl.ForgivingExceptionHandler";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final List<String> queues = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  @BeforeEach
  void requireBroker() {
    RabbitBroker.require();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Connection connection : connections) {
      if (connection.isOpen()) {
        connection.close();
      }
    }
    if (queues.isEmpty()) {
      return;
    }
    try (Connection admin = RabbitBroker.connect(); Channel channel = admin.createChannel()) {
      for (String queue : queues) {
        channel.queueDelete(queue);
      }
    }
  }

  private Connection connect(ConnectionFactory factory) throws Exception {
    Connection connection = factory.newConnection("baton-failure-it");
    connections.add(connection);
    return connection;
  }

  private String queue(Channel channel, Map<String, Object> arguments) throws Exception {
    String name = "baton-failure-" + UUID.randomUUID();
    queues.add(name);
    channel.queueDeclare(name, arguments != null && "quorum".equals(arguments.get("x-queue-type")),
        false, false, arguments);
    return name;
  }

  /** Publishes {@code body} under a child of a fresh root; returns {root, child}. */
  private static Correlation[] publishAsChild(Channel wrapped, String queue, String body) throws Exception {
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order); CorrelationScope child = Baton.openChild()) {
      Correlation sent = Baton.current().orElseThrow();
      wrapped.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
      return new Correlation[] {order, sent};
    }
  }

  private List<CapturedLine> batonFailureLines(Throwable failure) {
    return logs.lines(line -> line.logger().equals("io.baton.rabbitmq") && line.throwable() == failure);
  }

  /** Records what amqp-client's exception handler saw, then lets the real one log it. */
  private static final class Recording implements ExceptionHandler {
    final ExceptionHandler client = new ForgivingExceptionHandler();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    final BlockingQueue<String> idsSeen = new LinkedBlockingQueue<>();

    @Override
    public void handleConsumerException(Channel channel, Throwable exception, Consumer consumer,
        String consumerTag, String methodName) {
      idsSeen.add(String.valueOf(MDC.get("correlation_id")));
      client.handleConsumerException(channel, exception, consumer, consumerTag, methodName);
      failures.add(exception);
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
      client.handleUnexpectedConnectionDriverException(conn, exception);
    }

    @Override
    public void handleReturnListenerException(Channel channel, Throwable exception) {
      client.handleReturnListenerException(channel, exception);
    }

    @Override
    public void handleConfirmListenerException(Channel channel, Throwable exception) {
      client.handleConfirmListenerException(channel, exception);
    }

    @Override
    public void handleBlockedListenerException(Connection connection, Throwable exception) {
      client.handleBlockedListenerException(connection, exception);
    }

    @Override
    public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
      client.handleConnectionRecoveryException(conn, exception);
    }

    @Override
    public void handleChannelRecoveryException(Channel ch, Throwable exception) {
      client.handleChannelRecoveryException(ch, exception);
    }

    @Override
    public void handleTopologyRecoveryException(Connection conn, Channel ch,
        com.rabbitmq.client.TopologyRecoveryException exception) {
      client.handleTopologyRecoveryException(conn, ch, exception);
    }
  }

  @Test
  void throwing_consumer_is_logged_once_under_the_delivery_id_and_the_client_line_carries_it_too()
      throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Recording recording = new Recording();
    ConnectionFactory factory = RabbitBroker.factory();
    factory.setExceptionHandler(recording);
    factory.setExceptionHandler(rabbit.exceptionHandler(factory.getExceptionHandler()));
    Connection connection = connect(factory);
    Channel channel = rabbit.channel(connection.createChannel());
    String queue = queue(channel, null);
    BlockingQueue<RuntimeException> thrown = new LinkedBlockingQueue<>();
    channel.basicConsume(queue, true, new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        log.info("sending mail");
        RuntimeException failure = new IllegalStateException("smtp down");
        thrown.add(failure);
        throw failure;
      }
    });

    Correlation[] sent = publishAsChild(channel, queue, "mail");
    Throwable reached = recording.failures.poll(30, TimeUnit.SECONDS);

    RuntimeException failure = thrown.poll(1, TimeUnit.SECONDS);
    assertThat(reached).as("the exception reaches amqp-client unchanged").isSameAs(failure);
    assertThat(recording.idsSeen.poll()).isEqualTo(sent[1].id());
    List<CapturedLine> lines = batonFailureLines(failure);
    assertThat(lines).hasSize(1);
    CapturedLine line = lines.get(0);
    assertThat(line.level()).isEqualTo("ERROR");
    assertThat(line.correlationId()).isEqualTo(sent[1].id());
    assertThat(line.parentCorrelationId()).isEqualTo(sent[0].id());
    assertThat(line.message()).contains(queue).doesNotContain("smtp down");
    assertThat(logs.withMessage("sending mail").get(0).correlationId()).isEqualTo(sent[1].id());
    CapturedLine client = logs.fromLogger(CLIENT_LOGGER).get(0);
    assertThat(client.throwable()).isSameAs(failure);
    assertThat(client.correlationId()).isEqualTo(sent[1].id());
    assertThat(client.parentCorrelationId()).isEqualTo(sent[0].id());
  }

  /** Consumes through a raw channel, calling {@code wrapped} so its caller's view can be checked. */
  private static void consumeCalling(Channel raw, String queue, DeliverCallback wrapped,
      BlockingQueue<Throwable> caught, BlockingQueue<String> mdcAfter) throws Exception {
    raw.basicConsume(queue, true, (tag, delivery) -> {
      try {
        wrapped.handle(tag, delivery);
      } catch (RuntimeException e) {
        caught.add(e);
      } finally {
        mdcAfter.add(String.valueOf(MDC.get("correlation_id")));
      }
    }, tag -> {});
  }

  @Test
  void throwing_deliver_callback_is_logged_once_under_the_delivery_id_and_rethrown_unchanged()
      throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Connection connection = connect(RabbitBroker.factory());
    Channel raw = connection.createChannel();
    Channel publisher = rabbit.channel(connection.createChannel());
    String queue = queue(raw, null);
    BlockingQueue<Throwable> thrown = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> caught = new LinkedBlockingQueue<>();
    BlockingQueue<String> mdcAfter = new LinkedBlockingQueue<>();
    // wrapped twice: still one line
    DeliverCallback callback = rabbit.deliverCallback(rabbit.deliverCallback((tag, delivery) -> {
      RuntimeException failure = new IllegalArgumentException("bad address");
      thrown.add(failure);
      throw failure;
    }));
    consumeCalling(raw, queue, callback, caught, mdcAfter);

    Correlation[] sent = publishAsChild(publisher, queue, "mail");

    Throwable failure = caught.poll(30, TimeUnit.SECONDS);
    assertThat(failure).isSameAs(thrown.poll());
    assertThat(mdcAfter.poll(1, TimeUnit.SECONDS)).isEqualTo("null");
    List<CapturedLine> lines = batonFailureLines(failure);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).correlationId()).isEqualTo(sent[1].id());
    assertThat(lines.get(0).parentCorrelationId()).isEqualTo(sent[0].id());
    assertThat(lines.get(0).level()).isEqualTo("ERROR");
    assertThat(logs.lines(l -> l.throwable() == failure)).hasSize(1);
  }

  @Test
  void failure_log_off_silences_baton_and_at_warn_changes_the_level() throws Exception {
    Connection connection = connect(RabbitBroker.factory());
    Channel raw = connection.createChannel();
    Channel publisher = RabbitCorrelation.create().channel(connection.createChannel());
    Map<String, Throwable> failures = new HashMap<>();
    for (FailureLog option : List.of(FailureLog.off(), FailureLog.at(Level.WARN))) {
      RabbitCorrelation rabbit = RabbitCorrelation.newBuilder().failureLog(option).build();
      String queue = queue(raw, null);
      BlockingQueue<Throwable> caught = new LinkedBlockingQueue<>();
      BlockingQueue<String> mdcAfter = new LinkedBlockingQueue<>();
      consumeCalling(raw, queue, rabbit.deliverCallback((tag, delivery) -> {
        throw new IllegalStateException("smtp down");
      }), caught, mdcAfter);
      publishAsChild(publisher, queue, "mail");
      Throwable failure = caught.poll(30, TimeUnit.SECONDS);
      assertThat(failure).isNotNull();
      failures.put(option.toString(), failure);
    }

    assertThat(batonFailureLines(failures.get(FailureLog.off().toString()))).isEmpty();
    List<CapturedLine> warn = batonFailureLines(failures.get(FailureLog.at(Level.WARN).toString()));
    assertThat(warn).extracting(CapturedLine::level).containsExactly("WARN");
  }

  @Test
  void warnings_about_a_dead_letter_carry_the_id_it_is_handled_with_and_its_death_fields()
      throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Connection connection = connect(RabbitBroker.factory());
    Channel raw = connection.createChannel();
    Channel channel = rabbit.channel(connection.createChannel());
    String dlq = queue(raw, null);
    String expiring = queue(raw, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq,
        "x-message-ttl", 10));
    BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    channel.basicConsume(dlq, true, (tag, delivery) -> {
      String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
      log.info("dead letter {}", body);
      handled.add(body);
    }, tag -> {});
    Map<String, Map<String, Object>> kinds = new HashMap<>();
    kinds.put("wrongtype", Map.of("correlation_id", 42));
    kinds.put("invalid", Map.of("correlation_id", "not valid\r\nforged"));
    kinds.put("badparent", Map.of("correlation_id", "valid-id-000000000001", "parent_correlation_id", 7));
    for (Map.Entry<String, Map<String, Object>> kind : kinds.entrySet()) {
      raw.basicPublish("", expiring, new AMQP.BasicProperties.Builder().headers(kind.getValue()).build(),
          kind.getKey().getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < kinds.size(); i++) {
      assertThat(handled.poll(30, TimeUnit.SECONDS)).isNotNull();
    }

    assertWarningInTrail("wrongtype", "Replaced invalid correlation_id (a value of type Integer)", dlq);
    assertWarningInTrail("invalid", "Replaced invalid correlation_id", dlq);
    assertWarningInTrail("badparent", "Dropped invalid parent_correlation_id", dlq);
    assertThat(logs.withMessage("dead letter badparent").get(0).correlationId()).isEqualTo("valid-id-000000000001");
  }

  private void assertWarningInTrail(String kind, String warning, String dlq) {
    CapturedLine handled = logs.withMessage("dead letter " + kind).get(0);
    List<CapturedLine> warnings = logs.lines(l -> l.logger().equals("io.baton") && l.message().contains(warning)
        && handled.correlationId().equals(l.correlationId()));
    assertThat(warnings).as(kind).hasSize(1);
    CapturedLine line = warnings.get(0);
    assertThat(line.level()).isEqualTo("WARN");
    assertThat(line.thread()).isEqualTo(handled.thread());
    assertThat(line.mdc()).as(kind)
        .containsEntry("death_count", "1")
        .containsEntry("death_reason", "expired")
        .containsEntry("death_queue", handled.mdc().get("death_queue"));
    assertThat(handled.mdc()).containsEntry("death_reason", "expired");
    assertThat(line.message()).doesNotContain("\r", "\n");
  }

  @Test
  void warning_about_a_retried_delivery_carries_the_id_it_is_handled_with_and_retry_attempt()
      throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Connection connection = connect(RabbitBroker.factory());
    Channel raw = connection.createChannel();
    Channel channel = rabbit.channel(connection.createChannel());
    String work = queue(raw, null);
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue(work).build();
    queues.add(policy.retryQueue());
    queues.add(policy.parkingQueue());
    policy.declareTopology(raw);
    BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    channel.basicConsume(work, false, rabbit.retrying(delivery -> {
      log.info("retried mail");
      handled.add(String.valueOf(MDC.get("correlation_id")));
    }, channel, policy), tag -> {});

    raw.basicPublish("", work, new AMQP.BasicProperties.Builder()
        .headers(Map.of("correlation_id", List.of("a table"))).build(), new byte[0]);
    String id = handled.poll(30, TimeUnit.SECONDS);

    CapturedLine warning = logs.withMessage("Replaced invalid correlation_id").get(0);
    assertThat(warning.correlationId()).isEqualTo(id).isEqualTo(logs.withMessage("retried mail").get(0).correlationId());
    assertThat(warning.mdc()).containsEntry("retry_attempt", "1");
  }

  @Test
  void quorum_queue_redelivery_puts_delivery_count_in_the_mdc_counted_as_jms_does() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Connection connection = connect(RabbitBroker.factory());
    Channel channel = rabbit.channel(connection.createChannel());
    String queue = queue(channel, Map.of("x-queue-type", "quorum"));
    BlockingQueue<String> counts = new LinkedBlockingQueue<>();
    channel.basicQos(1);
    channel.basicConsume(queue, false, (tag, delivery) -> {
      log.info("delivery of mail");
      counts.add(String.valueOf(MDC.get("delivery_count")));
      long deliveryTag = delivery.getEnvelope().getDeliveryTag();
      if (delivery.getEnvelope().isRedeliver()) {
        channel.basicAck(deliveryTag, false);
      } else {
        channel.basicNack(deliveryTag, false, true);
      }
    }, tag -> {});
    Correlation[] sent = publishAsChild(channel, queue, "mail");

    assertThat(counts.poll(30, TimeUnit.SECONDS)).isEqualTo("null");
    assertThat(counts.poll(30, TimeUnit.SECONDS)).isEqualTo("2"); // x-delivery-count 1: the second delivery
    List<CapturedLine> lines = logs.withMessage("delivery of mail");
    assertThat(lines).extracting(CapturedLine::correlationId).containsOnly(sent[1].id());
    assertThat(lines.get(1).mdc()).containsEntry("delivery_count", "2");
  }
}
