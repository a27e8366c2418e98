package io.baton.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.Delegation;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method of every wrapped JMS interface reaches the wrapped object. */
class JmsDelegationTest {

  private static final JmsCorrelation jms = JmsCorrelation.create();

  private static final Map<Class<?>, Function<Object, Object>> WRAPPERS =
      Map.of(
          ConnectionFactory.class, d -> jms.connectionFactory((ConnectionFactory) d),
          Connection.class, d -> new CorrelatingConnection((Connection) d, jms),
          Session.class, d -> new CorrelatingSession((Session) d, jms),
          MessageProducer.class, d -> new CorrelatingMessageProducer((MessageProducer) d, jms),
          MessageConsumer.class, d -> new CorrelatingMessageConsumer((MessageConsumer) d, jms),
          JMSContext.class, d -> new CorrelatingJMSContext((JMSContext) d, jms),
          JMSProducer.class, d -> new CorrelatingJMSProducer((JMSProducer) d, jms),
          JMSConsumer.class, d -> new CorrelatingJMSConsumer((JMSConsumer) d, jms));

  static Stream<Arguments> methods() {
    return WRAPPERS.keySet().stream()
        .flatMap(type -> Delegation.methods(type)
            .map(m -> Arguments.of(type.getSimpleName() + "." + m.getName(), type, m)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void wrapper_delegates(String name, Class<?> type, Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    Object wrapped = WRAPPERS.get(type).apply(Delegation.recordingCalls(type, calls, t -> null));
    Object[] args = Delegation.arguments(method, t -> null);

    Object result = method.invoke(wrapped, args);

    assertThat(calls).isNotEmpty();
    // Sends may set properties first (the correlation); the call itself comes last, unchanged but
    // for listeners, which travel wrapped.
    Delegation.assertForwarded(calls.get(calls.size() - 1), method, args,
        Set.of(MessageListener.class, CompletionListener.class));
    if (method.getReturnType() == type) {
      assertThat(result).as("fluent or factory results stay wrapped").isNotNull();
    }
    if (result != null && WRAPPERS.containsKey(method.getReturnType())) {
      assertThat(result.getClass().getSimpleName()).startsWith("Correlating");
    }
    if (type == JMSProducer.class && method.getReturnType() == JMSProducer.class) {
      assertThat(result).isSameAs(wrapped);
    }
  }
}
