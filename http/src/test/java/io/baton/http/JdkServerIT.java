package io.baton.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.baton.Baton;
import io.baton.Correlation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The filter on the JDK's own HTTP server, one pooled thread serving every request. */
class JdkServerIT extends EdgeContract {

  private HttpServer server;
  private ExecutorService pool;

  @Override
  void start(HttpCorrelation http) throws IOException {
    pool = Executors.newSingleThreadExecutor();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext("/api/hello", exchange -> {
      API.info("hello handled");
      send(exchange, 200, "text/plain", seen());
    }).getFilters().add(http.serverFilter());
    server.createContext("/api/boom", exchange -> {
      API.info("about to fail");
      throw new IllegalStateException(FAILURE);
    }).getFilters().add(http.serverFilter());
    // the catch-all under the filter, so that unknown paths are answered with the ID too
    server.createContext("/api/", exchange ->
        send(exchange, 404, HttpCorrelation.JSON, HttpCorrelation.errorBody("not_found", "No such page")))
        .getFilters().add(http.serverFilter());
    server.createContext("/raw", exchange -> send(exchange, 200, "text/plain", seen()));
    server.start();
  }

  @Override
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop(0);
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
      server = null;
    }
  }

  @Override
  int port() {
    return server.getAddress().getPort();
  }

  static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String currentId() {
    return Baton.current().map(Correlation::id).orElse(null);
  }
}
