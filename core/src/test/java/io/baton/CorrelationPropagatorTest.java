package io.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.CorrelationPropagator.Getter;
import io.baton.CorrelationPropagator.Setter;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

class CorrelationPropagatorTest {

  /** A header map whose names match ignoring case, as HTTP-style headers do. */
  static final Getter<Map<String, String>> GET =
      (headers, key) -> {
        String found = null;
        for (Map.Entry<String, String> header : headers.entrySet()) {
          if (header.getKey().equalsIgnoreCase(key)) {
            found = header.getValue();
          }
        }
        return found;
      };

  static final Setter<Map<String, String>> SET =
      new Setter<>() {
        @Override
        public void set(Map<String, String> headers, String key, String value) {
          headers.put(key, value);
        }

        @Override
        public void remove(Map<String, String> headers, String key) {
          headers.remove(key);
        }
      };

  private static final String ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";
  private static final String PARENT = "9f3c2b1f6a7a4c2f";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final CorrelationPropagator propagator = CorrelationPropagator.create();
  private final Map<String, String> headers = new LinkedHashMap<>();

  // --- inject

  @Test
  void inject_without_a_current_correlation_writes_a_fresh_root_and_returns_it() {
    Correlation written = propagator.inject(headers, GET, SET);

    assertThat(Correlation.isValidId(written.id())).isTrue();
    assertThat(written.parentId()).isEmpty();
    assertThat(headers).containsExactly(Map.entry("correlation_id", written.id()));
  }

  @Test
  void inject_writes_the_current_correlation_with_its_parent() {
    Correlation current = Correlation.of(ID, PARENT);
    try (CorrelationScope scope = Baton.open(current)) {
      assertThat(propagator.inject(headers, GET, SET)).isEqualTo(current);
    }

    assertThat(headers)
        .containsEntry("correlation_id", ID)
        .containsEntry("parent_correlation_id", PARENT)
        .hasSize(2);
  }

  @Test
  void inject_keeps_a_valid_id_already_on_the_message() {
    headers.put("correlation_id", ID);
    headers.put("parent_correlation_id", PARENT);

    try (CorrelationScope scope = Baton.openNew()) {
      assertThat(propagator.inject(headers, GET, SET)).isEqualTo(Correlation.of(ID, PARENT));
    }

    assertThat(headers)
        .containsEntry("correlation_id", ID)
        .containsEntry("parent_correlation_id", PARENT);
  }

  @Test
  void inject_replaces_an_invalid_id_and_its_stale_parent() {
    headers.put("correlation_id", "not valid\r\n");
    headers.put("parent_correlation_id", PARENT);

    Correlation written = propagator.inject(headers, GET, SET);

    assertThat(headers).containsExactly(Map.entry("correlation_id", written.id()));
  }

  @Test
  void inject_never_throws_when_the_carrier_refuses_writes() {
    Setter<Map<String, String>> readOnly =
        (carrier, key, value) -> {
          throw new IllegalStateException("headers are read-only");
        };
    Getter<Map<String, String>> broken =
        (carrier, key) -> {
          throw new IllegalStateException("cannot read");
        };

    Correlation written = propagator.inject(headers, broken, readOnly);

    assertThat(Correlation.isValidId(written.id())).isTrue();
    assertThat(logs.fromLogger("io.baton")).extracting(CapturedLine::message)
        .anyMatch(message -> message.startsWith("Could not write correlation_id"));
  }

  @Test
  void write_replaces_whatever_the_carrier_held() {
    headers.put("correlation_id", "old-valid-id-00000001");
    headers.put("parent_correlation_id", PARENT);

    propagator.write(headers, SET, Correlation.of(ID, null));

    assertThat(headers).containsExactly(Map.entry("correlation_id", ID));
  }

  // --- extract

