package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry callback's acknowledgement logic, on a channel that fails on cue. */
class RetryingDeliverCallbackTest {

  private final List<String> calls = new ArrayList<>();

  private Channel channel(boolean ackFails) {
    return (Channel) Proxy.newProxyInstance(
        Channel.class.getClassLoader(),
        new Class<?>[] {Channel.class},
        (proxy, method, args) -> {
          calls.add(method.getName());
          if (method.getName().equals("basicAck") && ackFails) {
            throw new IOException("channel closed under the ack");
          }
          if (method.getName().equals("isOpen")) {
            return true;
          }
          return method.getReturnType() == long.class ? 0L : null;
        });
  }

  private static Delivery delivery() {
    return new Delivery(new Envelope(7, false, "", "work"), new AMQP.BasicProperties(), new byte[0]);
  }

  @Test
  void a_failed_ack_after_a_successful_handler_is_not_a_failed_attempt() {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Channel channel = channel(true);
    var callback = rabbit.retrying(channel, delivery -> {}, RetryPolicy.forQueue("work").build());

    assertThatThrownBy(() -> callback.handle("tag", delivery())).isInstanceOf(IOException.class);

    assertThat(calls).containsExactly("basicAck");
  }

  @Test
  void a_failing_handler_is_republished_then_acknowledged() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Channel channel = channel(false);
    var callback = rabbit.retrying(channel, delivery -> {
      throw new IllegalStateException("smtp down");
    }, RetryPolicy.forQueue("work").build());

    callback.handle("tag", delivery());

    assertThat(calls).containsSubsequence("basicPublish", "basicAck").doesNotContain("basicNack");
  }
}
