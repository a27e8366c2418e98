package io.baton.http;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The servlet filter: each dispatch of a request handled inside the request's correlation, taken
 * from its header on the first dispatch and kept in a request attribute for the later ones
 * (async, error, forward).
 */
final class CorrelationServletFilter implements Filter {

  /** The request attribute holding the request's {@link Correlation}. */
  static final String ATTRIBUTE = Correlation.class.getName();

  private final HttpCorrelation http;

  CorrelationServletFilter(HttpCorrelation http) {
    this.http = http;
  }

  static Filter of(HttpCorrelation http) {
    return new CorrelationServletFilter(http);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest httpRequest = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    CorrelationPropagator propagator = http.propagator();
    Correlation correlation = correlation(httpRequest);
    if (correlation == null) {
      correlation = propagator.extract(httpRequest, ServletCarrier.GETTER);
      httpRequest.setAttribute(ATTRIBUTE, correlation);
      // set before the servlet runs, so that every answer it sends shows the ID
      httpResponse.setHeader(propagator.idHeader(), correlation.id());
    }
    ErrorBodyResponse correlatedResponse = new ErrorBodyResponse(httpResponse, propagator.idHeader(), correlation);
    try (CorrelationScope scope = propagator.open(correlation)) {
      try {
        chain.doFilter(new CorrelatingServletRequest(httpRequest, correlation, http), correlatedResponse);
      } catch (IOException | ServletException | RuntimeException | Error e) {
        http.failureLog().log(HttpCorrelation.LOG, e, "HTTP handler failed on {} {}",
            Baton.printable(httpRequest.getMethod()), Baton.printable(httpRequest.getRequestURI()));
        if (e instanceof Error || httpResponse.isCommitted()) {
          throw e; // the answer has started: only the container can end it now
        }
        httpResponse.reset();
        correlatedResponse.answer(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Internal server error");
      }
    }
  }

  static Correlation correlation(ServletRequest request) {
    Object correlation = request.getAttribute(ATTRIBUTE);
    return correlation instanceof Correlation ? (Correlation) correlation : null;
  }
}
