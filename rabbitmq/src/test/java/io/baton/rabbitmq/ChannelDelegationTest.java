package io.baton.rabbitmq;

import static io.baton.testing.Delegation.arguments;
import static io.baton.testing.Delegation.recording;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import io.baton.testing.Delegation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method of {@code Channel} and {@code Consumer} reaches the wrapped object. */
class ChannelDelegationTest {

  private static final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private static final Function<Class<?>, Object> ARGUMENTS =
      type -> type == AMQP.BasicProperties.class ? new AMQP.BasicProperties() : null;

  static Stream<Method> channelMethods() {
    return Delegation.methods(Channel.class);
  }

  static Stream<Method> consumerMethods() {
    return Delegation.methods(Consumer.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channelMethods")
  void channel_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Channel wrapped = rabbit.channel(recording(Channel.class, calls));

    method.invoke(wrapped, arguments(method, ARGUMENTS));

    assertThat(calls).containsExactly(method);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumerMethods")
  void consumer_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Consumer wrapped = rabbit.consumer(recording(Consumer.class, calls));

    method.invoke(wrapped, arguments(method, ARGUMENTS));

    assertThat(calls).containsExactly(method);
  }
}
