package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.baton.Correlation;
import io.baton.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpQuickStartTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void readme_server_logs_under_the_inbound_id_and_answers_with_it_also_for_a_404() throws Exception {
    HttpServer server = HttpQuickStart.server(0);
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      String id = "web-" + Correlation.newRoot().id().replace("-", "");
      HttpResponse<String> accepted = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(base.resolve("/checkout")).header("X-Correlation-ID", id).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> missing = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(base.resolve("/nothing-here")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(accepted.statusCode()).isEqualTo(202);
      assertThat(accepted.headers().firstValue("X-Correlation-ID")).hasValue(id);
      assertThat(logs.withMessage("checkout received").get(0).correlationId()).isEqualTo(id);
      String fresh = missing.headers().firstValue("X-Correlation-ID").orElseThrow();
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"correlation_id\":\"" + fresh + "\"");

      // the client snippet calls the server snippet: the outgoing ID comes back
      HttpResponse<String> called = HttpQuickStart.call(base.resolve("/checkout"));
      assertThat(called.headers().firstValue("X-Correlation-ID").orElseThrow()).matches(Correlation::isValidId);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void readme_interop_sends_the_id_another_filter_put_in_the_mdc() {
    MockProducer<String, String> mock = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    String requestId = "req-0123456789abcdef";

    HttpQuickStart.interop(mock, requestId);

    assertThat(new String(mock.history().get(0).headers().lastHeader("correlation_id").value(), StandardCharsets.UTF_8))
        .isEqualTo(requestId);
  }

  @Test
  void readme_error_bodies_carry_no_id_outside_a_request_and_configured_names_build() {
    assertThat(HttpQuickStart.errorBodies()[0]).contains("\"correlation_id\":null");
    assertThat(HttpQuickStart.errorBodies()[1]).startsWith("{\"type\":\"about:blank\"");
    assertThat(HttpQuickStart.configured().propagator().idHeader()).isEqualTo("X-Request-ID");
    assertThat(HttpQuickStart.interopOff()).isNotNull();
  }
}
