package io.baton.http;

import io.baton.Correlation;
import io.baton.CorrelationScope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * An async request's context: work given to {@link #start} and the listeners added here run in
 * the request's correlation, each in its own scope on whatever thread runs it.
 */
final class CorrelatingAsyncContext implements AsyncContext {

  private final AsyncContext delegate;
  private final Correlation correlation;
  private final HttpCorrelation http;

  CorrelatingAsyncContext(AsyncContext delegate, Correlation correlation, HttpCorrelation http) {
    this.delegate = delegate;
    this.correlation = correlation;
    this.http = http;
  }

  boolean wraps(AsyncContext context) {
    return delegate == context;
  }

  @Override
  public void start(Runnable run) {
    if (run == null) {
      delegate.start(null);
      return;
    }
    delegate.start(() -> {
      try (CorrelationScope scope = http.propagator().open(correlation)) {
        try {
          run.run();
        } catch (RuntimeException | Error e) {
          http.failureLog().log(HttpCorrelation.LOG, e, "Async request work failed");
          throw e;
        }
      }
    });
  }

  @Override
  public void addListener(AsyncListener listener) {
    delegate.addListener(listener(listener));
  }

  @Override
  public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
    delegate.addListener(listener(listener), request, response);
  }

  private AsyncListener listener(AsyncListener listener) {
    if (listener == null || listener instanceof CorrelatingAsyncListener) {
      return listener;
    }
    return new CorrelatingAsyncListener(listener, this, correlation, http);
  }

  @Override
  public ServletRequest getRequest() {
    return delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return delegate.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return delegate.hasOriginalRequestAndResponse();
  }

  @Override
  public void dispatch() {
    delegate.dispatch();
  }

  @Override
  public void dispatch(String path) {
    delegate.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    delegate.dispatch(context, path);
  }

  @Override
  public void complete() {
    delegate.complete();
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
    return delegate.createListener(type);
  }

  @Override
  public void setTimeout(long timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }
}
