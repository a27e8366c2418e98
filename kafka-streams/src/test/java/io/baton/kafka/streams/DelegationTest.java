package io.baton.kafka.streams;

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
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of the contexts, processors and suppliers Baton hands to Kafka and to your
 * processors reaches the wrapped object, with the same arguments (a punctuator excepted: it is
 * wrapped).
 */
class DelegationTest {

  private static final StreamsCorrelation streams = StreamsCorrelation.defaults();
  private static final Function<Class<?>, Object> ARGUMENTS = type -> {
    if (type == Record.class) {
      return new Record<>("order-1", "pay", 0L);
    }
    if (type == FixedKeyRecord.class) {
      return InternalFixedKeyRecordFactory.create(new Record<>("order-1", "pay", 0L));
    }
    if (type == Punctuator.class) {
      return (Punctuator) timestamp -> {};
    }
    return null;
  };

  static Stream<Method> processorContextMethods() {
    return Delegation.methods(ProcessorContext.class);
  }

  static Stream<Method> fixedKeyProcessorContextMethods() {
    return Delegation.methods(FixedKeyProcessorContext.class);
  }

  static Stream<Method> processorMethods() {
    return Delegation.methods(Processor.class);
  }

  static Stream<Method> fixedKeyProcessorMethods() {
    return Delegation.methods(FixedKeyProcessor.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("processorContextMethods")
  @SuppressWarnings("unchecked")
  void processor_context_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    ProcessorContext<Object, Object> wrapped = new CorrelatingProcessorContext<>(
        recordingCalls(ProcessorContext.class, calls, type -> null), "p", streams);
    Object[] args = arguments(method, ARGUMENTS);
    method.invoke(wrapped, args);
    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of(Punctuator.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixedKeyProcessorContextMethods")
  @SuppressWarnings("unchecked")
  void fixed_key_processor_context_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    FixedKeyProcessorContext<Object, Object> wrapped = new CorrelatingFixedKeyProcessorContext<>(
        recordingCalls(FixedKeyProcessorContext.class, calls, type -> null), "p", streams);
    Object[] args = arguments(method, ARGUMENTS);
    method.invoke(wrapped, args);
    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of(Punctuator.class));
  }

  /** init is given the context decorated (a user's processor), so only process and close compare. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("processorMethods")
  @SuppressWarnings("unchecked")
  void processor_delegates(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Processor<Object, Object, Object, Object> wrapped = new CorrelatingProcessor<>(
        recordingCalls(Processor.class, calls, type -> null), "p", streams);
    Object[] args = arguments(method, type -> type == ProcessorContext.class
        ? recordingCalls(ProcessorContext.class, new ArrayList<>(), t -> null) : ARGUMENTS.apply(type));
    method.invoke(wrapped, args);
    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of(ProcessorContext.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixedKeyProcessorMethods")
  @SuppressWarnings("unchecked")
  void fixed_key_processor_delegates(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    FixedKeyProcessor<Object, Object, Object> wrapped = new CorrelatingFixedKeyProcessor<>(
        recordingCalls(FixedKeyProcessor.class, calls, type -> null), "p", streams);
    Object[] args = arguments(method, type -> type == FixedKeyProcessorContext.class
        ? recordingCalls(FixedKeyProcessorContext.class, new ArrayList<>(), t -> null) : ARGUMENTS.apply(type));
    method.invoke(wrapped, args);
    assertThat(calls).hasSize(1);
    Delegation.assertForwarded(calls.get(0), method, args, Set.of(FixedKeyProcessorContext.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supplierTypes")
  void suppliers_give_their_delegates_stores(Class<?> type) {
    KafkaStreamsCorrelation wrapper = new KafkaStreamsCorrelation();
    List<Method> calls = new ArrayList<>();
    if (type == ProcessorSupplier.class) {
      ProcessorSupplier<Object, Object, Object, Object> supplier = Delegation.recording(ProcessorSupplier.class, calls);
      wrapper.wrapProcessorSupplier("p", supplier).stores();
    } else {
      FixedKeyProcessorSupplier<Object, Object, Object> supplier =
          Delegation.recording(FixedKeyProcessorSupplier.class, calls);
      wrapper.wrapFixedKeyProcessorSupplier("p", supplier).stores();
    }
    assertThat(calls).extracting(Method::getName).containsExactly("stores");
  }

  static Stream<Class<?>> supplierTypes() {
    return Stream.of(ProcessorSupplier.class, FixedKeyProcessorSupplier.class);
  }
}
