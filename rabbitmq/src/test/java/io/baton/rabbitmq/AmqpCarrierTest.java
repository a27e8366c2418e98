package io.baton.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

/** Reading and writing the AMQP headers table, without a broker. */
class AmqpCarrierTest {

  private static final String ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();

  private static AMQP.BasicProperties withHeaders(Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().headers(headers).build();
  }

  @Test
  void reads_string_long_string_and_byte_array_values() {
    for (Object value :
        List.of(ID, LongStringHelper.asLongString(ID), ID.getBytes(StandardCharsets.UTF_8))) {
      Map<String, Object> headers = new HashMap<>();
      headers.put("correlation_id", value);
      assertThat(rabbit.extract(withHeaders(headers)).id()).as(value.getClass().getName()).isEqualTo(ID);
    }
  }

  @Test
  void names_match_ignoring_ascii_case_only() {
    Map<String, Object> differentlyCased = new HashMap<>();
    differentlyCased.put("Correlation_ID", ID);
    Map<String, Object> lookalike = new HashMap<>();
    lookalike.put("correlat\u0131on_id", ID); // a dotless i: the same name to equalsIgnoreCase

    assertThat(rabbit.extract(withHeaders(differentlyCased)).id()).isEqualTo(ID);
    assertThat(rabbit.extract(withHeaders(lookalike)).id()).isNotEqualTo(ID).matches(Correlation::isValidId);
  }

  @Test
  void other_types_count_as_invalid_with_a_warning_that_names_only_the_type() {
    for (Object value : List.of(42, 4.2d, true, new Date(), Map.of("nested", ID), List.of(ID))) {
      logs.clear();
      Map<String, Object> headers = new HashMap<>();
      headers.put("correlation_id", value);

      Correlation extracted = rabbit.extract(withHeaders(headers));

      assertThat(extracted.id()).isNotEqualTo(ID).matches(Correlation::isValidId);
      assertThat(logs.fromLogger("io.baton")).singleElement()
          .satisfies(line -> assertThat(line.message()).startsWith("Replaced invalid correlation_id (a value of type ").doesNotContain(ID));
    }
  }

  @Test
  void a_null_value_counts_as_missing_and_a_valid_id_keeps_only_a_valid_parent() {
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("correlation_id", null);
    assertThat(rabbit.extract(withHeaders(nulls)).id()).matches(Correlation::isValidId);
    assertThat(logs.lines()).isEmpty();

    Map<String, Object> badParent = new HashMap<>();
    badParent.put("correlation_id", ID);
    badParent.put("parent_correlation_id", LongStringHelper.asLongString("parent\r\nforged"));
    assertThat(rabbit.extract(withHeaders(badParent))).isEqualTo(Correlation.of(ID, null));
    assertThat(logs.fromLogger("io.baton")).singleElement()
        .satisfies(line -> assertThat(line.message()).doesNotContain("\r", "\n"));
  }

  @Test
  void publishing_copies_the_properties_and_never_mutates_the_callers_table() {
    Map<String, Object> callers = new HashMap<>(Map.of("app", "kept"));
    AMQP.BasicProperties original =
        new AMQP.BasicProperties.Builder().contentType("text/plain").headers(callers).build();

    AMQP.BasicProperties published;
    try (CorrelationScope scope = Baton.open(Correlation.of(ID, "9f3c2b1f6a7a4c2f"))) {
      published = rabbit.inject(original);
    }

    assertThat(callers).containsOnlyKeys("app");
    assertThat(original.getHeaders()).containsOnlyKeys("app");
    assertThat(published.getContentType()).isEqualTo("text/plain");
    assertThat(published.getHeaders())
        .containsEntry("app", "kept")
        .containsEntry("correlation_id", ID)
        .containsEntry("parent_correlation_id", "9f3c2b1f6a7a4c2f");
  }

  @Test
  void publishing_sends_the_canonical_spelling_once_whatever_casing_the_caller_used() {
    Map<String, Object> miscased = new HashMap<>(Map.of("Correlation_ID", ID, "PARENT_CORRELATION_ID", "9f3c2b1f6a7a4c2f"));
    Map<String, Object> invalidUpper = new HashMap<>(Map.of("CORRELATION_ID", "not valid"));

    Map<String, Object> kept = rabbit.inject(withHeaders(miscased)).getHeaders();
    Map<String, Object> replaced;
    try (CorrelationScope scope = Baton.open(Correlation.of("order-0000000000000001", null))) {
      replaced = rabbit.inject(withHeaders(invalidUpper)).getHeaders();
    }

    assertThat(kept).containsOnlyKeys("correlation_id", "parent_correlation_id")
        .containsEntry("correlation_id", ID).containsEntry("parent_correlation_id", "9f3c2b1f6a7a4c2f");
    assertThat(replaced).containsOnlyKeys("correlation_id")
        .containsEntry("correlation_id", "order-0000000000000001");
    assertThat(miscased).containsOnlyKeys("Correlation_ID", "PARENT_CORRELATION_ID");
  }

