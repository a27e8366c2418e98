package io.baton.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * For tests that prove a decorator delegates every method of the interface it wraps: a recording
 * stand-in for the wrapped object, and arguments to call any method with.
 */
public final class Delegation {

  private Delegation() {}

  /** The interface's instance methods, {@code Object}'s excepted. */
  public static Stream<Method> methods(Class<?> type) {
    return Stream.of(type.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class);
  }

  /** One call a recording stand-in received. */
  public static final class Call {
    private final Method method;
    private final Object[] args;

    Call(Method method, Object[] args) {
      this.method = method;
      this.args = args == null ? new Object[0] : args.clone();
    }

    public Method method() {
      return method;
    }

    public Object[] args() {
      return args.clone();
    }
  }

  /**
   * Asserts that {@code call} is {@code method} with {@code passed} as its arguments (the same
   * objects), except at positions whose parameter type is in {@code substitutable}: a wrapper may
   * pass its own wrapper of a callback, or a copy of properties, there.
   */
  public static void assertForwarded(
      Call call, Method method, Object[] passed, java.util.Set<Class<?>> substitutable) {
    org.assertj.core.api.Assertions.assertThat(call.method()).isEqualTo(method);
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (substitutable.contains(types[i])) {
        org.assertj.core.api.Assertions.assertThat(call.args()[i]).as("argument %d of %s", i, method).isNotNull();
      } else if (types[i].isPrimitive()) {
        org.assertj.core.api.Assertions.assertThat(call.args()[i]).as("argument %d of %s", i, method).isEqualTo(passed[i]);
      } else {
        org.assertj.core.api.Assertions.assertThat(call.args()[i]).as("argument %d of %s", i, method).isSameAs(passed[i]);
      }
    }
  }

  /** Like {@link #recording(Class, List, Function)}, recording arguments too. */
  @SuppressWarnings("unchecked")
  public static <T> T recordingCalls(Class<T> type, List<Call> calls, Function<Class<?>, Object> returns) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording " + type.getSimpleName() : null;
              }
              calls.add(new Call(method, args));
              Object value = returns.apply(method.getReturnType());
              return value != null ? value : zero(method.getReturnType());
            });
  }

  /**
   * An implementation of {@code type} that adds every call to {@code calls} (when not null) and
   * returns {@code returns.apply(returnType)}, or a zero value for primitives, or null.
   */
  @SuppressWarnings("unchecked")
  public static <T> T recording(
      Class<T> type, List<Method> calls, Function<Class<?>, Object> returns) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording " + type.getSimpleName() : null;
              }
              if (calls != null) {
                calls.add(method);
              }
              Object value = returns.apply(method.getReturnType());
              return value != null ? value : zero(method.getReturnType());
            });
  }

  /** Like {@link #recording(Class, List, Function)}, returning zero values and nulls. */
  public static <T> T recording(Class<T> type, List<Method> calls) {
    return recording(type, calls, returnType -> null);
  }

  /**
   * Arguments for calling {@code method}: {@code special.apply(type)} where it gives one, else
   * zeros, {@code "x"}, empty arrays, buffers and maps, {@code Duration.ZERO}, {@code
   * String.class}, and non-recording stand-ins for interfaces.
   */
  public static Object[] arguments(Method method, Function<Class<?>, Object> special) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      Object value = special.apply(type);
      if (value != null) {
        args[i] = value;
      } else if (type.isPrimitive()) {
        args[i] = zero(type);
      } else if (type == String.class || type == java.io.Serializable.class || type == Object.class) {
        args[i] = "x";
      } else if (type == byte[].class) {
        args[i] = new byte[0];
      } else if (type == ByteBuffer.class) {
        args[i] = ByteBuffer.allocate(0);
      } else if (type == Map.class) {
        args[i] = Map.of();
      } else if (type == Duration.class) {
        args[i] = Duration.ZERO;
      } else if (type == Class.class) {
        args[i] = String.class;
      } else if (type.isInterface()) {
        args[i] = recording(type, null);
      }
    }
    return args;
  }

  /** The zero value of a primitive type; null for anything else. */
  public static Object zero(Class<?> type) {
    if (type == long.class) {
      return 0L;
    } else if (type == int.class) {
      return 0;
    } else if (type == short.class) {
      return (short) 0;
    } else if (type == byte.class) {
      return (byte) 0;
    } else if (type == double.class) {
      return 0d;
    } else if (type == float.class) {
      return 0f;
    } else if (type == boolean.class) {
      return false;
    } else if (type == char.class) {
      return (char) 0;
    }
    return null;
  }
}
