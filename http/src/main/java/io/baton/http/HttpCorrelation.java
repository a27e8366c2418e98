package io.baton.http;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.FailureLog;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlation at the HTTP edge: where an ID enters, and where the user sees it again.
 *
 * <pre>{@code
 * HttpCorrelation http = HttpCorrelation.create();
 * // JDK server
 * server.createContext("/checkout", handler).getFilters().add(http.serverFilter());
 * // Jakarta Servlet 6 (Jetty 12 ee10, Tomcat 10.1+)
 * context.addFilter(new FilterHolder(http.servletFilter()), "/*", EnumSet.of(REQUEST, ASYNC));
 * // JDK HttpClient: outgoing requests carry the current correlation
 * HttpClient client = http.client(HttpClient.newHttpClient());
 * }</pre>
 *
 * <p>A request is handled inside the correlation its {@code X-Correlation-ID} header names when
 * that is a valid ID (core's rule: 16-64 of {@code [A-Za-z0-9_-]}; the name is matched ignoring
 * case), inside a fresh root when the header is missing, and inside a fresh root with one
 * sanitized WARN when it is invalid (control characters, too long, non-ASCII, or two headers that
 * disagree). The response always carries the ID in {@code X-Correlation-ID}: set before the
 * handler runs, so success, error answers and a handler that throws (answered with a 500 and
 * {@link #errorBody(String, String, String)}) all show it.
 */
public final class HttpCorrelation {

  /** The default header of the correlation ID, inbound and outbound. */
  public static final String ID_HEADER = "X-Correlation-ID";

  /**
   * The default header of the parent correlation ID: sent by {@link #client} and {@link
   * #request} when the current correlation has a parent, read by the server filters next to
   * {@link #ID_HEADER}.
   */
  public static final String PARENT_HEADER = "X-Parent-Correlation-ID";

  /** The media type of {@link #errorBody}. */
  public static final String JSON = "application/json";

  /** The media type of {@link #problemBody} (RFC 9457). */
  public static final String PROBLEM_JSON = "application/problem+json";

  /** Where Baton's own lines about HTTP requests go: failed handlers. */
  static final Logger LOG = LoggerFactory.getLogger("io.baton.http");

  private final CorrelationPropagator propagator;
  private final FailureLog failureLog;

  private HttpCorrelation(Builder builder) {
    CorrelationPropagator.Builder propagator = CorrelationPropagator.newBuilder()
        .headers(builder.idHeader, builder.parentHeader)
        .aliases()
        .mdcKeys(builder.idMdcKey, builder.parentMdcKey)
        .readMdc(builder.readMdc);
    if (builder.idGenerator != null) {
      propagator.idGenerator(builder.idGenerator);
    }
    this.propagator = propagator.build();
    this.failureLog = builder.failureLog;
  }

  /**
   * Headers {@code X-Correlation-ID} / {@code X-Parent-Correlation-ID}, failures at ERROR.
   *
   * @return an instance with the defaults
   */
  public static HttpCorrelation create() {
    return new Builder().build();
  }

  /**
   * A builder, to choose the header names, MDC keys, ID generator or failure line.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A filter for the JDK's {@code com.sun.net.httpserver} server; add it to each context:
   * {@code server.createContext("/", handler).getFilters().add(http.serverFilter())}. Requests
   * no context matches get the server's own 404 without any filter: give the server a {@code "/"}
   * context with this filter to answer those too.
   *
   * <p>A handler that throws is logged once under the request's correlation ({@link
   * Builder#failureLog}); when it had not sent the response headers yet, the filter answers 500
   * with {@link #errorBody} and the ID header, and the exception stops there. Otherwise it goes
   * on to the server unchanged (which closes the connection).
   *
   * @return a new filter applying this instance
   */
  public com.sun.net.httpserver.Filter serverFilter() {
    return new CorrelationFilter(this);
  }

  /**
   * A Jakarta Servlet 6 filter; map it to {@code /*} for the {@code REQUEST} and {@code ASYNC}
   * dispatches, with {@code asyncSupported} where servlets go async. The first dispatch takes the
   * request's correlation from its header; later ones (an async dispatch, an error or forward
   * dispatch the filter is mapped for) run in that same correlation. Work given to {@code
   * AsyncContext.start(Runnable)} and the {@code AsyncListener}s added to the context run in it
   * too, each in its own scope on whichever thread runs them.
   *
   * <p>The container's own error answers ({@code sendError}, its 404) get {@link #errorBody} with
   * the ID. A handler that throws is logged once under the request's correlation; when the
   * response is not committed yet the filter answers 500 with {@link #errorBody} and the ID
   * header and the exception stops there, otherwise it goes on to the container unchanged.
   *
   * @return a new filter applying this instance
   */
  public jakarta.servlet.Filter servletFilter() {
    // through a method typed Filter, so that verifying this class never loads the Servlet API,
    // which users of the JDK server alone do not have
    return CorrelationServletFilter.of(this);
  }

  /**
   * {@code client}, wrapped so that every request it sends carries the correlation current at
   * the call in {@code X-Correlation-ID} (and its parent in {@code X-Parent-Correlation-ID}),
   * unless the request has a valid ID already: one the caller set is kept. Outside any Baton
   * scope, a valid ID in the MDC is used (an application's own filter put it there), else a fresh
   * root for each send; build such requests with {@link #request} so that each resend of one
   * {@code HttpRequest} keeps its ID. Wrapping twice returns the same wrapper.
   *
   * @param client the client to send through
   * @return the correlating client, or {@code client} itself when it is already one
   */
  public HttpClient client(HttpClient client) {
    Objects.requireNonNull(client, "client");
    if (client instanceof CorrelatingHttpClient) {
      return client;
    }
    return new CorrelatingHttpClient(client, this);
  }

  /**
   * Writes the current correlation into {@code builder} ({@code X-Correlation-ID}, and {@code
   * X-Parent-Correlation-ID} when it has a parent; a fresh root when none is current), for
   * clients that are not wrapped: {@code client.send(http.request(HttpRequest.newBuilder(uri))
   * .GET().build(), ofString())}. The built request then carries that ID on every send, retries
   * included. To keep an ID the caller chose, set it after this call.
   *
   * @param builder the request builder to write the headers into
   * @return {@code builder}
   */
  public HttpRequest.Builder request(HttpRequest.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    // a builder cannot be read: what is current (or in the MDC, or a fresh root) goes in
    propagator.inject(builder, (unreadable, key) -> null, HttpCarrier.BUILDER);
    return builder;
  }

  /**
   * The rules this instance applies: header names, MDC keys, ID generator.
   *
   * @return the propagator
   */
  public CorrelationPropagator propagator() {
    return propagator;
  }

  FailureLog failureLog() {
    return failureLog;
  }

  /**
   * The shape of an error answer the user can paste into a support chat:
   * {@code {"error": {"code": ..., "message": ..., "correlation_id": ...}}}, every string
   * JSON-escaped; a null value is written as {@code null}. Media type {@link #JSON}.
   *
   * @param code a short machine-readable error code
   * @param message the human-readable error message
   * @param correlationId the ID to show the user
   * @return the JSON text
   */
  public static String errorBody(String code, String message, String correlationId) {
    return Json.error(code, message, correlationId);
  }

  /**
   * {@link #errorBody(String, String, String)} with the ID of the correlation current now.
   *
   * @param code a short machine-readable error code
   * @param message the human-readable error message
   * @return the JSON text
   */
  public static String errorBody(String code, String message) {
    return errorBody(code, message, currentId());
  }

  /**
   * An RFC 9457 problem detail with a {@code correlation_id} extension member: {@code {"type":
   * "about:blank", "title": ..., "status": ..., "detail": ..., "correlation_id": ...}}, every
   * string JSON-escaped; {@code detail} is left out when null. Media type {@link #PROBLEM_JSON}.
   *
   * @param status the HTTP status code
   * @param title a short summary of the problem
   * @param detail an explanation of this occurrence; may be {@code null}
   * @param correlationId the ID to show the user
   * @return the JSON text
   */
  public static String problemBody(int status, String title, String detail, String correlationId) {
    return Json.problem(status, title, detail, correlationId);
  }

  /**
   * {@link #problemBody(int, String, String, String)} with the ID current now.
   *
   * @param status the HTTP status code
   * @param title a short summary of the problem
   * @param detail an explanation of this occurrence; may be {@code null}
   * @return the JSON text
   */
  public static String problemBody(int status, String title, String detail) {
    return problemBody(status, title, detail, currentId());
  }

  private static String currentId() {
    return Baton.current().map(Correlation::id).orElse(null);
  }

  /** Configures an {@link HttpCorrelation}. */
  public static final class Builder {
    private String idHeader = ID_HEADER;
    private String parentHeader = PARENT_HEADER;
    private String idMdcKey = Baton.ID_KEY;
    private String parentMdcKey = Baton.PARENT_KEY;
    private Supplier<String> idGenerator;
    private boolean readMdc = true;
    private FailureLog failureLog = FailureLog.defaults();

    private Builder() {}

    /**
     * The headers of the ID and its parent, inbound and outbound; default {@code
     * X-Correlation-ID}, {@code X-Parent-Correlation-ID}. Inbound they are matched ignoring case.
     *
     * @param idHeader the ID header's name
     * @param parentHeader the parent header's name
     * @return this builder
     */
    public Builder headers(String idHeader, String parentHeader) {
      this.idHeader = Objects.requireNonNull(idHeader, "idHeader");
      this.parentHeader = Objects.requireNonNull(parentHeader, "parentHeader");
      return this;
    }

    /**
     * MDC keys of the ID and its parent; default {@code correlation_id}, {@code parent_correlation_id}.
     *
     * @param idKey the ID's MDC key
     * @param parentKey the parent's MDC key
     * @return this builder
     */
    public Builder mdcKeys(String idKey, String parentKey) {
      this.idMdcKey = Objects.requireNonNull(idKey, "idKey");
      this.parentMdcKey = Objects.requireNonNull(parentKey, "parentKey");
      return this;
    }

    /**
     * Where fresh IDs come from; default random UUID v4 (see {@link CorrelationPropagator.Builder#idGenerator}).
     *
     * @param idGenerator supplies each fresh ID
     * @return this builder
     */
    public Builder idGenerator(Supplier<String> idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * Whether the client side, outside any Baton scope, sends a valid ID found in the MDC
     * (another filter put it there); default true, as for every Baton producer.
     *
     * @param readMdc whether the client side uses a valid ID found in the MDC
     * @return this builder
     */
    public Builder readMdc(boolean readMdc) {
      this.readMdc = readMdc;
      return this;
    }

    /**
     * How a handler that throws is logged, inside the request's correlation; default {@link
     * FailureLog#defaults()} (ERROR on logger {@code io.baton.http}).
     *
     * @param failureLog how handler failures are logged
     * @return this builder
     */
    public Builder failureLog(FailureLog failureLog) {
      this.failureLog = Objects.requireNonNull(failureLog, "failureLog");
      return this;
    }

    /**
     * The configured instance.
     *
     * @return the configured instance
     */
    public HttpCorrelation build() {
      return new HttpCorrelation(this);
    }
  }
}
