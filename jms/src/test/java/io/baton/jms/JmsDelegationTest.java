package io.baton.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
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
        .flatMap(type -> Stream.of(type.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .map(m -> Arguments.of(type.getSimpleName() + "." + m.getName(), type, m)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void wrapper_delegates(String name, Class<?> type, Method method) throws Exception {
    List<Method> calls = new ArrayList<>();
    Object wrapped = WRAPPERS.get(type).apply(recording(type, calls));

    Object result = method.invoke(wrapped, arguments(method));

    assertThat(calls).isNotEmpty();
    assertThat(calls.get(calls.size() - 1)).isEqualTo(method);
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

  static Object recording(Class<?> type, List<Method> calls) {
    return Proxy.newProxyInstance(
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
    if (type == int.class || type == short.class || type == byte.class) {
      return type == int.class ? (Object) 0 : type == short.class ? (Object) (short) 0 : (Object) (byte) 0;
    }
    if (type == double.class) {
      return 0d;
    }
    if (type == float.class) {
      return 0f;
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
      } else if (type == String.class || type == java.io.Serializable.class || type == Object.class) {
        args[i] = "x";
      } else if (type == byte[].class) {
        args[i] = new byte[0];
      } else if (type == Map.class) {
        args[i] = Map.of();
      } else if (type == Class.class) {
        args[i] = String.class;
      } else if (type.isInterface()) {
        args[i] = recording(type, null);
      }
    }
    return args;
  }
}
