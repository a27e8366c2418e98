package io.baton.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The JDK HTTP server's filter: each exchange handled inside its request's correlation. */
final class CorrelationFilter extends Filter {

  private final HttpCorrelation http;

  CorrelationFilter(HttpCorrelation http) {
    this.http = http;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    CorrelationPropagator propagator = http.propagator();
    Correlation correlation = propagator.extract(exchange.getRequestHeaders(), HttpCarrier.SERVER);
    // set before the handler runs, so that every answer it sends shows the ID
    exchange.getResponseHeaders().set(propagator.idHeader(), correlation.id());
    try (CorrelationScope scope = propagator.open(correlation)) {
      try {
        chain.doFilter(exchange);
      } catch (IOException | RuntimeException e) {
        http.failureLog().log(HttpCorrelation.LOG, e, "HTTP handler failed on {} {}",
            Baton.printable(exchange.getRequestMethod()), path(exchange));
        if (exchange.getResponseCode() != -1) {
          throw e; // the answer has started: only the server can end it now
        }
        answer(exchange, propagator, correlation);
      } catch (Error e) {
        http.failureLog().log(HttpCorrelation.LOG, e, "HTTP handler failed on {} {}",
            Baton.printable(exchange.getRequestMethod()), path(exchange));
        throw e;
      }
    }
  }

  private static void answer(HttpExchange exchange, CorrelationPropagator propagator, Correlation correlation)
      throws IOException {
    byte[] body = HttpCorrelation.errorBody("internal_error", "Internal server error", correlation.id())
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set(propagator.idHeader(), correlation.id());
    exchange.getResponseHeaders().set("Content-Type", HttpCorrelation.JSON + "; charset=utf-8");
    exchange.sendResponseHeaders(500, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static String path(HttpExchange exchange) {
    return exchange.getRequestURI() == null ? "?" : Baton.printable(exchange.getRequestURI().getRawPath());
  }

  @Override
  public String description() {
    return "Baton correlation (" + http.propagator().idHeader() + ")";
  }
}
