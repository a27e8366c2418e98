package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.LogCapture;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * Share-group records in the scope, and the entry class on kafka-clients 3.x (this class also runs
 * with 3.9 on the class path), which has no share groups.
 */
class ShareGroupsTest {

  /** 4.x: records with a delivery count (3.9's early-access ShareConsumer has none, nor do we take it). */
  private static final boolean SHARE_GROUPS = hasDeliveryCount();

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  private static boolean hasDeliveryCount() {
    try {
      ConsumerRecord.class.getMethod("deliveryCount");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Test
  void the_entry_class_can_be_reflected_over_on_every_kafka_clients_version() {
    // what Spring, CGLIB and Mockito do to a bean of this class: on 3.x no method may name a 4.x type
    assertThat(KafkaCorrelation.class.getDeclaredMethods()).isNotEmpty();
    assertThat(KafkaCorrelation.class.getMethods()).isNotEmpty();
    assertThat(KafkaCorrelation.class.getDeclaredFields()).isNotEmpty();
  }

  @Test
  void a_classic_record_is_opened_without_a_delivery_count() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("correlation_id", "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61".getBytes(UTF_8));
    ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, 41, "k", "v");
    record.headers().add(headers.lastHeader("correlation_id"));

    try (CorrelationScope scope = kafka.open(record)) {
      assertThat(MDC.get("correlation_id")).isEqualTo("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61");
      assertThat(MDC.get("delivery_count")).isNull();
    }
  }

  @Test
  void share_groups_are_refused_on_kafka_clients_3() {
    assumeFalse(SHARE_GROUPS, "kafka-clients 4.x is on the class path");
    org.apache.kafka.clients.consumer.ShareConsumer<String, String> early =
        io.baton.testing.Delegation.recording(org.apache.kafka.clients.consumer.ShareConsumer.class, null);
    assertThatThrownBy(() -> kafka.shareConsumer(early)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> kafka.forEach(early, ConsumerRecords.<String, String>empty(), record -> {}))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void every_delivery_of_a_record_without_a_valid_id_has_the_same_fresh_id_and_its_count() {
    assumeTrue(SHARE_GROUPS, "kafka-clients 3.x has no share groups");
    String first;
    String second;
    try (CorrelationScope scope = kafka.open(delivery("not valid\n", (short) 1))) {
      first = MDC.get("correlation_id");
      assertThat(MDC.get("delivery_count")).isEqualTo("1");
    }
    try (CorrelationScope scope = kafka.open(delivery("not valid\n", (short) 2))) {
      second = MDC.get("correlation_id");
      assertThat(MDC.get("delivery_count")).isEqualTo("2");
    }
    String elsewhere;
    try (CorrelationScope scope = kafka.open(delivery(null, (short) 1, 42))) {
      elsewhere = MDC.get("correlation_id");
    }

    assertThat(first).matches(Correlation::isValidId).isEqualTo(second).isNotEqualTo(elsewhere);
    assertThat(logs.fromLogger("io.baton")).extracting(line -> line.mdc().get("delivery_count"))
        .containsExactly("1", "2");
    assertThat(logs.fromLogger("io.baton")).allSatisfy(line -> assertThat(line.correlationId()).isEqualTo(first));
    assertThat(MDC.get("delivery_count")).isNull();
  }

  @Test
  void a_delivered_record_with_a_valid_id_keeps_it() {
    assumeTrue(SHARE_GROUPS, "kafka-clients 3.x has no share groups");
    ConsumerRecord<String, String> record = delivery("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61", (short) 3);

    try (CorrelationScope scope = kafka.open(record)) {
      assertThat(MDC.get("correlation_id")).isEqualTo("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61");
      assertThat(MDC.get("delivery_count")).isEqualTo("3");
    }
  }

  @Test
  void wrapping_a_share_consumer_twice_gives_the_same_wrapper_and_null_fails_fast() {
    assumeTrue(SHARE_GROUPS, "kafka-clients 3.x has no share groups");
    org.apache.kafka.clients.consumer.ShareConsumer<String, String> wrapped =
        kafka.shareConsumer(io.baton.testing.Delegation.recording(org.apache.kafka.clients.consumer.ShareConsumer.class, null));

    assertThat(kafka.shareConsumer(wrapped)).isSameAs(wrapped);
    assertThat(kafka.shareConsumer(wrapped)).isSameAs(wrapped);
    assertThatThrownBy(() -> kafka.shareConsumer(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("consumer");
    assertThatThrownBy(() -> kafka.forEach(wrapped, null, r -> {})).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("records");
  }

  @Test
  void after_a_failure_for_each_releases_that_record_handles_the_rest_and_throws_the_failure() {
    assumeTrue(SHARE_GROUPS, "kafka-clients 3.x has no share groups");
    java.util.List<io.baton.testing.Delegation.Call> calls = new java.util.ArrayList<>();
    org.apache.kafka.clients.consumer.ShareConsumer<String, String> consumer =
        io.baton.testing.Delegation.recordingCalls(org.apache.kafka.clients.consumer.ShareConsumer.class, calls, t -> null);
    ConsumerRecord<String, String> declined = delivery("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61", (short) 2, 41);
    ConsumerRecord<String, String> next = delivery(null, (short) 1, 42);
    java.util.List<String> handled = new java.util.ArrayList<>();

    assertThatThrownBy(() -> kafka.forEach(consumer, batch(declined, next), record -> {
      if (record == declined) {
        throw new java.io.IOException("card declined");
      }
      handled.add(record.key() + "@" + record.offset());
    })).isInstanceOf(java.io.IOException.class).hasMessage("card declined");

    assertThat(handled).containsExactly("k@42");
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.method().getName()).isEqualTo("acknowledge");
      assertThat(call.args()).containsExactly(declined, org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE);
    });
    assertThat(logs.fromLogger("io.baton.kafka")).singleElement().satisfies(line -> {
      assertThat(line.message()).isEqualTo("Record handler failed on orders-0@41");
      assertThat(line.correlationId()).isEqualTo("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61");
      assertThat(line.mdc()).containsEntry("delivery_count", "2");
    });
  }

