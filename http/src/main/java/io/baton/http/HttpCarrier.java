package io.baton.http;

import com.sun.net.httpserver.Headers;
import io.baton.CorrelationPropagator;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Adapts HTTP headers (JDK server, JDK client) to core's getter and setter. */
final class HttpCarrier {

  private HttpCarrier() {}

  /** Inbound headers of the JDK server; names are matched ignoring case. */
  static final CorrelationPropagator.Getter<Headers> SERVER = (headers, key) -> {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null && CorrelationPropagator.Getter.sameName(header.getKey(), key)) {
        return single(header.getValue().iterator());
      }
    }
    return null;
  };

  /** Headers of a request built for the JDK client ({@code HttpHeaders} matches ignoring case). */
  static final CorrelationPropagator.Getter<HttpHeaders> CLIENT =
      (headers, key) -> single(headers.allValues(key).iterator());

  /** An outgoing request's builder: {@code setHeader} replaces. */
  static final CorrelationPropagator.Setter<HttpRequest.Builder> BUILDER =
      (builder, key, value) -> builder.setHeader(key, value);

  /**
   * One header's value: the value when every occurrence says the same, otherwise all of them
   * joined with {@code ", "} (as a proxy folding them would), which core refuses as invalid: two
   * IDs that disagree name no one piece of work.
   */
  static String single(Iterator<String> values) {
    if (!values.hasNext()) {
      return null;
    }
    String first = values.next();
    StringBuilder joined = null;
    while (values.hasNext()) {
      String next = values.next();
      if (joined == null && next.equals(first)) {
        continue;
      }
      if (joined == null) {
        joined = new StringBuilder(first);
      }
      joined.append(", ").append(next);
    }
    return joined == null ? first : joined.toString();
  }
}
