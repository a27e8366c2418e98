package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Correlation;
import io.baton.testing.Delegation;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The wrappers forward every method of what they wrap. */
class HttpDelegationTest {

  static Stream<Method> asyncContextMethods() {
    return Delegation.methods(AsyncContext.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("asyncContextMethods")
  void async_context_wrapper_delegates_with_the_same_arguments(Method method) throws Exception {
    List<Delegation.Call> calls = new ArrayList<>();
    AsyncContext wrapped = new CorrelatingAsyncContext(
        Delegation.recordingCalls(AsyncContext.class, calls, type -> null), Correlation.newRoot(), HttpCorrelation.create());
    Object[] args = Delegation.arguments(method, type -> null);

    method.invoke(wrapped, args);

    assertThat(calls).hasSize(1);
    // work and listeners are handed over wrapped, to run in the request's correlation
    Delegation.assertForwarded(calls.get(0), method, args, Set.of(Runnable.class, AsyncListener.class));
  }

  @Test
  void http_client_wrapper_overrides_every_method_of_the_running_jdks_http_client() throws Exception {
    // on Java 21+ that includes close(), shutdown(), shutdownNow(), awaitTermination(), isTerminated()
    for (Method method : HttpClient.class.getMethods()) {
      if (method.getDeclaringClass() != HttpClient.class || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      assertThat(CorrelatingHttpClient.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
          .as(method.toString()).isNotNull();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void closing_the_wrapper_closes_the_wrapped_client_on_java_21() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    HttpClient wrapped = HttpCorrelation.create().client(plain);
    Method isTerminated = HttpClient.class.getMethod("isTerminated");
    assertThat((boolean) isTerminated.invoke(wrapped)).isFalse();

    HttpClient.class.getMethod("close").invoke(wrapped); // built for 17: no AutoCloseable to call

    assertThat((boolean) isTerminated.invoke(plain)).as("the wrapped client terminated").isTrue();
    assertThat((boolean) isTerminated.invoke(wrapped)).isTrue();
    assertThat((boolean) HttpClient.class.getMethod("awaitTermination", java.time.Duration.class)
        .invoke(wrapped, java.time.Duration.ofSeconds(1))).isTrue();
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void shutting_down_the_wrapper_shuts_down_the_wrapped_client_on_java_21() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    HttpClient wrapped = HttpCorrelation.create().client(plain);

    HttpClient.class.getMethod("shutdownNow").invoke(wrapped);

    assertThat((boolean) HttpClient.class.getMethod("awaitTermination", java.time.Duration.class)
        .invoke(plain, java.time.Duration.ofSeconds(10))).as("the wrapped client terminated").isTrue();
  }

  @Test
  void http_client_wrapper_answers_what_the_wrapped_client_says() {
    HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpClient wrapped = HttpCorrelation.create().client(plain);

    assertThat(wrapped.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
    assertThat(wrapped.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(wrapped.sslContext()).isSameAs(plain.sslContext());
    assertThat(wrapped.connectTimeout()).isEqualTo(plain.connectTimeout());
    assertThat(wrapped.proxy()).isEqualTo(plain.proxy());
    assertThat(wrapped.authenticator()).isEqualTo(plain.authenticator());
    assertThat(wrapped.cookieHandler()).isEqualTo(plain.cookieHandler());
    assertThat(wrapped.executor()).isEqualTo(plain.executor());
  }
}