  @Test
  void on_shutdown_for_each_stops_and_releases_the_record_and_the_rest_of_the_batch() {
    assumeTrue(SHARE_GROUPS, "kafka-clients 3.x has no share groups");
    java.util.List<io.baton.testing.Delegation.Call> calls = new java.util.ArrayList<>();
    org.apache.kafka.clients.consumer.ShareConsumer<String, String> consumer =
        io.baton.testing.Delegation.recordingCalls(org.apache.kafka.clients.consumer.ShareConsumer.class, calls, t -> null);
    ConsumerRecord<String, String> first = delivery(null, (short) 1, 41);
    ConsumerRecord<String, String> stopped = delivery(null, (short) 1, 42);
    ConsumerRecord<String, String> rest = delivery(null, (short) 1, 43);
    java.util.List<Long> handled = new java.util.ArrayList<>();

    assertThatThrownBy(() -> kafka.forEach(consumer, batch(first, stopped, rest), record -> {
      if (record == stopped) {
        throw new org.apache.kafka.common.errors.WakeupException();
      }
      handled.add(record.offset());
    })).isInstanceOf(org.apache.kafka.common.errors.WakeupException.class);

    assertThat(handled).containsExactly(41L);
    assertThat(calls).extracting(call -> call.args()[0]).containsExactly(stopped, rest);
    assertThat(calls).extracting(call -> call.args()[1])
        .containsOnly(org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE);
    assertThat(logs.fromLogger("io.baton.kafka")).isEmpty();
  }

  @SafeVarargs
  private static org.apache.kafka.clients.consumer.ConsumerRecords<String, String> batch(
      ConsumerRecord<String, String>... records) {
    return new org.apache.kafka.clients.consumer.ConsumerRecords<>(
        java.util.Map.of(new org.apache.kafka.common.TopicPartition("orders", 0), java.util.List.of(records)),
        java.util.Map.of());
  }

  private static ConsumerRecord<String, String> delivery(String id, short count) {
    return delivery(id, count, 41);
  }

  /** A record as a share consumer's poll gives it: with a delivery count. */
  private static ConsumerRecord<String, String> delivery(String id, short count, long offset) {
    RecordHeaders headers = new RecordHeaders();
    if (id != null) {
      headers.add("correlation_id", id.getBytes(UTF_8));
    }
    return new ConsumerRecord<>("orders", 0, offset, 1_700_000_000_000L, TimestampType.CREATE_TIME, 1, 1,
        "k", "v", headers, Optional.empty(), Optional.of(count));
  }
}
