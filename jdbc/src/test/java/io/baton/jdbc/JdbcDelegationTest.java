package io.baton.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.Delegation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of every JDBC interface Baton wraps is implemented by the wrapper itself (none is
 * left to an interface's default, which for some throws or skips the delegate) and reaches the
 * wrapped object with the same arguments; what it returns is the wrapped object's answer, except
 * for the objects Baton wraps in turn.
 */
class JdbcDelegationTest {

  /** What the wrapper hands back wrapped (or itself), so not the delegate's object. */
  private static final Set<Class<?>> WRAPPED =
      Set.of(Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class,
          ConnectionBuilder.class);

  private static final JdbcCorrelation JDBC = JdbcCorrelation.create();

  static Stream<Arguments> wrappers() {
    return Stream.of(
        Arguments.of(DataSource.class, (Function<Object, Object>) d -> JDBC.dataSource((DataSource) d)),
        Arguments.of(Connection.class, (Function<Object, Object>) c -> JDBC.connection((Connection) c)),
        Arguments.of(ConnectionBuilder.class, (Function<Object, Object>) b ->
            new CorrelatingConnectionBuilder((ConnectionBuilder) b, JDBC)),
        Arguments.of(Statement.class, (Function<Object, Object>) s ->
            new CorrelatingStatement<>((Statement) s, connection())),
        Arguments.of(PreparedStatement.class, (Function<Object, Object>) s ->
            new CorrelatingPreparedStatement<>((PreparedStatement) s, connection())),
        Arguments.of(CallableStatement.class, (Function<Object, Object>) s ->
            new CorrelatingCallableStatement((CallableStatement) s, connection())));
  }

  private static CorrelatingConnection connection() {
    return new CorrelatingConnection(Delegation.recording(Connection.class, null), JDBC);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrappers")
  void the_wrapper_class_implements_every_method_of_the_interface(
      Class<?> type, Function<Object, Object> wrap) {
    Class<?> wrapper = wrap.apply(Delegation.recording(type, null)).getClass();
    List<String> notImplemented = Delegation.methods(type)
        .filter(m -> {
          try {
            Method implementation = wrapper.getMethod(m.getName(), m.getParameterTypes());
            return implementation.getDeclaringClass().isInterface() || Modifier.isAbstract(implementation.getModifiers());
          } catch (NoSuchMethodException e) {
            return true;
          }
        })
        .map(Method::toString)
        .collect(Collectors.toList());
    assertThat(notImplemented).as("methods of %s left to the interface", type.getSimpleName()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrappers")
  void every_method_reaches_the_wrapped_object_with_the_same_arguments(
      Class<?> type, Function<Object, Object> wrap) throws Exception {
    for (Method method : Delegation.methods(type).collect(Collectors.toList())) {
      if (type == Statement.class || type == PreparedStatement.class || type == CallableStatement.class) {
        if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
          continue; // answers the wrapped connection; see the H2 test
        }
      }
      List<Delegation.Call> calls = new ArrayList<>();
      List<Object> answers = new ArrayList<>();
      Object delegate = Delegation.recordingCalls(type, calls, returnType -> {
        Object answer = returnType.isInterface() ? Delegation.recording(returnType, null) : null;
        answers.add(answer);
        return answer;
      });
      Object wrapper = wrap.apply(delegate);
      Object[] args = Delegation.arguments(method, t -> null);
      Object returned;
      try {
        returned = method.invoke(wrapper, args);
      } catch (InvocationTargetException e) {
        throw new AssertionError(method + " threw", e.getCause());
      }

      assertThat(calls).as("calls of %s", method).hasSize(1);
      Delegation.assertForwarded(calls.get(0), method, args, Set.of());
      if (method.getReturnType().isInterface() && !WRAPPED.contains(method.getReturnType())) {
        assertThat(returned).as("what %s returned", method).isSameAs(answers.get(0));
      }
    }
  }
}
