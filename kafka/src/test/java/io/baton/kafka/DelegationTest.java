package io.baton.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@code Producer} and {@code Consumer} (of the kafka-clients version on the
 * class path) reaches the wrapped object. A recording proxy stands in for the client.
 */
class DelegationTest {

  private static final KafkaCorrelation kafka = KafkaCorrelation.create();

  static Stream<Method> producerMethods() {
    return interfaceMethods(Producer.class);
  }

  static Stream<Method> consumerMethods() {
    return interfaceMethods(Consumer.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("producerMethods")
  void producer_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Producer<String, String> wrapped = kafka.producer(recording(Producer.class, calls));

    method.invoke(wrapped, arguments(method));

    assertThat(calls).containsExactly(method);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumerMethods")
  void consumer_wrapper_delegates(Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Consumer<String, String> wrapped = kafka.consumer(recording(Consumer.class, calls));

    method.invoke(wrapped, arguments(method));

    assertThat(calls).containsExactly(method);
  }

  private static Stream<Method> interfaceMethods(Class<?> type) {
    return Stream.of(type.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> T recording(Class<T> type, List<Method> calls) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording" : null;
              }
              calls.add(method);
              return defaultValue(method.getReturnType());
            });
  }

  private static Object defaultValue(Class<?> type) {
    if (type == ConsumerRecords.class) {
      return ConsumerRecords.empty();
    }
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
      if (type == ProducerRecord.class) {
        args[i] = new ProducerRecord<>("orders", "value");
      } else if (type == Duration.class) {
        args[i] = Duration.ZERO;
      } else if (type.isPrimitive()) {
        args[i] = defaultValue(type);
      }
    }
    return args;
  }
}
