package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inbound headers through core's rules, for values no real client would put on the wire. */
class HttpCarrierTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final CorrelationPropagator propagator = HttpCorrelation.create().propagator();

  @Test
  void value_with_cr_lf_is_replaced_by_a_fresh_root_with_a_sanitized_warning() {
    Headers headers = new Headers();
    // Headers takes CR LF only before whitespace (a folded line); a bare one it refuses itself
    headers.add("X-Correlation-ID", "abcdefghijklmnop\r\n Set-Cookie: admin=1");

    Correlation correlation = propagator.extract(headers, HttpCarrier.SERVER);

    assertThat(correlation.id()).matches(Correlation::isValidId).doesNotStartWith("abcdefghijklmnop");
    assertThat(logs.lines(line -> "WARN".equals(line.level()))).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(correlation.id());
      assertThat(line.message()).doesNotContain("\r", "\n", "Set-Cookie: admin");
    });
  }

  @Test
  void every_corpus_value_is_kept_exactly_when_valid_and_replaced_otherwise() {
    for (CorrelationCorpus.Entry entry : CorrelationCorpus.entries()) {
      logs.clear();
      Headers headers = new Headers();
      // what a server hands over for header bytes it read as ISO-8859-1
      try {
        headers.add("x-correlation-id", new String(entry.bytes(), StandardCharsets.ISO_8859_1));
      } catch (IllegalArgumentException refused) {
        continue; // a line break the server's Headers refuses: it never reaches the filter
      }

      Correlation correlation = propagator.extract(headers, HttpCarrier.SERVER);

      if (entry.valid()) {
        assertThat(correlation.id()).as(entry.name()).isEqualTo(entry.text());
      } else {
        assertThat(correlation.id()).as(entry.name()).matches(Correlation::isValidId).isNotEqualTo(entry.text());
        assertThat(logs.lines(line -> "WARN".equals(line.level())))
            .as(entry.name()).hasSize(entry.warned() ? 1 : 0)
            .allSatisfy(line -> assertThat(line.correlationId()).isEqualTo(correlation.id()));
      }
    }
  }

  @Test
  void repeated_value_counts_once_and_disagreeing_values_are_invalid() {
    assertThat(HttpCarrier.single(java.util.List.of("a", "a", "a").iterator())).isEqualTo("a");
    assertThat(HttpCarrier.single(java.util.List.of("a", "b", "a").iterator())).isEqualTo("a, b, a");
    assertThat(HttpCarrier.single(java.util.List.<String>of().iterator())).isNull();
  }
}
