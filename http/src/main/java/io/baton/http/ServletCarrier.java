package io.baton.http;

import io.baton.CorrelationPropagator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Adapts a servlet request's headers to core's getter (the container matches names ignoring case). */
final class ServletCarrier {

  private ServletCarrier() {}

  static final CorrelationPropagator.Getter<HttpServletRequest> GETTER = (request, key) -> {
    Enumeration<String> values = request.getHeaders(key);
    return values == null ? null : HttpCarrier.single(values.asIterator());
  };
}
