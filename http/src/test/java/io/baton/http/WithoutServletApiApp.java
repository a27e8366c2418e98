package io.baton.http;

import com.sun.net.httpserver.HttpServer;
import io.baton.Baton;
import io.baton.CorrelationScope;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.MDC;

/**
 * A user of the JDK HTTP server and client only, run by {@link WithoutServletApiTest} in a JVM
 * whose class path has no Jakarta Servlet API: prints {@code OK <id>} when a call's ID reached the
 * server's handler.
 */
final class WithoutServletApiApp {

  private WithoutServletApiApp() {}

  public static void main(String[] args) throws Exception {
    try {
      Class.forName("jakarta.servlet.Filter");
      throw new AssertionError("the Jakarta Servlet API is on the class path; the test proves nothing");
    } catch (ClassNotFoundException expected) {
      // as for a user of the JDK server only
    }
    HttpCorrelation http = HttpCorrelation.create();
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      seen.set(MDC.get("correlation_id"));
      byte[] body = HttpCorrelation.errorBody("none", "fine").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }).getFilters().add(http.serverFilter());
    server.start();
    try {
      HttpClient client = http.client(HttpClient.newHttpClient());
      String id;
      try (CorrelationScope scope = Baton.openNew()) {
        id = Baton.current().orElseThrow().id();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      }
      if (!id.equals(seen.get())) {
        throw new AssertionError("the handler's MDC held " + seen.get() + ", the call was " + id);
      }
      System.out.println("OK " + id);
    } finally {
      server.stop(0);
    }
  }
}
