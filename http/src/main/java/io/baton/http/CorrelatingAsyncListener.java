package io.baton.http;

import io.baton.Correlation;
import io.baton.CorrelationScope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;

/**
 * A listener of an async request, called in the request's correlation on whichever thread
 * completes, times out or fails the request. Its events name the correlating context, so that a
 * listener re-adding itself in {@code onStartAsync} stays correlated.
 */
final class CorrelatingAsyncListener implements AsyncListener {

  private final AsyncListener delegate;
  private final CorrelatingAsyncContext context;
  private final Correlation correlation;
  private final HttpCorrelation http;

  CorrelatingAsyncListener(
      AsyncListener delegate, CorrelatingAsyncContext context, Correlation correlation, HttpCorrelation http) {
    this.delegate = delegate;
    this.context = context;
    this.correlation = correlation;
    this.http = http;
  }

  @Override
  public void onComplete(AsyncEvent event) throws IOException {
    try (CorrelationScope scope = http.propagator().open(correlation)) {
      delegate.onComplete(correlated(event));
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) throws IOException {
    try (CorrelationScope scope = http.propagator().open(correlation)) {
      delegate.onTimeout(correlated(event));
    }
  }

  @Override
  public void onError(AsyncEvent event) throws IOException {
    try (CorrelationScope scope = http.propagator().open(correlation)) {
      delegate.onError(correlated(event));
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) throws IOException {
    try (CorrelationScope scope = http.propagator().open(correlation)) {
      delegate.onStartAsync(correlated(event));
    }
  }

  private AsyncEvent correlated(AsyncEvent event) {
    return new AsyncEvent(context, event.getSuppliedRequest(), event.getSuppliedResponse(), event.getThrowable());
  }
}
