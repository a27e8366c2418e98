package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.FailureLog;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * What every server filter promises, on a real server called by real clients. Each server
 * serves, under the filter: {@code /api/hello} (logs "hello handled", answers its current ID),
 * {@code /api/boom} (logs "about to fail", then throws), any other {@code /api/...} path a 404;
 * and without the filter {@code /raw}, answering what the MDC and Baton hold on that thread.
 */
abstract class EdgeContract {

  static final Logger API = LoggerFactory.getLogger("api");
  static final String FAILURE = "card \"declined\"\nfor order A-1";

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Starts the server with {@code http}'s filter; one at a time. */
  abstract void start(HttpCorrelation http) throws Exception;

  abstract void stop() throws Exception;

  abstract int port();

  @BeforeEach
  void startDefault() throws Exception {
    start(HttpCorrelation.create());
  }

  @AfterEach
  void stopServer() throws Exception {
    stop();
  }

  void restart(HttpCorrelation http) throws Exception {
    stop();
    start(http);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** What the handler saw on its thread: "<MDC correlation_id>|<MDC parent>|<Baton.current id>". */
  static String seen() {
    return MDC.get(Baton.ID_KEY) + "|" + MDC.get(Baton.PARENT_KEY) + "|"
        + Baton.current().map(Correlation::id).orElse("none");
  }

  List<CapturedLine> handled() {
    return logs.withMessage("hello handled");
  }

  List<CapturedLine> warnings() {
    return logs.lines(line -> "WARN".equals(line.level()) && "io.baton".equals(line.logger()));
  }

  static String valid() {
    return "web-" + Correlation.newRoot().id().replace("-", "");
  }

  // --- valid, missing, parent, names

  @Test
  void valid_inbound_id_is_the_requests_correlation_and_comes_back_in_the_response() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/hello"), "X-Correlation-ID", id);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.body()).isEqualTo(id + "|null|" + id);
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
    assertThat(warnings()).isEmpty();
  }

  @Test
  void valid_inbound_id_sent_by_curl_is_echoed() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.curl(uri("/api/hello"), "X-Correlation-ID: " + id);

