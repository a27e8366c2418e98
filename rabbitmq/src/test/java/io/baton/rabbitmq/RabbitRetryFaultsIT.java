package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import io.baton.testing.RabbitCtl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Fault injection on the real broker (issue 17): the retry helper's republish fails because a
 * queue is missing, because the broker refuses it, because the connection is closed under it;
 * nothing is lost (every message published is at the end handled or parked), the consumer keeps
 * consuming, and every attempt's line carries the message's correlation_id.
 */
class RabbitRetryFaultsIT {

  private static final Logger log = LoggerFactory.getLogger("email-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private final List<String> queues = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  /** Published body to the correlation_id it was published under. */
  private final Map<String, String> sent = new ConcurrentHashMap<>();
  /** Bodies the handler completed, and bodies found on the parking queue. */
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Set<String> parked = ConcurrentHashMap.newKeySet();

  private String work;
  private RabbitRetryPolicy policy;

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

  private Channel setUp(int retryHops, boolean declareTopology) throws Exception {
    Connection connection = RabbitBroker.connect();
    connections.add(connection);
    Channel channel = rabbit.channel(connection.createChannel());
    work = "faults-" + UUID.randomUUID();
    policy = RabbitRetryPolicy.newBuilder().queue(work).retryHops(retryHops)
        .retryDelay(Duration.ofMillis(100)).confirmTimeout(Duration.ofSeconds(5)).build();
    queues.addAll(List.of(work, policy.retryQueue(), policy.parkingQueue()));
    channel.queueDeclare(work, true, false, false, null);
    if (declareTopology) {
      policy.declareTopology(channel);
    }
    return channel;
  }

  private void consumeParking(Channel channel) throws Exception {
    channel.basicConsume(policy.parkingQueue(), true, (tag, delivery) -> {
      log.info("parked {}", body(delivery));
      parked.add(body(delivery));
    }, tag -> {});
  }

  private static String body(Delivery delivery) {
    return new String(delivery.getBody(), StandardCharsets.UTF_8);
  }

  private void publish(Channel channel, String body) throws Exception {
    try (CorrelationScope scope = Baton.openNew()) {
      sent.put(body, Baton.current().orElseThrow().id());
      channel.basicPublish("", work, null, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Nothing lost: every body published was handled or parked, and the handler's lines carry its ID. */
  private void assertNothingLostAndEveryLineInItsTrail() {
    Set<String> accounted = new HashSet<>(handled);
    accounted.addAll(parked);
    assertThat(accounted).isEqualTo(sent.keySet());
    List<CapturedLine> attempts = logs.withMessage("attempt ");
    assertThat(attempts).isNotEmpty();
    for (CapturedLine line : attempts) {
      String body = line.message().substring(line.message().lastIndexOf(' ') + 1);
      assertThat(line.correlationId()).as(line.message()).isEqualTo(sent.get(body));
    }
    for (CapturedLine line : logs.lines(l -> l.logger().startsWith("io.baton.rabbitmq"))) {
      assertThat(sent.values()).as(line.message()).contains(line.correlationId());
    }
  }

  @Test
  void building_the_callback_without_the_retry_or_parking_queue_fails_clearly_and_keeps_the_channel()
      throws Exception {
    Channel channel = setUp(1, false);

    assertThatThrownBy(() -> rabbit.retrying(delivery -> {}, channel, policy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retry queue '" + policy.retryQueue() + "' ")
        .hasMessageContaining("does not exist");
    channel.queueDeclare(policy.retryQueue(), true, false, false, null);
    assertThatThrownBy(() -> rabbit.retrying(delivery -> {}, channel, policy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("parking queue '" + policy.parkingQueue() + "' ");

    assertThat(channel.isOpen()).as("the checks ran on throwaway channels").isTrue();
    channel.queueDeclare(policy.parkingQueue(), true, false, false, null);
    assertThat(rabbit.retrying(delivery -> {}, channel, policy)).isNotNull();
  }

  @ParameterizedTest(name = "{0} queue deleted")
  @ValueSource(strings = {"retry", "parking"})
  void a_queue_deleted_after_the_callback_was_built_requeues_the_delivery_and_the_consumer_keeps_consuming(
      String deleted) throws Exception {
    Channel channel = setUp(deleted.equals("retry") ? 1 : 0, true);
    Set<String> failing = ConcurrentHashMap.newKeySet();
    failing.add("poison");
    DeliverCallback callback = rabbit.retrying(delivery -> {
      log.info("attempt {} of {}", MDC.get("retry_attempt"), body(delivery));
      if (failing.contains(body(delivery))) {
        throw new IllegalStateException("smtp down");
      }
      handled.add(body(delivery));
    }, channel, policy);
    String gone = deleted.equals("retry") ? policy.retryQueue() : policy.parkingQueue();
    channel.queueDelete(gone);
    channel.basicConsume(work, false, callback, tag -> {});

    publish(channel, "poison");
    publish(channel, "ok-1");
    await("a returned republish", () -> !logs.withMessage("The broker returned the message").isEmpty());
    await("the next delivery handled", () -> handled.contains("ok-1"));
    await("the poison redelivered", () -> logs.withMessage("attempt 1 of poison").size() >= 2);

    CapturedLine returned = logs.withMessage("The broker returned the message").get(0);
    assertThat(returned.correlationId()).isEqualTo(sent.get("poison"));
    assertThat(returned.level()).isEqualTo("ERROR");
    assertThat(channel.isOpen()).isTrue();
    assertThat(parked).isEmpty();

    policy.declareTopology(channel); // the operator puts the queue back: the message moves on
    consumeParking(channel);
    publish(channel, "ok-2");
    await("the poison parked", () -> parked.contains("poison"));
    await("ok-2 handled", () -> handled.contains("ok-2"));
    assertNothingLostAndEveryLineInItsTrail();
    assertThat(logs.withMessage("attempt 1 of poison")).extracting(l -> l.mdc().get("retry_attempt"))
        .containsOnly("1");
  }

  @Test
  void a_confirm_nack_from_a_full_parking_queue_requeues_and_the_consumer_keeps_consuming()
      throws Exception {
    Channel channel = setUp(0, false);
    // reject-publish with room for nothing: the broker nacks every message sent there
    channel.queueDeclare(policy.parkingQueue(), true, false, false,
        Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
    Set<String> failing = ConcurrentHashMap.newKeySet();
    failing.add("poison");
    channel.basicConsume(work, false, rabbit.retrying(delivery -> {
      log.info("attempt {} of {}", MDC.get("retry_attempt"), body(delivery));
      if (failing.contains(body(delivery))) {
        throw new IllegalStateException("smtp down");
      }
      handled.add(body(delivery));
    }, channel, policy), tag -> {});

    publish(channel, "poison");
    for (int i = 0; i < 5; i++) {
      publish(channel, "ok-" + i);
    }
    await("a refused republish", () -> !logs.withMessage("(nack)").isEmpty());
    await("the others handled", () -> handled.size() == 5);
    await("the poison redelivered", () -> logs.withMessage("attempt 1 of poison").size() >= 2);

    assertThat(logs.withMessage("(nack)").get(0).correlationId()).isEqualTo(sent.get("poison"));
    assertThat(channel.isOpen()).as("a nack never closes the consuming channel").isTrue();
    assertThat(logs.withMessage("Republished the message")).isEmpty();
    failing.clear(); // the mail server is back: the requeued delivery is still there to be handled
    await("the poison handled", () -> handled.contains("poison"));
    assertNothingLostAndEveryLineInItsTrail();
  }

  /** Suspends or resumes the queue's process on the broker: a publish to it is then never confirmed. */
  private static void queueProcess(String queue, String action) throws Exception {
    RabbitCtl.run("eval", "{ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(<<\"/\">>, queue, <<\""
        + queue + "\">>)), sys:" + action + "(amqqueue:get_pid(Q)), ok.");
  }

  @Test
  void a_confirm_that_never_comes_times_out_requeues_and_the_consumer_keeps_consuming()
      throws Exception {
    Channel channel = setUp(0, true);
    policy = RabbitRetryPolicy.newBuilder().queue(work).retryHops(0)
        .confirmTimeout(Duration.ofMillis(500)).build();
    channel.basicConsume(work, false, rabbit.retrying(delivery -> {
      log.info("attempt {} of {}", MDC.get("retry_attempt"), body(delivery));
      if (body(delivery).equals("poison")) {
        throw new IllegalStateException("smtp down");
      }
      handled.add(body(delivery));
    }, channel, policy), tag -> {});

    queueProcess(policy.parkingQueue(), "suspend");
    try {
      publish(channel, "poison");
      for (int i = 0; i < 3; i++) {
        publish(channel, "ok-" + i);
      }
      await("a confirm timeout", () -> !logs.withMessage("No confirm from the broker").isEmpty());
      await("the others handled", () -> handled.size() == 3);
      await("the poison redelivered", () -> logs.withMessage("attempt 1 of poison").size() >= 2);
    } finally {
      queueProcess(policy.parkingQueue(), "resume");
    }

    CapturedLine timeout = logs.withMessage("No confirm from the broker").get(0);
    assertThat(timeout.correlationId()).isEqualTo(sent.get("poison"));
    assertThat(channel.isOpen()).as("a timeout never closes the consuming channel").isTrue();
    consumeParking(channel);
    await("the poison parked", () -> parked.contains("poison"));
    assertNothingLostAndEveryLineInItsTrail();
  }

  @Test
  void the_broker_closing_every_connection_mid_retry_loses_nothing_and_consuming_resumes()
      throws Exception {
    Channel channel = setUp(2, true);
    channel.basicQos(5);
    Connection connection = connections.get(0); // the channel answers the connection of the moment
    CountDownLatch recovered = new CountDownLatch(1);
    ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recoverable) {
        recovered.countDown();
      }

      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {}
    });
    consumeParking(channel);
    channel.basicConsume(work, false, rabbit.retrying(delivery -> {
      String body = body(delivery);
      log.info("attempt {} of {}", MDC.get("retry_attempt"), body);
      Thread.sleep(20);
      if ("1".equals(MDC.get("retry_attempt"))) {
        throw new IllegalStateException("smtp down"); // every message takes one trip through the retry queue
      }
      handled.add(body);
    }, channel, policy), tag -> {});
    int messages = 40;
    for (int i = 0; i < messages; i++) {
      publish(channel, "m-" + i);
    }

    await("some retries under way", () -> logs.withMessage("attempt 2 of").size() >= 5);
    RabbitCtl.run("close_all_connections", "baton retry fault test");
    assertThat(recovered.await(60, TimeUnit.SECONDS)).as("connection recovered").isTrue();
    await("every message handled or parked", () -> handled.size() + parked.size() >= messages
        && sent.keySet().stream().allMatch(b -> handled.contains(b) || parked.contains(b)));

    assertThat(parked).as("one failure each, two hops allowed").isEmpty();
    assertNothingLostAndEveryLineInItsTrail();
    List<CapturedLine> failures = logs.lines(l -> l.logger().equals("io.baton.rabbitmq")
        && l.throwable() instanceof IllegalStateException);
    assertThat(failures).hasSizeGreaterThanOrEqualTo(messages);
    // after recovery the consumer still consumes: a new message is handled
    publish(channel, "after");
    await("a message after recovery", () -> handled.contains("after"));
  }
}
