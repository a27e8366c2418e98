package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** Outgoing calls with the JDK HttpClient to a real server that records what arrived. */
class HttpClientIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final HttpCorrelation http = HttpCorrelation.create();
  private final HttpClient client = http.client(HttpClient.newHttpClient());
  /** "<X-Correlation-ID>|<X-Parent-Correlation-ID>" of every request the server got. */
  private final List<String> arrived = new CopyOnWriteArrayList<>();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/record", exchange -> {
      arrived.add(exchange.getRequestHeaders().getFirst("X-Correlation-ID") + "|"
          + exchange.getRequestHeaders().getFirst("X-Parent-Correlation-ID"));
      JdkServerIT.send(exchange, 200, "text/plain", "ok");
    });
    server.createContext("/flaky", exchange -> {
      arrived.add(exchange.getRequestHeaders().getFirst("X-Correlation-ID") + "|"
          + exchange.getRequestHeaders().getFirst("X-Parent-Correlation-ID"));
      JdkServerIT.send(exchange, flakyCalls.incrementAndGet() == 1 ? 503 : 200, "text/plain", "ok");
    });
    server.createContext("/edge", exchange -> {
      EdgeContract.API.info("downstream handled");
      JdkServerIT.send(exchange, 200, "text/plain", EdgeContract.seen());
    }).getFilters().add(http.serverFilter());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private HttpResponse<String> get(HttpClient with, HttpRequest request) throws Exception {
    return with.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrapped_client_sends_the_current_correlation_and_its_parent() throws Exception {
    Correlation order = Correlation.newRoot().newChild();
    try (CorrelationScope scope = Baton.open(order)) {
      get(client, HttpRequest.newBuilder(uri("/record")).build());
    }

    assertThat(arrived).containsExactly(order.id() + "|" + order.parentId().orElseThrow());
  }

  @Test
  void valid_id_the_caller_set_is_kept() throws Exception {
    String mine = EdgeContract.valid();
    try (CorrelationScope scope = Baton.openNew()) {
      get(client, HttpRequest.newBuilder(uri("/record")).header("x-correlation-id", mine).build());
    }

    assertThat(arrived).containsExactly(mine + "|null");
  }

  @Test
  void invalid_id_the_caller_set_is_replaced_by_the_current_one_and_its_parent_dropped() throws Exception {
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      get(client, HttpRequest.newBuilder(uri("/record"))
          .header("X-Correlation-ID", "not a valid id").header("X-Parent-Correlation-ID", EdgeContract.valid()).build());
    }

    assertThat(arrived).containsExactly(order.id() + "|null");
  }

  @Test
  void outside_any_scope_an_id_another_filter_put_in_the_mdc_is_sent() throws Exception {
    String fromOtherFilter = EdgeContract.valid();
    MDC.put("correlation_id", fromOtherFilter);
    try {
      get(client, HttpRequest.newBuilder(uri("/record")).build());
      get(HttpCorrelation.newBuilder().readMdc(false).build().client(HttpClient.newHttpClient()),
          HttpRequest.newBuilder(uri("/record")).build());
    } finally {
      MDC.remove("correlation_id");
    }

    assertThat(arrived.get(0)).isEqualTo(fromOtherFilter + "|null");
    assertThat(arrived.get(1).split("\\|")[0]).matches(Correlation::isValidId).isNotEqualTo(fromOtherFilter);
  }

  @Test
  void outside_any_scope_each_send_starts_a_fresh_root() throws Exception {
    get(client, HttpRequest.newBuilder(uri("/record")).build());

    assertThat(arrived).singleElement().satisfies(line -> {
      assertThat(line.split("\\|")[0]).matches(Correlation::isValidId);
      assertThat(line).endsWith("|null");
    });
  }

  @Test
  void send_async_carries_the_correlation_current_at_the_call() throws Exception {
    Correlation order = Correlation.newRoot();
    CompletableFuture<HttpResponse<String>> pending;
    try (CorrelationScope scope = Baton.open(order)) {
      pending = client.sendAsync(HttpRequest.newBuilder(uri("/record")).build(), HttpResponse.BodyHandlers.ofString());
    }
    pending.join();

    assertThat(arrived).containsExactly(order.id() + "|null");
  }

  @Test
  void retry_of_the_same_request_keeps_its_id() throws Exception {
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      HttpRequest request = HttpRequest.newBuilder(uri("/flaky")).build();
      assertThat(get(client, request).statusCode()).isEqualTo(503);
      assertThat(get(client, request).statusCode()).isEqualTo(200);
    }

    assertThat(arrived).containsExactly(order.id() + "|null", order.id() + "|null");
  }

  @Test
  void request_built_with_the_helper_keeps_its_id_on_every_send_even_outside_a_scope() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    HttpRequest request = http.request(HttpRequest.newBuilder(uri("/flaky"))).build();
    get(plain, request);
    get(plain, request);
    get(client, request);

    assertThat(arrived).hasSize(3).allSatisfy(line -> assertThat(line).isEqualTo(arrived.get(0)));
    assertThat(arrived.get(0).split("\\|")[0]).matches(Correlation::isValidId);
  }

  @Test
  void request_helper_writes_the_current_correlation_and_its_parent() throws Exception {
    Correlation order = Correlation.newRoot().newChild();
    HttpRequest request;
    try (CorrelationScope scope = Baton.open(order)) {
      request = http.request(HttpRequest.newBuilder(uri("/record"))).build();
    }
    get(HttpClient.newHttpClient(), request);

    assertThat(arrived).containsExactly(order.id() + "|" + order.parentId().orElseThrow());
  }

  @Test
  void downstream_service_behind_the_filter_logs_under_the_callers_id() throws Exception {
    Correlation order = Correlation.newRoot().newChild();
    HttpResponse<String> response;
    try (CorrelationScope scope = Baton.open(order)) {
      response = get(client, HttpRequest.newBuilder(uri("/edge")).build());
    }

    assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue(order.id());
    assertThat(response.body()).isEqualTo(order.id() + "|" + order.parentId().orElseThrow() + "|" + order.id());
    assertThat(logs.withMessage("downstream handled")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(order.id());
      assertThat(line.parentCorrelationId()).isEqualTo(order.parentId().orElseThrow());
    });
  }

  @Test
  void wrapping_twice_returns_the_same_client() {
    assertThat(http.client(client)).isSameAs(client);
    assertThat(client.version()).isEqualTo(HttpClient.newHttpClient().version());
  }
}
