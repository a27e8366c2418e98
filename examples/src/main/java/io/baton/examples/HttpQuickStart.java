package io.baton.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.baton.CorrelationPropagator;
import io.baton.FailureLog;
import io.baton.http.HttpCorrelation;
import io.baton.kafka.KafkaCorrelation;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The README's HTTP edge: the server filters, error bodies, the client, and interop with an edge
 * filter Baton did not write.
 */
public final class HttpQuickStart {

  private static final Logger log = LoggerFactory.getLogger(HttpQuickStart.class);

  private HttpQuickStart() {}

  /** The JDK server: one filter per context; "/" also answers paths nothing else serves. */
  public static HttpServer server(int port) throws IOException {
    HttpCorrelation http = HttpCorrelation.create();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/checkout", exchange -> {
      log.info("checkout received");                 // MDC: the request's correlation_id
      send(exchange, 202, "{\"status\":\"accepted\"}");
    }).getFilters().add(http.serverFilter());
    server.createContext("/", exchange -> send(exchange, 404,
        HttpCorrelation.errorBody("not_found", "No such page")))   // correlation_id: the request's
        .getFilters().add(http.serverFilter());
    server.start();
    return server;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", HttpCorrelation.JSON);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Jakarta Servlet 6: register once, e.g. in a ServletContainerInitializer, async included. */
  public static void servlet(ServletContext servletContext) {
    HttpCorrelation http = HttpCorrelation.create();
    FilterRegistration.Dynamic baton = servletContext.addFilter("baton-correlation", http.servletFilter());
    baton.setAsyncSupported(true);
    baton.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
  }

  /** The error bodies, with the ID of the request being handled. */
  public static String[] errorBodies() {
    String error = HttpCorrelation.errorBody("invalid_request", "order and amount are required");
    // {"error":{"code":"invalid_request","message":"order and amount are required","correlation_id":"..."}}
    String problem = HttpCorrelation.problemBody(409, "Order locked", "Order A-1 is being paid");
    // {"type":"about:blank","title":"Order locked","status":409,"detail":"...","correlation_id":"..."}
    return new String[] {error, problem};
  }

  /** Other header names, and a failing handler's line at WARN. */
  public static HttpCorrelation configured() {
    return HttpCorrelation.newBuilder()
        .headers("X-Request-ID", "X-Parent-Request-ID")   // default X-Correlation-ID, X-Parent-Correlation-ID
        .failureLog(FailureLog.at(Level.WARN))            // or FailureLog.off()
        .build();
  }

  /** Outgoing calls: wrap the client once, or stamp a request you build. */
  public static HttpResponse<String> call(URI inventory) throws Exception {
    HttpCorrelation http = HttpCorrelation.create();
    HttpClient client = http.client(HttpClient.newHttpClient());
    HttpResponse<String> response = client.send(                 // X-Correlation-ID: the current one
        HttpRequest.newBuilder(inventory).GET().build(), HttpResponse.BodyHandlers.ofString());

    HttpRequest stamped = http.request(HttpRequest.newBuilder(inventory)).GET().build();
    HttpClient.newHttpClient().send(stamped, HttpResponse.BodyHandlers.ofString()); // a retry: same ID
    return response;
  }

  /** An edge filter Baton did not write put the ID in the MDC: producers send that ID. */
  public static void interop(Producer<String, String> kafkaProducer, String requestId) {
    Producer<String, String> producer = KafkaCorrelation.create().producer(kafkaProducer);
    MDC.put("correlation_id", requestId);                 // what your own filter does
    try {
      producer.send(new ProducerRecord<>("orders", "A-1", "order"));  // correlation_id: requestId
    } finally {
      MDC.remove("correlation_id");
    }
  }

  /** Interop off: outside a Baton scope every send starts a fresh root, whatever the MDC holds. */
  public static KafkaCorrelation interopOff() {
    return KafkaCorrelation.newBuilder()
        .propagator(CorrelationPropagator.newBuilder().readMdc(false).build())
        .build();
  }
}