  @Test
  void the_same_properties_object_published_as_other_work_carries_that_works_id() {
    AMQP.BasicProperties template = new AMQP.BasicProperties.Builder().contentType("text/plain").build();
    Correlation orderA = Correlation.of("order-a-000000000000001", null);
    Correlation orderB = Correlation.of("order-b-000000000000001", null);

    AMQP.BasicProperties first;
    AMQP.BasicProperties second;
    try (CorrelationScope a = Baton.open(orderA)) {
      first = rabbit.inject(template);
    }
    try (CorrelationScope b = Baton.open(orderB)) {
      second = rabbit.inject(template);
    }

    assertThat(first.getHeaders()).containsEntry("correlation_id", orderA.id());
    assertThat(second.getHeaders()).containsEntry("correlation_id", orderB.id());
    assertThat(template.getHeaders()).as("the caller's properties are never written").isNull();
  }

  @Test
  void publishing_null_properties_gets_properties_with_a_fresh_id() {
    AMQP.BasicProperties published = rabbit.inject(null);

    assertThat(published.getHeaders().get("correlation_id"))
        .isInstanceOf(String.class)
        .matches(id -> Correlation.isValidId((String) id));
  }

  @Test
  void publishing_keeps_a_valid_id_and_the_same_properties_object() {
    AMQP.BasicProperties retry =
        withHeaders(Map.of("correlation_id", LongStringHelper.asLongString(ID)));

    try (CorrelationScope scope = Baton.openNew()) {
      assertThat(rabbit.inject(retry)).isSameAs(retry);
    }
  }

  @Test
  void amqp_correlation_id_property_is_ignored_unless_asked_for() {
    AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder().correlationId(ID).build();

    assertThat(rabbit.extract(reply).id()).isNotEqualTo(ID);
    assertThat(RabbitCorrelation.newBuilder().readCorrelationIdProperty(true).build().extract(reply).id())
        .isEqualTo(ID);
    assertThat(rabbit.inject(reply).getCorrelationId()).isEqualTo(ID);
  }

  @Test
  void death_facts_of_a_rabbitmq_3_x_death_table_reach_the_mdc() {
    Map<String, Object> death = new HashMap<>();
    death.put("count", 3L);
    death.put("reason", LongStringHelper.asLongString("rejected"));
    death.put("queue", LongStringHelper.asLongString("work"));
    death.put("exchange", LongStringHelper.asLongString(""));
    Map<String, Object> headers = new HashMap<>();
    headers.put("correlation_id", ID);
    headers.put("x-death", List.of(death));
    headers.put("x-first-death-reason", LongStringHelper.asLongString("expired"));

    try (CorrelationScope scope = rabbit.open(withHeaders(headers))) {
      assertThat(MDC.get("correlation_id")).isEqualTo(ID);
      assertThat(MDC.get("death_count")).isEqualTo("3");
      assertThat(MDC.get("death_reason")).isEqualTo("rejected");
      assertThat(MDC.get("death_queue")).isEqualTo("work");
    }
    assertThat(MDC.get("death_count")).isNull();
  }

  @Test
  void death_facts_fall_back_to_the_last_and_first_death_headers_and_are_cleaned() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("x-last-death-reason", LongStringHelper.asLongString("maxlen"));
    headers.put("x-first-death-queue", "orders\r\nforged line");
    headers.put("x-death", "not a list");

    try (CorrelationScope scope = rabbit.open(withHeaders(headers))) {
      assertThat(MDC.get("death_count")).isNull();
      assertThat(MDC.get("death_reason")).isEqualTo("maxlen");
      assertThat(MDC.get("death_queue")).isEqualTo("orders??forged line");
    }
  }

  @Test
  void a_message_that_never_died_has_no_death_facts() {
    try (CorrelationScope scope = rabbit.open(withHeaders(Map.of("correlation_id", ID)))) {
      assertThat(MDC.get("death_count")).isNull();
      assertThat(MDC.get("death_reason")).isNull();
    }
  }

  static Stream<CorrelationCorpus.Entry> corpus() {
    return CorrelationCorpus.entries().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void every_corpus_value_as_long_string_or_bytes_yields_a_valid_id(CorrelationCorpus.Entry entry) {
    for (Object value : List.of(LongStringHelper.asLongString(entry.bytes()), entry.bytes())) {
      logs.clear();
      LongString asText = LongStringHelper.asLongString(entry.bytes());
      Correlation extracted =
          rabbit.extract(withHeaders(Map.of("correlation_id", value)));

      assertThat(extracted.id()).matches(Correlation::isValidId);
      if (entry.valid()) {
        assertThat(extracted.id()).isEqualTo(asText.toString());
      } else {
        assertThat(logs.fromLogger("io.baton")).hasSize(entry.warned() ? 1 : 0);
        assertThat(logs.fromLogger("io.baton")).allSatisfy(w -> assertThat(w.message().chars()).allMatch(c -> c >= 0x20 && c < 0x7f));
      }
    }
  }
}
