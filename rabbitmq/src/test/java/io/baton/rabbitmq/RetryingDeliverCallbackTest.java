package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.baton.Correlation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retry callback's acknowledgement logic, on channels that fail on cue: the consuming channel
 * records acks and nacks, the publishing channels (opened by the callback) fail their confirm.
 */
class RetryingDeliverCallbackTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final List<String> consuming = new CopyOnWriteArrayList<>();
  private final List<String> publishing = new CopyOnWriteArrayList<>();
  private final AtomicInteger publishersOpened = new AtomicInteger();

  /** What the publishing channel's waitForConfirms does: "ack", "nack" or "timeout". */
  private volatile String confirm = "ack";

  private Channel publishingChannel() {
    publishersOpened.incrementAndGet();
    boolean[] open = {true};
    return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
        (proxy, method, args) -> {
          String name = method.getName();
          publishing.add(name);
          switch (name) {
            case "isOpen":
              return open[0];
            case "close":
            case "abort":
              open[0] = false;
              return null;
            case "waitForConfirms":
              if (confirm.equals("timeout")) {
                throw new TimeoutException("no confirm");
              }
              return confirm.equals("ack");
            case "getChannelNumber":
              return 7;
            default:
              return method.getReturnType() == long.class ? 0L : null;
          }
        });
  }

  private Channel consumingChannel(boolean ackFails) {
    Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class},
        (proxy, method, args) -> method.getName().equals("createChannel") ? publishingChannel() : null);
    return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("getConnection")) {
            return connection;
          }
          if (name.equals("isOpen")) {
            return true;
          }
          consuming.add(name + (name.equals("basicNack") ? "(requeue=" + args[2] + ")" : ""));
          if (name.equals("basicAck") && ackFails) {
            throw new IOException("channel closed under the ack");
          }
          return method.getReturnType() == long.class ? 0L : null;
        });
  }

  private static Delivery delivery(long tag) {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .headers(Map.of("correlation_id", "order-0000000000000001")).build();
    return new Delivery(new Envelope(tag, false, "", "work"), properties, new byte[0]);
  }

  private static RabbitRetryPolicy policy() {
    return RabbitRetryPolicy.newBuilder().queue("work").retryHops(1).build();
  }

  @Test
  void a_failed_ack_after_a_successful_handler_is_not_a_failed_attempt() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    DeliverCallback callback = rabbit.retrying(delivery -> {}, consumingChannel(true), policy());

    assertThatThrownBy(() -> callback.handle("tag", delivery(7))).isInstanceOf(IOException.class);

    assertThat(consuming).containsExactly("basicAck");
    assertThat(publishing).doesNotContain("basicPublish");
  }

  @Test
  void a_confirmed_republish_is_acknowledged() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    DeliverCallback callback = rabbit.retrying(delivery -> {
      throw new IllegalStateException("smtp down");
    }, consumingChannel(false), policy());

    callback.handle("tag", delivery(7));

    assertThat(publishing).containsSubsequence("confirmSelect", "addReturnListener", "basicPublish", "waitForConfirms");
    assertThat(consuming).containsExactly("basicAck");
  }

  @Test
  void a_confirm_timeout_or_nack_requeues_never_closes_the_consuming_channel_and_the_next_delivery_is_handled()
      throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    AtomicInteger calls = new AtomicInteger();
    DeliverCallback callback = rabbit.retrying(delivery -> {
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("smtp down");
      }
    }, consumingChannel(false), policy());

    confirm = "timeout";
    callback.handle("tag", delivery(1));
    confirm = "nack";
    callback.handle("tag", delivery(2));
    confirm = "ack";
    callback.handle("tag", delivery(3));

    assertThat(consuming).containsExactly("basicNack(requeue=true)", "basicNack(requeue=true)", "basicAck");
    assertThat(consuming).doesNotContain("close", "abort");
    assertThat(publishing).doesNotContain("waitForConfirmsOrDie");
    assertThat(publishersOpened).as("a timed-out publishing channel is replaced").hasValue(4); // two throwaway channels for the queue checks, the publisher, its replacement
    List<CapturedLine> errors = logs.lines(l -> l.logger().equals("io.baton.rabbitmq.retry")
        && l.level().equals("ERROR"));
    assertThat(errors).extracting(CapturedLine::message)
        .anySatisfy(m -> assertThat(m).startsWith("No confirm from the broker"))
        .anySatisfy(m -> assertThat(m).contains("(nack)"));
    assertThat(errors).extracting(CapturedLine::correlationId).containsOnly("order-0000000000000001");
  }

  @Test
  void an_interrupt_during_backoff_requeues_without_republishing() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue("work").attempts(3)
        .backoff(Duration.ofSeconds(30)).build();
    DeliverCallback callback = rabbit.retrying(delivery -> {
      Thread.currentThread().interrupt(); // shutdownNow() while the handler runs
      throw new IllegalStateException("smtp down");
    }, consumingChannel(false), policy);

    try {
      callback.handle("tag", delivery(1));
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    }

    assertThat(consuming).containsExactly("basicNack(requeue=true)");
    assertThat(publishing).doesNotContain("basicPublish");
  }

  @Test
  void in_place_attempts_wait_the_backoff_and_number_retry_attempt_over_all_hops() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue("work").attempts(3)
        .backoff(Duration.ofMillis(150)).build();
    List<Long> times = new CopyOnWriteArrayList<>();
    List<String> numbers = new CopyOnWriteArrayList<>();
    DeliverCallback callback = rabbit.retrying(delivery -> {
      times.add(System.nanoTime());
      numbers.add(org.slf4j.MDC.get("retry_attempt") + "/" + org.slf4j.MDC.get("correlation_id"));
      if (times.size() < 3) {
        throw new IllegalStateException("smtp down");
      }
    }, consumingChannel(false), policy);
    AMQP.BasicProperties secondHop = new AMQP.BasicProperties.Builder().headers(Map.of(
        "correlation_id", "order-0000000000000001", RabbitRetryPolicy.ATTEMPTS_HEADER, "3",
        RabbitRetryPolicy.RETRY_HOPS_HEADER, "1")).build();

    callback.handle("tag", new Delivery(new Envelope(9, false, "", "work"), secondHop, new byte[0]));

    assertThat(numbers).containsExactly("4/order-0000000000000001", "5/order-0000000000000001",
        "6/order-0000000000000001");
    assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    assertThat(times.get(2) - times.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    assertThat(consuming).containsExactly("basicAck");
    assertThat(publishing).doesNotContain("basicPublish");
    assertThat(logs.lines(l -> l.throwable() instanceof IllegalStateException))
        .extracting(l -> l.mdc().get("retry_attempt")).containsExactly("4", "5");
  }

  @Test
  void policy_requires_the_queue_and_counts_attempts_over_hops() {
    assertThatThrownBy(() -> RabbitRetryPolicy.newBuilder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(".queue(");
    assertThatThrownBy(() -> RabbitRetryPolicy.newBuilder().attempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RabbitRetryPolicy.newBuilder().retryHops(-1)).isInstanceOf(IllegalArgumentException.class);
    RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue("email").build();
    assertThat(policy.attempts()).isEqualTo(1);
    assertThat(policy.retryHops()).isEqualTo(2);
    assertThat(policy.retryQueue()).isEqualTo("email.retry");
    assertThat(policy.parkingQueue()).isEqualTo("email.parking");
    assertThat(Correlation.isValidId("order-0000000000000001")).isTrue();
  }
}