  @Test
  void extract_returns_the_inbound_correlation_with_its_parent_and_logs_nothing() {
    headers.put("correlation_id", ID);
    headers.put("parent_correlation_id", PARENT);

    assertThat(propagator.extract(headers, GET)).isEqualTo(Correlation.of(ID, PARENT));
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void extract_gives_a_fresh_root_without_a_warning_when_the_id_is_missing() {
    headers.put("parent_correlation_id", PARENT);

    Correlation extracted = propagator.extract(headers, GET);

    assertThat(Correlation.isValidId(extracted.id())).isTrue();
    assertThat(extracted.parentId()).isEmpty();
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void extract_replaces_an_invalid_id_and_warns_once_with_the_value_sanitized() {
    headers.put("correlation_id", "c3a8f2d1-9b24\r\n2026-11-21 INFO fake line");

    Correlation fresh = propagator.extract(headers, GET);

    assertThat(fresh.parentId()).isEmpty();
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(1);
    CapturedLine warning = warnings.get(0);
    assertThat(warning.level()).isEqualTo("WARN");
    assertThat(warning.message())
        .isEqualTo(
            "Replaced invalid correlation_id (40 characters, \"c3a8f2d1-9b24\\u000d\\u000a2026-11-21"
                + "\\u0020INFO\\u0020fake\\u0020line\") with a fresh correlation ID");
    assertThat(warning.correlationId())
        .as("the warning is logged under the fresh ID, so it shows up in that trail")
        .isEqualTo(fresh.id());
  }

  @Test
  void extract_drops_an_invalid_parent_with_a_warning_and_keeps_the_id() {
    headers.put("correlation_id", ID);
    headers.put("parent_correlation_id", "${jndi:ldap://127.0.0.1/a}");

    assertThat(propagator.extract(headers, GET)).isEqualTo(Correlation.of(ID, null));
    assertThat(logs.fromLogger("io.baton"))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.message()).startsWith("Dropped invalid parent_correlation_id");
              assertThat(line.message()).doesNotContain("${", "://");
              assertThat(line.correlationId()).isEqualTo(ID);
            });
  }

  @Test
  void extract_reads_the_alias_case_insensitively_when_the_canonical_header_is_missing() {
    headers.put("x-correlation-id", ID);

    assertThat(propagator.extract(headers, GET).id()).isEqualTo(ID);
  }

  @Test
  void extract_prefers_the_canonical_header_over_an_alias() {
    headers.put("X-Correlation-ID", "alias-value-00000000");
    headers.put("correlation_id", ID);

    assertThat(propagator.extract(headers, GET).id()).isEqualTo(ID);
  }

  @Test
  void extract_reads_text_and_utf8_bytes_and_counts_other_types_as_invalid_naming_only_the_type() {
    Map<String, Object> typed = new LinkedHashMap<>();
    Getter<Map<String, Object>> raw = Map::get;

    typed.put("correlation_id", ID.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(propagator.extract(typed, raw).id()).isEqualTo(ID);
    typed.put("correlation_id", new StringBuilder(ID));
    assertThat(propagator.extract(typed, raw).id()).isEqualTo(ID);
    assertThat(logs.lines()).isEmpty();

    typed.put("correlation_id", 42);
    Correlation fresh = propagator.extract(typed, raw);

    assertThat(fresh.id()).matches(Correlation::isValidId);
    assertThat(logs.fromLogger("io.baton")).singleElement()
        .satisfies(line -> {
          assertThat(line.message()).isEqualTo(
              "Replaced invalid correlation_id (a value of type Integer) with a fresh correlation ID");
          assertThat(line.correlationId()).isEqualTo(fresh.id());
        });
  }

  @Test
  void inject_gives_a_carrier_that_holds_only_a_valid_alias_that_id_under_the_canonical_header() {
    Map<String, String> carrier = new LinkedHashMap<>();
    carrier.put("X-Correlation-ID", ID);

    Correlation injected;
    try (CorrelationScope other = Baton.open(Correlation.of("another-000000000000001", null))) {
      injected = propagator.inject(carrier, GET, SET);
    }

    assertThat(injected.id()).isEqualTo(ID);
    assertThat(carrier).containsEntry("correlation_id", ID).containsEntry("X-Correlation-ID", ID);
  }

  @Test
  void outside_any_scope_inject_takes_a_valid_id_an_edge_filter_put_in_the_mdc_unless_turned_off() {
    Map<String, String> carrier = new LinkedHashMap<>();
    Map<String, String> notReadingMdc = new LinkedHashMap<>();
    Map<String, String> invalidInMdc = new LinkedHashMap<>();
    MDC.put("correlation_id", ID);
    MDC.put("parent_correlation_id", PARENT);
    try {
      propagator.inject(carrier, GET, SET);
      CorrelationPropagator.newBuilder().readMdc(false).build().inject(notReadingMdc, GET, SET);
      MDC.put("correlation_id", "not valid\n");
      propagator.inject(invalidInMdc, GET, SET);
    } finally {
      MDC.remove("correlation_id");
      MDC.remove("parent_correlation_id");
    }

    assertThat(carrier).containsEntry("correlation_id", ID).containsEntry("parent_correlation_id", PARENT);
    assertThat(notReadingMdc.get("correlation_id")).isNotEqualTo(ID).matches(Correlation::isValidId);
    assertThat(invalidInMdc.get("correlation_id")).matches(Correlation::isValidId);
  }

  @Test
  void an_empty_value_counts_as_missing_on_every_carrier_type_with_no_warning() {
    Getter<Map<String, Object>> raw = Map::get;
    for (Object empty : List.of("", new byte[0], new StringBuilder())) {
      Map<String, Object> carrier = new LinkedHashMap<>();
      carrier.put("correlation_id", empty);
      carrier.put("X-Correlation-ID", ID);

      assertThat(propagator.extract(carrier, raw).id()).as("alias read as for a missing ID").isEqualTo(ID);
    }
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void a_non_text_id_next_to_a_valid_alias_is_invalid_and_gives_a_fresh_root() {
    Map<String, Object> carrier = new LinkedHashMap<>();
    carrier.put("correlation_id", 42);
    carrier.put("X-Correlation-ID", ID);
    Getter<Map<String, Object>> raw = Map::get;

    Correlation extracted = propagator.extract(carrier, raw);

    assertThat(extracted.id()).isNotEqualTo(ID).matches(Correlation::isValidId);
    assertThat(extracted.parentId()).isEmpty();
    assertThat(logs.fromLogger("io.baton")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(extracted.id()));
  }

  @Test
  void a_warning_about_a_message_carries_the_correlation_and_the_fields_it_is_handled_with() {
    Map<String, Object> carrier = new LinkedHashMap<>();
    carrier.put("correlation_id", "not valid\r\n");
    Getter<Map<String, Object>> raw = Map::get;
    String handledWith;

    try (CorrelationScope scope = propagator.open(carrier, raw, null, "delivery_count", "3")) {
      handledWith = MDC.get("correlation_id");
      assertThat(MDC.get("delivery_count")).isEqualTo("3");
    }

    assertThat(logs.fromLogger("io.baton")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(handledWith);
      assertThat(line.mdc()).containsEntry("delivery_count", "3");
      assertThat(line.message()).doesNotContain("\r").doesNotContain("\n");
    });
    assertThat(MDC.get("delivery_count")).isNull();
  }

  @Test
  void normalize_with_a_fresh_id_gives_a_message_without_a_valid_id_that_id_every_time() {
    String freshId = "5d0b1c1e-0c57-3c43-a7e4-1f4e7b1f2a90";
    for (String inbound : new String[] {null, "not valid\r\n", "short"}) {
      Map<String, String> delivery = new LinkedHashMap<>();
      if (inbound != null) {
        delivery.put("correlation_id", inbound);
      }
      delivery.put("parent_correlation_id", PARENT);

      Correlation normalized = propagator.normalize(delivery, GET, SET, () -> freshId, "delivery_count", "2");

      assertThat(normalized).isEqualTo(Correlation.of(freshId, null));
      assertThat(delivery).containsExactly(Map.entry("correlation_id", freshId));
    }
    assertThat(logs.fromLogger("io.baton")).hasSize(2).allSatisfy(line -> {
      assertThat(line.correlationId()).isEqualTo(freshId);
      assertThat(line.mdc()).containsEntry("delivery_count", "2");
    });
    assertThat(MDC.get("delivery_count")).isNull();
  }

  @Test
  void normalize_with_a_fresh_id_keeps_a_valid_id_and_ignores_an_invalid_fresh_one() {
    headers.put("correlation_id", ID);
    assertThat(propagator.normalize(headers, GET, SET, () -> {
      throw new AssertionError("not asked for a carrier with a valid ID");
    }).id()).isEqualTo(ID);

    Map<String, String> missing = new LinkedHashMap<>();
    Correlation generated = propagator.normalize(missing, GET, SET, () -> "not an id");
    assertThat(generated.id()).matches(Correlation::isValidId).isNotEqualTo("not an id");
    assertThat(missing).containsExactly(Map.entry("correlation_id", generated.id()));
    assertThatThrownBy(() -> propagator.normalize(missing, GET, SET, null, "delivery_count"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_one_megabyte_value_costs_a_bounded_amount_of_work_and_logs_only_a_prefix() {
    byte[] huge = "y".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, Object> carrier = new LinkedHashMap<>(Map.of("correlation_id", huge));
    Getter<Map<String, Object>> raw = Map::get;
    propagator.extract(carrier, raw); // warm up class loading and logging
    logs.clear();

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Correlation fresh = propagator.extract(carrier, raw);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(fresh.id()).matches(Correlation::isValidId);
    assertThat(allocated).as("bytes allocated for one extraction").isLessThan(64 * 1024);
    String warning = logs.fromLogger("io.baton").get(0).message();
    assertThat(warning).contains("1048576 bytes, \"" + "y".repeat(64) + "\"...").hasSizeLessThan(200);
  }

  @Test
  void extract_treats_a_getter_that_throws_as_missing() {
    Correlation extracted =
        propagator.extract(
            headers,
            (carrier, key) -> {
              throw new ClassCastException("a table where a string was expected");
            });

    assertThat(Correlation.isValidId(extracted.id())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void extract_survives_every_corpus_value(CorrelationCorpus.Entry entry) {
    headers.put("correlation_id", entry.text());

    Correlation extracted = propagator.extract(headers, GET);

    assertThat(Correlation.isValidId(extracted.id())).isTrue();
    if (entry.valid()) {
      assertThat(extracted.id()).isEqualTo(entry.text());
      assertThat(logs.lines()).isEmpty();
    } else if (!entry.warned()) {
      assertThat(extracted.id()).isNotEqualTo(entry.text());
      assertThat(logs.lines()).as("an empty value counts as missing").isEmpty();
    } else {
      assertThat(extracted.id()).isNotEqualTo(entry.text());
      CapturedLine warning = logs.fromLogger("io.baton").get(0);
      assertThat(warning.message().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
      assertThat(warning.message().length()).isLessThan(64 * 6 + 120);
    }
  }

  static Stream<CorrelationCorpus.Entry> corpus() {
    return CorrelationCorpus.entries().stream();
  }

  // --- normalize and open

  @Test
  void normalize_writes_the_fresh_id_over_an_invalid_one() {
    headers.put("correlation_id", "bad");

    Correlation fresh = propagator.normalize(headers, GET, SET);

    assertThat(headers).containsExactly(Map.entry("correlation_id", fresh.id()));
    logs.clear();
    assertThat(propagator.extract(headers, GET)).isEqualTo(fresh);
    assertThat(logs.lines()).as("a normalized message warns only once").isEmpty();
  }

  @Test
  void normalize_copies_an_alias_to_the_canonical_header_and_removes_an_invalid_parent() {
    headers.put("X-Correlation-ID", ID);
    headers.put("parent_correlation_id", "bad parent");

    assertThat(propagator.normalize(headers, GET, SET)).isEqualTo(Correlation.of(ID, null));

    assertThat(headers)
        .containsEntry("correlation_id", ID)
        .doesNotContainKey("parent_correlation_id");
  }

  @Test
  void normalize_leaves_a_valid_message_untouched() {
    headers.put("correlation_id", ID);
    headers.put("parent_correlation_id", PARENT);
    Map<String, String> before = Map.copyOf(headers);

    propagator.normalize(headers, GET, SET);

    assertThat(headers).isEqualTo(before);
  }

  @Test
  void open_scopes_the_carrier_correlation_and_restores_on_close() {
    headers.put("correlation_id", ID);
    try (CorrelationScope outer = Baton.open(Correlation.of(PARENT, null))) {
      try (CorrelationScope scope = propagator.open(headers, GET)) {
        assertThat(MDC.get("correlation_id")).isEqualTo(ID);
      }
      assertThat(MDC.get("correlation_id")).isEqualTo(PARENT);
    }
  }

  @Test
  void open_with_fields_puts_them_in_the_mdc_and_restores_exactly_what_was_there() {
    MDC.put("delivery_count", "outer");
    try {
      try (CorrelationScope scope =
          propagator.open(Correlation.of(ID, null), "delivery_count", "3", "death_reason", "rejected", "skipped", null)) {
        assertThat(MDC.get("delivery_count")).isEqualTo("3");
        assertThat(MDC.get("death_reason")).isEqualTo("rejected");
        assertThat(MDC.get("skipped")).isNull();
        MDC.put("skipped", "the handler's own");
      }
      assertThat(MDC.get("delivery_count")).isEqualTo("outer");
      assertThat(MDC.get("death_reason")).isNull();
      assertThat(MDC.get("skipped")).as("a key given no value is left alone").isEqualTo("the handler's own");
    } finally {
      MDC.remove("delivery_count");
      MDC.remove("skipped");
    }
  }

  @Test
  void open_with_fields_rejects_odd_pairs_and_the_correlation_keys() {
    Correlation c = Correlation.of(ID, null);
    assertThatThrownBy(() -> propagator.open(c, "only_a_key"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> propagator.open(c, "tenant", "acme", "correlation_id", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> propagator.open(c, "tenant", "acme", null, "x"))
        .isInstanceOf(NullPointerException.class);
    assertThat(MDC.get("tenant")).as("a rejected call leaves nothing behind").isNull();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void fallback_id_is_used_only_after_the_header_and_aliases_and_keeps_the_parent() {
    headers.put("parent_correlation_id", PARENT);
    assertThat(propagator.extract(headers, GET, "reply-to-request-000001"))
        .isEqualTo(Correlation.of("reply-to-request-000001", PARENT));

    headers.put("X-Correlation-ID", ID);
    assertThat(propagator.extract(headers, GET, "reply-to-request-000001").id()).isEqualTo(ID);

    headers.clear();
    assertThat(propagator.extract(headers, GET, "short").id()).isNotEqualTo("short");
    assertThat(logs.lines()).as("an unusable fallback is just missing").isEmpty();
  }

  // --- configuration

  @Test
  void custom_header_names_mdc_keys_and_generator_are_used() {
    CorrelationPropagator custom =
        CorrelationPropagator.newBuilder()
            .headers("cid", "pcid")
            .aliases("X-Request-ID")
            .mdcKeys("trace", "trace_parent")
            .idGenerator(() -> "generated-id-0000000001")
            .build();
    headers.put("x-request-id", ID);
    headers.put("pcid", PARENT);

    try (CorrelationScope scope = custom.open(headers, GET)) {
      assertThat(MDC.get("trace")).isEqualTo(ID);
      assertThat(MDC.get("trace_parent")).isEqualTo(PARENT);
      assertThat(MDC.get("correlation_id")).isNull();
    }
    assertThat(MDC.get("trace")).isNull();
    assertThat(custom.newRoot().id()).isEqualTo("generated-id-0000000001");
    Map<String, String> out = new LinkedHashMap<>();
    custom.inject(out, GET, SET);
    assertThat(out).containsOnlyKeys("cid");
  }

  @Test
  void a_generator_giving_invalid_ids_falls_back_to_random_ids() {
    CorrelationPropagator custom =
        CorrelationPropagator.newBuilder().idGenerator(() -> "user@example.com").build();

    assertThat(Correlation.isValidId(custom.newRoot().id())).isTrue();
    assertThat(Correlation.isValidId(custom.newRoot().id())).isTrue();
    assertThat(logs.fromLogger("io.baton")).hasSize(1);
  }

  @Test
  void header_names_match_ignoring_ascii_case_only() {
    assertThat(CorrelationPropagator.Getter.sameName("X-Correlation-ID", "x-correlation-id")).isTrue();
    assertThat(CorrelationPropagator.Getter.sameName("correlation_id", "correlation_id")).isTrue();
    assertThat(CorrelationPropagator.Getter.sameName("correlation_id", "correlation_ids")).isFalse();
    assertThat(CorrelationPropagator.Getter.sameName("correlation-id", "correlation_id")).isFalse();
    // Letters that String.equalsIgnoreCase folds onto ASCII ones: a dotless i, a Kelvin sign.
    assertThat("correlat\u0131on_id".equalsIgnoreCase("correlation_id")).isTrue();
    assertThat(CorrelationPropagator.Getter.sameName("correlat\u0131on_id", "correlation_id")).isFalse();
    assertThat(CorrelationPropagator.Getter.sameName("\u212Aey", "key")).isFalse();
    // Characters 32 apart that are not letters stay apart.
    assertThat(CorrelationPropagator.Getter.sameName("a@", "a`")).isFalse();
  }

  @Test
  void builder_rejects_blank_and_clashing_names() {
    assertThatThrownBy(() -> CorrelationPropagator.newBuilder().headers(" ", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CorrelationPropagator.newBuilder().headers("x", "x").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CorrelationPropagator.newBuilder().headers("cid", "CID").build())
        .as("header names that differ only in case are one name to a Kafka carrier")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaults_are_the_documented_names() {
    assertThat(propagator.idHeader()).isEqualTo("correlation_id");
    assertThat(propagator.parentHeader()).isEqualTo("parent_correlation_id");
    assertThat(propagator.aliases()).containsExactly("X-Correlation-ID");
    assertThat(propagator.idMdcKey()).isEqualTo("correlation_id");
    assertThat(propagator.parentMdcKey()).isEqualTo("parent_correlation_id");
  }
}
