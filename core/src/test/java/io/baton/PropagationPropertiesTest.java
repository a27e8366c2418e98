package io.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.slf4j.MDC;

/** Properties of validation and extract/inject, for arbitrary inbound values. */
class PropagationPropertiesTest {

  private final CorrelationPropagator propagator = CorrelationPropagator.create();

  private static final CorrelationPropagator.Getter<Map<String, Object>> GET = Map::get;
  private static final CorrelationPropagator.Setter<Map<String, Object>> SET =
      new CorrelationPropagator.Setter<>() {
        @Override
        public void set(Map<String, Object> carrier, String key, String value) {
          carrier.put(key, value);
        }

        @Override
        public void remove(Map<String, Object> carrier, String key) {
          carrier.remove(key);
        }
      };

  @Property
  void extraction_of_any_string_never_throws_and_yields_a_valid_id(
      @ForAll @StringLength(max = 200) String id, @ForAll @StringLength(max = 200) String parent) {
    Map<String, Object> carrier = new HashMap<>(Map.of("correlation_id", id, "parent_correlation_id", parent));

    Correlation extracted = propagator.extract(carrier, GET);

    assertThat(Correlation.isValidId(extracted.id())).isTrue();
    extracted.parentId().ifPresent(p -> assertThat(Correlation.isValidId(p)).isTrue());
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Property
  void extraction_of_any_bytes_never_throws_and_yields_a_valid_id(@ForAll byte[] bytes) {
    Correlation extracted = propagator.extract(new HashMap<>(Map.of("correlation_id", bytes)), GET);

    assertThat(Correlation.isValidId(extracted.id())).isTrue();
  }

  @Property
  void validity_is_exactly_16_to_64_characters_of_the_id_alphabet(@ForAll @StringLength(max = 80) String value) {
    boolean expected = value.length() >= 16 && value.length() <= 64 && value.matches("[A-Za-z0-9_-]*");

    assertThat(Correlation.isValidId(value)).isEqualTo(expected);
  }

  @Property
  void a_valid_inbound_id_and_parent_are_preserved_exactly(
      @ForAll("validIds") String id, @ForAll("validIds") String parent) {
    Map<String, Object> carrier = new HashMap<>(Map.of("correlation_id", id, "parent_correlation_id", parent));

    assertThat(propagator.extract(carrier, GET)).isEqualTo(Correlation.of(id, parent));
    assertThat(propagator.extract(new HashMap<>(Map.of("correlation_id", id.getBytes(StandardCharsets.UTF_8))), GET).id())
        .isEqualTo(id);
  }

  @Property
  void inject_then_extract_round_trips(@ForAll("validIds") String id, @ForAll("validIds") String parent) {
    Correlation sent = Correlation.of(id, parent);
    Map<String, Object> carrier = new HashMap<>();
    try (CorrelationScope scope = Baton.open(sent)) {
      assertThat(propagator.inject(carrier, GET, SET)).isEqualTo(sent);
    }

    assertThat(propagator.extract(carrier, GET)).isEqualTo(sent);
  }

  @Property
  void the_warning_for_any_invalid_value_is_printable_ascii_and_bounded(@ForAll String value) {
    String described = Ids.describe(value);

    assertThat(described.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(described.length()).isLessThanOrEqualTo("2147483647 characters, ...".length() + 2 + 64 * 6);
  }

  @Provide
  Arbitrary<String> validIds() {
    return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        .ofMinLength(16).ofMaxLength(64);
  }
}
