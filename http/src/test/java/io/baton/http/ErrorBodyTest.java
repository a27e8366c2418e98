package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import org.junit.jupiter.api.Test;

/** The error bodies: their shape, and strings that survive a JSON parser exactly. */
class ErrorBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE =
      "say \"no\" \\ to C:\\temp\n\r\t\b\f\u0000\u001f\u007f end \u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00 \u2028\u2029 </script>";

  @Test
  void error_body_has_the_shape_the_user_pastes_into_support() throws Exception {
    String body = HttpCorrelation.errorBody("invalid_request", "order is required", "web-0123456789abcdef");

    assertThat(body).isEqualTo("{\"error\":{\"code\":\"invalid_request\",\"message\":\"order is required\","
        + "\"correlation_id\":\"web-0123456789abcdef\"}}");
  }

  @Test
  void error_body_escapes_quotes_backslashes_control_and_non_ascii_characters() throws Exception {
    String body = HttpCorrelation.errorBody("co\"de", HOSTILE, "web-0123456789abcdef");

    JsonNode error = JSON.readTree(body).get("error");
    assertThat(error.get("code").asText()).isEqualTo("co\"de");
    assertThat(error.get("message").asText()).isEqualTo(HOSTILE);
    assertThat(error.get("correlation_id").asText()).isEqualTo("web-0123456789abcdef");
    assertThat(body).doesNotContain("\n", "\r", "\u0000", "\u2028", "\u2029")
        .contains("\\\"no\\\"", "\\\\", "\\n", "\\u0000", "\\u007f", "\\u2028", "\u00e9t\u00e9", "\ud83d\ude00");
  }

  @Test
  void lone_surrogates_are_escaped_so_the_body_stays_valid_utf_8() throws Exception {
    String body = HttpCorrelation.errorBody("x", "half \ud83d and \ude00 half", null);

    assertThat(body).contains("half \\ud83d and \\ude00 half");
    assertThat(JSON.readTree(body).get("error").get("message").asText()).isEqualTo("half \ud83d and \ude00 half");
  }

  @Test
  void null_values_are_json_null() throws Exception {
    JsonNode error = JSON.readTree(HttpCorrelation.errorBody(null, null, null)).get("error");

    assertThat(error.get("code").isNull()).isTrue();
    assertThat(error.get("correlation_id").isNull()).isTrue();
  }

  @Test
  void problem_body_is_rfc_9457_with_a_correlation_id_member() throws Exception {
    String body = HttpCorrelation.problemBody(409, "Order locked", HOSTILE, "web-0123456789abcdef");

    JsonNode problem = JSON.readTree(body);
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("title").asText()).isEqualTo("Order locked");
    assertThat(problem.get("status").asInt()).isEqualTo(409);
    assertThat(problem.get("detail").asText()).isEqualTo(HOSTILE);
    assertThat(problem.get("correlation_id").asText()).isEqualTo("web-0123456789abcdef");
    assertThat(JSON.readTree(HttpCorrelation.problemBody(404, "Not found", null, "web-0123456789abcdef")).has("detail"))
        .isFalse();
  }

  @Test
  void bodies_without_an_id_take_the_current_one() throws Exception {
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      assertThat(JSON.readTree(HttpCorrelation.errorBody("x", "y")).get("error").get("correlation_id").asText())
          .isEqualTo(order.id());
      assertThat(JSON.readTree(HttpCorrelation.problemBody(500, "Oops", null)).get("correlation_id").asText())
          .isEqualTo(order.id());
    }
    assertThat(JSON.readTree(HttpCorrelation.errorBody("x", "y")).get("error").get("correlation_id").isNull()).isTrue();
  }
}
