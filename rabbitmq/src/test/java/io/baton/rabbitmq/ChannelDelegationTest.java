package io.baton.rabbitmq;

import static io.baton.testing.Delegation.arguments;
import static io.baton.testing.Delegation.recordingCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DeliverCallback;
import io.baton.testing.Delegation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method of {@code Channel}, {@code Consumer} and {@code ExceptionHandler} reaches the wrapped object. */
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

  static Stream<Method> exceptionHandlerMethods() {
    return Delegation.methods(com.rabbitmq.client.ExceptionHandler.class);
  }

  /** What the channel wrapper replaces: handlers by correlating ones, properties by a copy. */
  private static final Set<Class<?>> SUBSTITUTED =
      Set.of(Consumer.class, DeliverCallback.class, AMQP.BasicProperties.class);

  @ParameterizedTest(name = "{0}")
  @MethodSource("channelMethods")
  void channel_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Channel wrapped = rabbit.channel(recordingCalls(Channel.class, calls, type -> null));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, SUBSTITUTED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumerMethods")
  void consumer_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Consumer wrapped = rabbit.consumer(recordingCalls(Consumer.class, calls, type -> null));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exceptionHandlerMethods")
  void exception_handler_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    com.rabbitmq.client.ExceptionHandler wrapped = rabbit.exceptionHandler(
        recordingCalls(com.rabbitmq.client.ExceptionHandler.class, calls, type -> null));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of());
  }

  @org.junit.jupiter.api.Test
  void the_default_consumer_set_is_the_one_got_back() {
    Object[] stored = new Object[1];
    Channel channel = (Channel) java.lang.reflect.Proxy.newProxyInstance(
        Channel.class.getClassLoader(), new Class<?>[] {Channel.class}, (proxy, method, args) -> {
          if (method.getName().equals("setDefaultConsumer")) {
            stored[0] = args[0];
          }
          return method.getName().equals("getDefaultConsumer") ? stored[0] : null;
        });
    Consumer mine = new com.rabbitmq.client.DefaultConsumer(channel);
    Channel wrapped = rabbit.channel(channel);

    wrapped.setDefaultConsumer(mine);

    assertThat(stored[0]).as("what the channel holds: the correlating wrapper").isNotSameAs(mine);
    assertThat(wrapped.getDefaultConsumer()).isSameAs(mine);
  }
}
