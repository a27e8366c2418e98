package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import io.baton.testing.RabbitCtl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Retries through a TTL queue, a pooled consumer under load, and connection recovery. */
class RabbitRetryAndPoolIT {

  private static final Logger log = LoggerFactory.getLogger("email-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
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
      return; // skipped for want of a broker, or named no queue: nothing to connect for
    }
    try (Connection admin = RabbitBroker.connect(); Channel channel = admin.createChannel()) {
      for (String queue : queues) {
        channel.queueDelete(queue);
      }
    }
  }

  private String name(String base) {
    String name = base + "-" + UUID.randomUUID();
    queues.add(name);
    return name;
  }

  @Test
  void ttl_delayed_retries_then_parking_keep_the_id_and_one_attempt_header() throws Exception {
    Connection connection = RabbitBroker.connect();
    connections.add(connection);
    Channel channel = rabbit.channel(connection.createChannel());
    channel.confirmSelect();
    String work = name("work");
    queues.add(work + ".retry");
    queues.add(work + ".parking");
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue(work).retryHops(2)
        .retryDelay(Duration.ofMillis(200)).build();
    channel.queueDeclare(work, false, false, false, null);
    policy.declareTopology(channel);

    channel.basicConsume(work, false, rabbit.retrying(delivery -> {
      log.info("sending mail, attempt {}", MDC.get("retry_attempt"));
      throw new IllegalStateException("smtp down");
    }, channel, policy), tag -> {});
    BlockingQueue<Delivery> parked = new LinkedBlockingQueue<>();
    channel.basicConsume(policy.parkingQueue(), true, (tag, delivery) -> {
      log.info("parked");
      parked.add(delivery);
    }, tag -> {});

    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      channel.basicPublish("", work, null, "mail".getBytes(StandardCharsets.UTF_8));
    }
    Delivery delivery = parked.poll(30, TimeUnit.SECONDS);

    assertThat(delivery).isNotNull();
    assertThat(new String(delivery.getBody(), StandardCharsets.UTF_8)).isEqualTo("mail");
    Map<String, Object> headers = delivery.getProperties().getHeaders();
    assertThat(headers.get("correlation_id").toString()).isEqualTo(order.id());
    assertThat(headers.get(RabbitRetryPolicy.ATTEMPTS_HEADER).toString()).isEqualTo("3");
    assertThat(headers.get(RabbitRetryPolicy.RETRY_HOPS_HEADER).toString()).isEqualTo("2");
    assertThat(headers.get(RabbitRetryPolicy.ORIGINAL_QUEUE_HEADER).toString()).isEqualTo(work);
    assertThat(headers.get(RabbitRetryPolicy.EXCEPTION_CLASS_HEADER).toString())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(headers.get(RabbitRetryPolicy.EXCEPTION_MESSAGE_HEADER).toString()).isEqualTo("smtp down");
    assertThat(headers.keySet().stream().filter(k -> k.equalsIgnoreCase(RabbitRetryPolicy.ATTEMPTS_HEADER))).hasSize(1);
    List<CapturedLine> attempts = logs.withMessage("sending mail, attempt");
    assertThat(attempts).extracting(CapturedLine::message)
        .containsExactly("sending mail, attempt 1", "sending mail, attempt 2", "sending mail, attempt 3");
    assertThat(attempts).extracting(CapturedLine::correlationId).containsOnly(order.id());
    assertThat(attempts.get(2).mdc()).containsEntry("death_reason", "expired").containsEntry("death_count", "2");
    List<CapturedLine> failures = logs.lines(l -> l.logger().equals("io.baton.rabbitmq")
        && l.throwable() instanceof IllegalStateException);
    assertThat(failures).extracting(CapturedLine::correlationId).containsExactly(order.id(), order.id(), order.id());
    assertThat(failures).extracting(l -> l.mdc().get("retry_attempt")).containsExactly("1", "2", "3");
    assertThat(failures).extracting(CapturedLine::level).containsOnly("ERROR");
    assertThat(failures.get(2).mdc()).as("the failure line has the delivery's death facts")
        .containsEntry("death_reason", "expired").containsEntry("death_count", "2");
    assertThat(logs.withMessage("Republished the message to")).extracting(CapturedLine::correlationId)
        .containsExactly(order.id(), order.id(), order.id());
    CapturedLine parkedLine = logs.withMessage("parked").get(0);
    assertThat(parkedLine.correlationId()).isEqualTo(order.id());
  }

  @Test
  void four_consumer_threads_five_thousand_deliveries_ten_percent_throwing_never_mix_ids()
      throws Exception {
    int messages = 5_000;
    ExecutorService consumerThreads = Executors.newFixedThreadPool(4);
    Connection connection = RabbitBroker.connect(consumerThreads);
    connections.add(connection);
    String work = name("pool");
    Channel publisher = rabbit.channel(connection.createChannel());
    publisher.queueDeclare(work, false, false, false, null);
    Map<String, String> idByBody = new ConcurrentHashMap<>();
    for (int i = 0; i < messages; i++) {
      try (CorrelationScope scope = Baton.openNew()) {
        idByBody.put("m" + i, Baton.current().orElseThrow().id());
        publisher.basicPublish("", work, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
    }

    CountDownLatch done = new CountDownLatch(messages);
    AtomicInteger leaks = new AtomicInteger();
    for (int c = 0; c < 4; c++) {
      Channel raw = connection.createChannel();
      raw.basicQos(10);
      // The handler is wrapped on its own, so that the thread's MDC can be checked right after
      // each delivery's scope has closed (also when the handler threw).
      DeliverCallback handler = rabbit.deliverCallback((tag, delivery) -> {
        String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
        log.info("handling {}", body);
        raw.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        if (Integer.parseInt(body.substring(1)) % 10 == 0) {
          throw new IllegalStateException("handler failed for " + body);
        }
      });
      raw.basicConsume(work, false, (tag, delivery) -> {
        try {
          handler.handle(tag, delivery);
        } finally {
          if (MDC.get("correlation_id") != null) {
            leaks.incrementAndGet();
          }
          done.countDown();
        }
      }, tag -> {});
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();

    assertThat(leaks).hasValue(0);
    List<CapturedLine> lines = logs.withMessage("handling m");
    assertThat(lines).hasSize(messages);
    for (CapturedLine line : lines) {
      String body = line.message().substring("handling ".length());
      assertThat(line.correlationId()).as(body).isEqualTo(idByBody.get(body));
    }
    assertThat(lines.stream().map(CapturedLine::thread).distinct().count()).isGreaterThan(1);
    connection.close();
    consumerThreads.shutdown();
  }

  @Test
  void wrapped_channel_keeps_propagating_after_the_server_closes_all_connections()
      throws Exception {
    Connection connection = RabbitBroker.connect();
    connections.add(connection);
    Channel channel = rabbit.channel(connection.createChannel());
    String queue = name("recovery");
    channel.queueDeclare(queue, true, false, false, null);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    channel.basicConsume(queue, true, (tag, delivery) -> {
      log.info("received {}", new String(delivery.getBody(), StandardCharsets.UTF_8));
      received.add(MDC.get("correlation_id"));
    }, tag -> {});
    Correlation before = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(before)) {
      channel.basicPublish("", queue, null, "before".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(before.id());

    CountDownLatch recovered = new CountDownLatch(1);
    ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recoverable) {
        recovered.countDown();
      }

      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {}
    });
    RabbitCtl.run("close_all_connections", "baton recovery test");
    assertThat(recovered.await(60, TimeUnit.SECONDS)).as("connection recovered").isTrue();

    Correlation after = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(after)) {
      channel.basicPublish("", queue, null, "after".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(after.id());
    assertThat(logs.withMessage("received after").get(0).correlationId()).isEqualTo(after.id());
  }
}
