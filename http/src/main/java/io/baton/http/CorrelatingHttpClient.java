package io.baton.http;

import io.baton.CorrelationPropagator;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

  // Java 21 made HttpClient AutoCloseable. Built for 17, these five do not override anything
  // there; on 21+ they override HttpClient's lifecycle methods, whose defaults would leave the
  // wrapped client running (its close() would return at once), and reach the wrapped client's.

  /** On Java 21+, {@code HttpClient.shutdown()} of the wrapped client. */
  public void shutdown() {
    Lifecycle.run(Lifecycle.SHUTDOWN, delegate);
  }

  /** On Java 21+, {@code HttpClient.shutdownNow()} of the wrapped client. */
  public void shutdownNow() {
    Lifecycle.run(Lifecycle.SHUTDOWN_NOW, delegate);
  }

  /** On Java 21+, {@code HttpClient.close()} of the wrapped client. */
  public void close() {
    Lifecycle.run(Lifecycle.CLOSE, delegate);
  }

  /**
   * On Java 21+, {@code HttpClient.awaitTermination(Duration)} of the wrapped client.
   *
   * @param duration how long to wait at most
   * @return whether the wrapped client terminated
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    if (Lifecycle.AWAIT_TERMINATION == null) {
      return true; // as HttpClient's own default
    }
    try {
      return (boolean) Lifecycle.AWAIT_TERMINATION.invokeExact(delegate, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * On Java 21+, {@code HttpClient.isTerminated()} of the wrapped client.
   *
   * @return whether the wrapped client terminated
   */
  public boolean isTerminated() {
    if (Lifecycle.IS_TERMINATED == null) {
      return false; // as HttpClient's own default
    }
    try {
      return (boolean) Lifecycle.IS_TERMINATED.invokeExact(delegate);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Correlating" + delegate;
  }

  /** Java 21's HttpClient lifecycle methods, found once; null where the JDK has none. */
  private static final class Lifecycle {
    static final MethodHandle SHUTDOWN = find("shutdown", MethodType.methodType(void.class));
    static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", MethodType.methodType(void.class));
    static final MethodHandle CLOSE = find("close", MethodType.methodType(void.class));
    static final MethodHandle AWAIT_TERMINATION =
        find("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
    static final MethodHandle IS_TERMINATED = find("isTerminated", MethodType.methodType(boolean.class));

    private static MethodHandle find(String name, MethodType type) {
      try {
        return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        return null; // Java 17 to 20
      }
    }

    static void run(MethodHandle method, HttpClient client) {
      if (method == null) {
        return; // as HttpClient's own defaults there: nothing to do
      }
      try {
        method.invokeExact(client);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
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
