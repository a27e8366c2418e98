package io.baton.http;

import io.baton.Correlation;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** The request the servlet sees: its async context runs work in the request's correlation. */
final class CorrelatingServletRequest extends HttpServletRequestWrapper {

  private final Correlation correlation;
  private final HttpCorrelation http;
  private CorrelatingAsyncContext async;

  CorrelatingServletRequest(HttpServletRequest request, Correlation correlation, HttpCorrelation http) {
    super(request);
    this.correlation = correlation;
    this.http = http;
  }

  @Override
  public AsyncContext startAsync() {
    return wrap(super.startAsync());
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    return wrap(super.startAsync(request, response));
  }

  @Override
  public AsyncContext getAsyncContext() {
    return wrap(super.getAsyncContext());
  }

  private synchronized AsyncContext wrap(AsyncContext context) {
    if (context == null || context instanceof CorrelatingAsyncContext) {
      return context;
    }
    if (async == null || !async.wraps(context)) {
      async = new CorrelatingAsyncContext(context, correlation, http);
    }
    return async;
  }
}
