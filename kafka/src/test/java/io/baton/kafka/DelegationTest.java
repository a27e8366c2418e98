package io.baton.kafka;

import static io.baton.testing.Delegation.arguments;
import static io.baton.testing.Delegation.recordingCalls;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.Delegation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@code Producer}, {@code Consumer} and {@code ShareConsumer} (of the
 * kafka-clients version on the class path) reaches the wrapped object, with the same arguments.
 */
class DelegationTest {

  private static final KafkaCorrelation kafka = KafkaCorrelation.create();
  private static final Function<Class<?>, Object> RETURNS =
      type -> type == ConsumerRecords.class ? ConsumerRecords.empty() : null;
  private static final Function<Class<?>, Object> ARGUMENTS =
      type -> type == ProducerRecord.class ? new ProducerRecord<>("orders", "value") : null;

  static Stream<Method> producerMethods() {
    return Delegation.methods(Producer.class);
  }

  static Stream<Method> consumerMethods() {
    return Delegation.methods(Consumer.class);
  }

  static Stream<Method> shareConsumerMethods() {
    return Delegation.methods(ShareConsumer.class);
  }

  /** The send callback is the one argument the wrapper replaces (by its correlating wrapper). */
  private static final Set<Class<?>> SUBSTITUTED = Set.of(Callback.class);

  @ParameterizedTest(name = "{0}")
  @MethodSource("producerMethods")
  void producer_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Producer<String, String> wrapped = kafka.producer(recordingCalls(Producer.class, calls, RETURNS));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, SUBSTITUTED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumerMethods")
  void consumer_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Consumer<String, String> wrapped = kafka.consumer(recordingCalls(Consumer.class, calls, RETURNS));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shareConsumerMethods")
  void share_consumer_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    ShareConsumer<String, String> wrapped =
        kafka.shareConsumer(recordingCalls(ShareConsumer.class, calls, RETURNS));
    Object[] args = arguments(method, ARGUMENTS);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of());
  }

  @org.junit.jupiter.api.Test
  void the_share_consumer_wrapper_declares_every_method_itself() {
    assertThat(shareConsumerMethods()).allSatisfy(method ->
        assertThat(CorrelatingShareConsumer.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
            .isNotNull());
  }
}
