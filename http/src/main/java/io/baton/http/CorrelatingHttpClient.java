package io.baton.http;

import io.baton.CorrelationPropagator;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} whose requests carry the correlation current when they are sent
 * (captured on the calling thread, also for {@code sendAsync}), unless they carry a valid ID.
 */
final class CorrelatingHttpClient extends HttpClient {

  private final HttpClient delegate;
  private final CorrelationPropagator propagator;

  CorrelatingHttpClient(HttpClient delegate, HttpCorrelation http) {
    this.delegate = delegate;
    this.propagator = http.propagator();
  }

  /** {@code request}, or a copy of it with the correlation headers when it lacks a valid ID. */
  HttpRequest correlated(HttpRequest request) {
    if (request == null) {
      return null; // the delegate says what is wrong
    }
    OutgoingRequest outgoing = new OutgoingRequest(request, propagator);
    propagator.inject(outgoing, OutgoingRequest.GETTER, OutgoingRequest.SETTER);
    return outgoing.request();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(correlated(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return delegate.sendAsync(correlated(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(correlated(request), handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public String toString() {
    return "Correlating" + delegate;
  }

  /** An outgoing request as a carrier: read from the request, written into a copy of it. */
  private static final class OutgoingRequest {
    static final CorrelationPropagator.Getter<OutgoingRequest> GETTER =
        (outgoing, key) -> HttpCarrier.CLIENT.get(outgoing.original.headers(), key);

    static final CorrelationPropagator.Setter<OutgoingRequest> SETTER =
        new CorrelationPropagator.Setter<>() {
          @Override
          public void set(OutgoingRequest outgoing, String key, String value) {
            outgoing.copy().setHeader(key, value);
          }
          // a copy leaves out both correlation headers, so removing needs no more
        };

    private final HttpRequest original;
    private final CorrelationPropagator propagator;
    private HttpRequest.Builder copy;

    OutgoingRequest(HttpRequest original, CorrelationPropagator propagator) {
      this.original = original;
      this.propagator = propagator;
    }

    HttpRequest.Builder copy() {
      if (copy == null) {
        // without the refused ID and whatever parent came with it
        copy = HttpRequest.newBuilder(original, (name, value) ->
            !CorrelationPropagator.Getter.sameName(name, propagator.idHeader())
                && !CorrelationPropagator.Getter.sameName(name, propagator.parentHeader()));
      }
      return copy;
    }

    HttpRequest request() {
      return copy == null ? original : copy.build();
    }
  }
}
