package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method of {@code Channel} and {@code Consumer} reaches the wrapped object. */
class ChannelDelegationTest {

  private static final RabbitCorrelation rabbit = RabbitCorrelation.create();

  static Stream<Method> channelMethods() {
    return methods(Channel.class);
  }

  static Stream<Method> consumerMethods() {
    return methods(Consumer.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channelMethods")
  void channel_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Channel wrapped = rabbit.channel(recording(Channel.class, calls));

    method.invoke(wrapped, arguments(method));

    assertThat(calls).containsExactly(method);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumerMethods")
  void consumer_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Consumer wrapped = rabbit.consumer(recording(Consumer.class, calls));

    method.invoke(wrapped, arguments(method));

    assertThat(calls).containsExactly(method);
  }

  private static Stream<Method> methods(Class<?> type) {
    return Stream.of(type.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class);
  }

  @SuppressWarnings("unchecked")
  static <T> T recording(Class<T> type, List<Method> calls) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording" : null;
              }
              if (calls != null) {
                calls.add(method);
              }
              return primitiveDefault(method.getReturnType());
            });
  }

  private static Object primitiveDefault(Class<?> type) {
    if (type == long.class) {
      return 0L;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == boolean.class) {
      return false;
    }
    return null;
  }

  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type.isPrimitive()) {
        args[i] = primitiveDefault(type);
      } else if (type == String.class) {
        args[i] = "x";
      } else if (type == byte[].class) {
        args[i] = new byte[0];
      } else if (type == ByteBuffer.class) {
        args[i] = ByteBuffer.allocate(0);
      } else if (type == Map.class) {
        args[i] = Map.of();
      } else if (type == AMQP.BasicProperties.class) {
        args[i] = new AMQP.BasicProperties();
      } else if (type.isInterface()) {
        args[i] = recording(type, null);
      }
    }
    return args;
  }
}