    assertThat(answer.id()).isEqualTo(id);
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
  }

  @Test
  void missing_id_gets_a_fresh_root_that_the_response_returns() throws Exception {
    Calls.Answer first = Calls.jdk(uri("/api/hello"));
    Calls.Answer second = Calls.curl(uri("/api/hello"));

    assertThat(first.id()).matches(Correlation::isValidId);
    assertThat(second.id()).matches(Correlation::isValidId).isNotEqualTo(first.id());
    assertThat(first.body()).isEqualTo(first.id() + "|null|" + first.id());
    assertThat(handled()).extracting(CapturedLine::correlationId).containsExactly(first.id(), second.id());
    assertThat(warnings()).isEmpty();
  }

  @Test
  void valid_parent_header_becomes_the_parent_of_the_request() throws Exception {
    String id = valid();
    String parent = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/hello"), "X-Correlation-ID", id, "X-Parent-Correlation-ID", parent);

    assertThat(answer.body()).isEqualTo(id + "|" + parent + "|" + id);
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.parentCorrelationId()).isEqualTo(parent));
  }

  @Test
  void header_name_is_matched_ignoring_case() throws Exception {
    String lower = valid();
    String upper = valid();
    assertThat(Calls.curl(uri("/api/hello"), "x-correlation-id: " + lower).id()).isEqualTo(lower);
    assertThat(Calls.jdk(uri("/api/hello"), "X-CORRELATION-ID", upper).id()).isEqualTo(upper);
    assertThat(handled()).extracting(CapturedLine::correlationId).containsExactly(lower, upper);
  }

  @Test
  void duplicated_headers_with_the_same_value_name_that_value() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.curl(uri("/api/hello"), "X-Correlation-ID: " + id, "x-correlation-id: " + id);

    assertThat(answer.id()).isEqualTo(id);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void header_names_are_configurable() throws Exception {
    restart(HttpCorrelation.newBuilder().headers("X-Request-ID", "X-Parent-Request-ID").build());
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/hello"), "x-request-id", id);

    assertThat(answer.header("X-Request-ID")).isEqualTo(id);
    assertThat(answer.id()).isNull();
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
  }

  // --- invalid values: a fresh root, one sanitized warning under it

  @Test
  void id_of_1_kb_is_replaced_by_a_fresh_root_with_one_warning() throws Exception {
    String inbound = "a".repeat(1024);
    assertReplaced(inbound, Calls.jdk(uri("/api/hello"), "X-Correlation-ID", inbound));
  }

  @Test
  void non_ascii_id_is_replaced_by_a_fresh_root_with_one_warning() throws Exception {
    String inbound = "commande-\u00e9t\u00e9-2026-\u4e2d\u6587";
    assertReplaced(inbound, Calls.curl(uri("/api/hello"), "X-Correlation-ID: " + inbound));
  }

  @Test
  void duplicated_headers_that_disagree_are_replaced_by_a_fresh_root_with_one_warning() throws Exception {
    String one = valid();
    String other = valid();
    Calls.Answer byCurl = Calls.curl(uri("/api/hello"), "X-Correlation-ID: " + one, "X-Correlation-ID: " + other);
    assertReplaced(one, byCurl);
    assertThat(byCurl.id()).isNotEqualTo(other);
    logs.clear();
    Calls.Answer byJdk = Calls.jdk(uri("/api/hello"), "X-Correlation-ID", one, "x-correlation-id", other);
    assertReplaced(one, byJdk);
    assertThat(byJdk.id()).isNotEqualTo(other);
  }

  @Test
  void id_with_a_carriage_return_is_refused() throws Exception {
    String inbound = "abcdefghijklmnop\rINJECTED: yes";
    Calls.Answer answer = Calls.raw(port(), Calls.bytes(
        "GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Correlation-ID: " + inbound + "\r\n"));
    assertRefusedControlCharacters(answer);
  }

  @Test
  void id_folded_over_two_lines_is_refused() throws Exception {
    Calls.Answer answer = Calls.raw(port(), Calls.bytes(
        "GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Correlation-ID: abcdefghijklmnop\r\n qrstuvwxyz1234\r\n"));
    assertRefusedControlCharacters(answer);
  }

  /**
   * A value with a line break never becomes the request's ID: the server refuses the request
   * itself (400, no handler runs), or the filter replaces it by a fresh root.
   */
  void assertRefusedControlCharacters(Calls.Answer answer) {
    if (answer.status() == 400) {
      assertThat(handled()).isEmpty();
      return;
    }
    // Some servers end a header line at a bare CR (the JDK's does): the handler then sees only
    // what came before it. Whatever the server parsed, the ID is valid, so it holds no CR or LF.
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).matches(Correlation::isValidId);
    assertThat(answer.body()).isEqualTo(answer.id() + "|null|" + answer.id());
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(answer.id()));
    if (!warnings().isEmpty()) {
      assertThat(warnings()).singleElement().satisfies(line -> {
        assertThat(line.correlationId()).isEqualTo(answer.id());
        assertThat(line.message()).doesNotContain("\r", "\n", "INJECTED: yes");
      });
    }
  }

  void assertReplaced(String inbound, Calls.Answer answer) {
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.id()).matches(Correlation::isValidId).isNotEqualTo(inbound);
    assertThat(answer.body()).isEqualTo(answer.id() + "|null|" + answer.id());
    assertThat(handled()).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(answer.id()));
    assertThat(warnings()).singleElement().satisfies(line -> {
      assertThat(line.message()).startsWith("Replaced invalid X-Correlation-ID (");
      assertThat(line.correlationId()).isEqualTo(answer.id());
      // sanitized: at most 64 characters shown, everything but [A-Za-z0-9_-] escaped
      assertThat(line.message()).hasSizeLessThan(300).matches("\\p{Print}*");
      if (!Correlation.isValidId(inbound)) {
        assertThat(line.message()).doesNotContain(inbound);
      }
    });
  }

  // --- errors: the ID in the header and in the body

  @Test
  void handler_that_throws_is_answered_500_with_the_id_in_header_and_body_and_logged_once() throws Exception {
    String id = valid();
    Calls.Answer answer = Calls.jdk(uri("/api/boom"), "X-Correlation-ID", id);

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.id()).isEqualTo(id);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.body()).isEqualTo(
        "{\"error\":{\"code\":\"internal_error\",\"message\":\"Internal server error\",\"correlation_id\":\"" + id + "\"}}");
    assertThat(logs.withMessage("about to fail")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
    List<CapturedLine> failures = logs.lines(line -> line.throwable() != null);
    assertThat(failures).singleElement().satisfies(line -> {
      assertThat(line.logger()).isEqualTo("io.baton.http");
      assertThat(line.level()).isEqualTo("ERROR");
      assertThat(line.correlationId()).isEqualTo(id);
      assertThat(line.throwable()).isInstanceOf(IllegalStateException.class).hasMessage(FAILURE);
      assertThat(line.message()).startsWith("HTTP handler failed on GET /api/boom");
    });
  }

  @Test
  void handler_that_throws_without_an_inbound_id_answers_with_the_fresh_one() throws Exception {
    Calls.Answer answer = Calls.curl(uri("/api/boom"));

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.id()).matches(Correlation::isValidId);
    assertThat(answer.body()).contains("\"correlation_id\":\"" + answer.id() + "\"");
    assertThat(logs.lines(line -> line.throwable() != null)).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(answer.id()));
  }

  @Test
  void failure_line_follows_the_configured_failure_log() throws Exception {
    restart(HttpCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build());
    Calls.Answer warned = Calls.jdk(uri("/api/boom"));
    assertThat(logs.lines(line -> line.throwable() != null)).singleElement().satisfies(line -> {
      assertThat(line.level()).isEqualTo("WARN");
      assertThat(line.correlationId()).isEqualTo(warned.id());
    });

    restart(HttpCorrelation.newBuilder().failureLog(FailureLog.off()).build());
    logs.clear();
    Calls.Answer silent = Calls.jdk(uri("/api/boom"));
    assertThat(silent.status()).isEqualTo(500);
    assertThat(silent.body()).contains(silent.id());
    assertThat(logs.lines(line -> line.throwable() != null)).isEmpty();
  }

  @Test
  void not_found_answer_carries_the_id_in_header_and_body() throws Exception {
    String id = valid();
    Calls.Answer byJdk = Calls.jdk(uri("/api/no-such-page"), "X-Correlation-ID", id);
    Calls.Answer byCurl = Calls.curl(uri("/api/no-such-page"));

    assertThat(byJdk.status()).isEqualTo(404);
    assertThat(byJdk.id()).isEqualTo(id);
    assertThat(byJdk.body()).contains("\"code\":\"not_found\"", "\"correlation_id\":\"" + id + "\"");
    assertThat(byCurl.status()).isEqualTo(404);
    assertThat(byCurl.body()).contains("\"correlation_id\":\"" + byCurl.id() + "\"");
  }

  // --- nothing stays behind on the server's threads

  @Test
  void nothing_leaks_to_the_next_request_on_a_pooled_thread() throws Exception {
    Calls.jdk(uri("/api/hello"), "X-Correlation-ID", valid());
    Calls.jdk(uri("/api/boom"), "X-Correlation-ID", valid());
    Calls.curl(uri("/api/hello"), "X-Correlation-ID: " + "x".repeat(80));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      Calls.Answer raw = Calls.jdk(uri("/raw"));
      seen.add(raw.body());
      assertThat(raw.id()).isNull();
    }
    assertThat(seen).containsExactly("null|null|none");
  }
}
