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
  void http_client_wrapper_overrides_every_abstract_method_and_the_websocket_builder() throws Exception {
    for (Method method : HttpClient.class.getMethods()) {
      if (method.getDeclaringClass() != HttpClient.class || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      if (Modifier.isAbstract(method.getModifiers()) || method.getName().equals("newWebSocketBuilder")) {
        assertThat(CorrelatingHttpClient.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
            .as(method.toString()).isNotNull();
      }
    }
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
