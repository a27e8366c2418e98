package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.testing.CapturedLine;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** The servlet filter on embedded Jetty 12 (ee10, Servlet 6), with async servlets. */
class JettyServletIT extends EdgeContract {

  private Server server;
  private ServerConnector connector;
  /** A plain pool of the application's, not Baton-wrapped: where some async work completes. */
  private final ExecutorService appThreads = Executors.newSingleThreadExecutor();

  @Override
  void start(HttpCorrelation http) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("jetty");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder filter = new FilterHolder(http.servletFilter());
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/api/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(new ServletHolder(servlet((request, response) -> {
      API.info("hello handled");
      write(response, 200, seen());
    })), "/api/hello");
    context.addServlet(new ServletHolder(servlet((request, response) -> {
      API.info("about to fail");
      throw new IllegalStateException(FAILURE);
    })), "/api/boom");
    context.addServlet(new ServletHolder(servlet((request, response) -> {
      response.setContentType("text/plain");
      response.getWriter().write("partial answer, then trouble");
      response.flushBuffer();
      throw new IllegalStateException("after the answer started");
    })), "/api/committed-boom");
    context.addServlet(new ServletHolder(servlet((request, response) ->
        response.sendError(409, "Order A-1 is \"locked\""))), "/api/conflict");
    ServletHolder async = new ServletHolder(servlet((request, response) -> {
      AsyncContext work = request.startAsync();
      work.addListener(listener());
      work.start(() -> {
        API.info("async work");
        try {
          write((HttpServletResponse) work.getResponse(), 200, seen());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        work.complete();
      });
    }));
    async.setAsyncSupported(true);
    context.addServlet(async, "/api/async");
    ServletHolder ownThread = new ServletHolder(servlet((request, response) -> {
      AsyncContext work = request.startAsync();
      work.addListener(listener());
      // the application's own, unwrapped thread completes the request
      appThreads.execute(() -> {
        try {
          write((HttpServletResponse) work.getResponse(), 200, "done on " + Thread.currentThread().getName());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        work.complete();
      });
    }));
    ownThread.setAsyncSupported(true);
    context.addServlet(ownThread, "/api/async-own-thread");
    ServletHolder dispatching = new ServletHolder(servlet((request, response) -> {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        API.info("dispatched back");
        write(response, 200, seen());
        return;
      }
      AsyncContext work = request.startAsync();
      work.start(work::dispatch);
    }));
    dispatching.setAsyncSupported(true);
    context.addServlet(dispatching, "/api/async-dispatch");
    context.addServlet(new ServletHolder(servlet((request, response) -> write(response, 200, seen()))), "/raw");
    server.setHandler(context);
    server.start();
  }

  @Override
  void stop() throws Exception {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  @Override
  int port() {
    return connector.getLocalPort();
  }

  interface Handling {
    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
  }

  static HttpServlet servlet(Handling handling) {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handling.handle(request, response);
      }
    };
  }

  static void write(HttpServletResponse response, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/plain");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  static AsyncListener listener() {
    return new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        API.info("async completed");
      }

      @Override
      public void onTimeout(AsyncEvent event) {}

      @Override
      public void onError(AsyncEvent event) {}

      @Override
      public void onStartAsync(AsyncEvent event) {}
    };
  }

  // --- async requests

  @Test
  void async_work_and_its_completion_log_under_the_requests_id() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/async"), "X-Correlation-ID", id);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.body()).isEqualTo(id + "|null|" + id);
    assertThat(logs.withMessage("async work")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(id);
      assertThat(line.thread()).startsWith("jetty");
    });
    awaitLine("async completed");
    assertThat(logs.withMessage("async completed")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
    assertNoLeakOnPooledThreads();
  }

  @Test
  void async_request_completed_by_an_application_thread_tells_its_listeners_under_the_requests_id()
      throws Exception {
    Calls.Answer answer = Calls.curl(uri("/api/async-own-thread"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).matches(io.baton.Correlation::isValidId);
    awaitLine("async completed");
    assertThat(logs.withMessage("async completed")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(answer.id()));
    // the application's own thread was never given the correlation, and keeps none
    appThreads.submit(() -> assertThat(seen()).isEqualTo("null|null|none")).get(5, TimeUnit.SECONDS);
  }

  @Test
  void async_dispatch_back_to_the_servlet_runs_in_the_requests_correlation() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/async-dispatch"), "X-Correlation-ID", id);

    assertThat(answer.body()).isEqualTo(id + "|null|" + id);
    assertThat(answer.all("X-Correlation-ID")).containsExactly(id);
    assertThat(logs.withMessage("dispatched back")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
  }

  // --- the container's and the servlet's own error answers

  @Test
  void send_error_is_answered_with_the_error_body_and_the_id() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/conflict"), "X-Correlation-ID", id);

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.body()).isEqualTo("{\"error\":{\"code\":\"conflict\",\"message\":\"Order A-1 is \\\"locked\\\"\","
        + "\"correlation_id\":\"" + id + "\"}}");
  }

  @Test
  void handler_that_throws_after_committing_keeps_its_answer_and_the_id() throws Exception {
    String id = valid();
    // the container breaks the answer off (no last chunk), which curl and HttpClient report as an error
    Calls.Answer answer = Calls.raw(port(), Calls.bytes(
        "GET /api/committed-boom HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Correlation-ID: " + id + "\r\n"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.body()).startsWith("partial answer, then trouble");
    assertThat(logs.lines(line -> line.throwable() != null && "io.baton.http".equals(line.logger())))
        .singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
  }

  private void awaitLine(String message) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (logs.withMessage(message).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private void assertNoLeakOnPooledThreads() throws Exception {
    for (int i = 0; i < 12; i++) {
      assertThat(Calls.jdk(uri("/raw")).body()).isEqualTo("null|null|none");
    }
  }

  static List<String> ids(List<CapturedLine> lines) {
    return lines.stream().map(CapturedLine::correlationId).toList();
  }
}
