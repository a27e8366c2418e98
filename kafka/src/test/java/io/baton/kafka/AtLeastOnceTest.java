package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.MessageHandler;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** forEach's seek-back, the retry delay's pause and routing by configuration, with Kafka's mocks. */
class AtLeastOnceTest {

  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);

  private void fill(TopicPartition partition, int count) {
    for (int offset = 0; offset < count; offset++) {
      consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k" + offset, "v" + offset));
    }
  }

  private void assign(TopicPartition... partitions) {
    consumer.assign(List.of(partitions));
    Map<TopicPartition, Long> beginning = new java.util.HashMap<>();
    for (TopicPartition partition : partitions) {
      beginning.put(partition, 0L);
    }
    consumer.updateBeginningOffsets(beginning);
  }

  private long committed(TopicPartition partition) {
    OffsetAndMetadata offset = consumer.committed(java.util.Set.of(partition)).get(partition);
    return offset == null ? 0 : offset.offset();
  }

  @Test
  void a_failed_dead_letter_send_leaves_the_failed_record_and_the_rest_of_the_batch_uncommitted() throws Exception {
    // issue 17's reproduction: offsets 0-3, failing at 1, a DLT send that fails
    assign(P0);
    fill(P0, 4);
    MockProducer<String, String> failing = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    failing.sendException = new KafkaException("topic orders.DLT not present");
    List<String> handled = new ArrayList<>();
    MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(record -> {
      if (record.offset() == 1) {
        throw new IllegalStateException("poison");
      }
      handled.add(record.value());
    }, failing, KafkaRetryPolicy.newBuilder().attempts(1).build());

    assertThatThrownBy(() -> kafka.forEach(consumer, consumer.poll(Duration.ZERO), handler))
        .isInstanceOf(KafkaException.class).hasMessageContaining("orders.DLT");
    consumer.commitSync(); // what a loop that logs and goes on does

    assertThat(handled).containsExactly("v0");
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(consumer.position(P0)).isEqualTo(1);
    // the next poll delivers offset 1 again; with the DLT writable it is dead-lettered and the rest handled
    failing.sendException = null;
    consumer.seek(P0, 4); // where the next poll leaves it
    kafka.forEach(consumer, new ConsumerRecords<>(Map.of(P0, records(P0, 1, 4))), handler);
    consumer.commitSync();
    assertThat(handled).containsExactly("v0", "v2", "v3");
    assertThat(failing.history()).extracting(ProducerRecord::topic).containsExactly("orders.DLT"); // the failed send is not in it
    assertThat(committed(P0)).isEqualTo(4);
  }

  private static List<ConsumerRecord<String, String>> records(TopicPartition partition, int from, int to) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    for (int offset = from; offset < to; offset++) {
      records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k" + offset, "v" + offset));
    }
    return records;
  }

  @Test
  void a_throwing_handler_seeks_every_partition_of_the_batch_back_to_its_first_unhandled_record() throws Exception {
    assign(P0, P1);
    ConsumerRecords<String, String> batch = new ConsumerRecords<>(Map.of(P0, records(P0, 0, 3), P1, records(P1, 0, 3)));
    consumer.seek(P0, 3);
    consumer.seek(P1, 3); // where poll would have left them
    List<TopicPartition> order = new ArrayList<>(batch.partitions());
    TopicPartition first = order.get(0);
    TopicPartition second = order.get(1);
    IllegalStateException poison = new IllegalStateException("poison");

    assertThatThrownBy(() -> kafka.forEach(consumer, batch, record -> {
      if (record.partition() == first.partition() && record.offset() == 2) {
        throw poison;
      }
    })).isSameAs(poison);
    consumer.commitSync();

    assertThat(committed(first)).isEqualTo(2);
    assertThat(committed(second)).isEqualTo(0);
    assertThat(logs.lines(line -> line.throwable() == poison)).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isNotNull());
  }

  @Test
  void shutdown_during_an_attempt_dead_letters_nothing_and_commits_nothing_past_the_record() throws Exception {
    assign(P0);
    ConsumerRecords<String, String> batch = new ConsumerRecords<>(Map.of(P0, records(P0, 0, 3)));
    consumer.seek(P0, 3);
    MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(record -> {
      if (record.offset() == 1) {
        throw new InterruptedException("shutdownNow");
      }
    }, producer, KafkaRetryPolicy.newBuilder().attempts(5).build());

    boolean flag;
    try {
      assertThatThrownBy(() -> kafka.forEach(consumer, batch, handler)).isInstanceOf(InterruptedException.class);
    } finally {
      flag = Thread.interrupted();
    }
    consumer.commitSync();

    assertThat(flag).isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(logs.lines(line -> line.throwable() != null)).isEmpty();
  }

  private static ConsumerRecord<String, String> onTopic(String topic, long timestamp, String... headers) {
    RecordHeaders recordHeaders = new RecordHeaders();
    recordHeaders.add("correlation_id", "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61".getBytes(UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      recordHeaders.add(headers[i], headers[i + 1].getBytes(UTF_8));
    }
    return new ConsumerRecord<>(topic, 0, 7L, timestamp, TimestampType.CREATE_TIME, 0, 0, "k", "v", recordHeaders, Optional.empty());
  }

  private String routed(KafkaRetryPolicy policy, ConsumerRecord<String, String> record) throws Exception {
    MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    kafka.retrying(r -> {
      throw new IllegalStateException("declined");
    }, producer, policy).handle(record);
    return producer.history().get(0).topic();
  }

  @Test
  void a_stripped_retry_record_goes_to_the_policys_next_hop_never_to_a_retry_of_the_retry_topic() throws Exception {
    long now = System.currentTimeMillis();
    assertThat(routed(KafkaRetryPolicy.newBuilder().attempts(1).retryHops(1).build(), onTopic("orders.retry", now)))
        .isEqualTo("orders.DLT");
    assertThat(routed(KafkaRetryPolicy.newBuilder().attempts(1).retryHops(3).build(), onTopic("orders.retry", now)))
        .isEqualTo("orders.retry");
    assertThat(routed(KafkaRetryPolicy.newBuilder().attempts(1).build(), onTopic("orders.retry", now)))
        .isEqualTo("orders.DLT");
  }

  @Test
  void a_forged_original_topic_is_ignored_and_never_logged_raw() throws Exception {
    long now = System.currentTimeMillis();
    String forged = "payments\r\n2026 INFO forged";
    ConsumerRecord<String, String> record = onTopic("orders.retry", now,
        KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER, forged, KafkaRetryPolicy.RETRY_HOPS_HEADER, "1");
    MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    kafka.retrying(r -> {
      throw new IllegalStateException("declined");
    }, producer, KafkaRetryPolicy.newBuilder().attempts(1).retryHops(1).build()).handle(record);

    ProducerRecord<String, String> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("orders.DLT");
    assertThat(KafkaCorrelationTest.header(sent.headers(), KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER)).isEqualTo("orders");
    assertThat(logs.withMessage("Ignored the baton_original_topic header of orders.retry-0@7")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61"));
    assertThat(logs.lines()).allSatisfy(line -> assertThat(line.message()).doesNotContain("\r", "\n", "forged", "payments"));
  }

  @Test
  void attempts_are_numbered_across_hops_and_wait_the_backoff_between_them() throws Exception {
    List<Long> startedAt = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    kafka.retrying(r -> {
      startedAt.add(System.nanoTime());
      numbers.add(org.slf4j.MDC.get("retry_attempt"));
      throw new IllegalStateException("declined");
    }, producer, KafkaRetryPolicy.newBuilder().attempts(3).retryHops(2).backoff(Duration.ofMillis(150)).build())
        .handle(onTopic("orders.retry", System.currentTimeMillis(), KafkaRetryPolicy.RETRY_HOPS_HEADER, "1"));

    assertThat(numbers).containsExactly("4", "5", "6");
    assertThat(startedAt.get(1) - startedAt.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    assertThat(startedAt.get(2) - startedAt.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    assertThat(producer.history().get(0).topic()).isEqualTo("orders.retry");
    assertThat(KafkaCorrelationTest.header(producer.history().get(0).headers(), KafkaRetryPolicy.ATTEMPTS_HEADER)).isEqualTo("6");
  }

  @Test
  void a_retry_record_not_yet_due_pauses_only_its_partition_until_the_retry_delay_passed() throws Exception {
    TopicPartition retry = new TopicPartition("orders.retry", 0);
    assign(P0, retry);
    long now = System.currentTimeMillis();
    ConsumerRecord<String, String> waiting = new ConsumerRecord<>("orders.retry", 0, 5L, now, TimestampType.CREATE_TIME,
        0, 0, "late", "v", new RecordHeaders(), Optional.empty());
    ConsumerRecords<String, String> batch = new ConsumerRecords<>(Map.of(P0, records(P0, 0, 2), retry, List.of(waiting)));
    List<String> handled = new ArrayList<>();
    MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(
        record -> handled.add(record.key()), producer,
        KafkaRetryPolicy.newBuilder().retryHops(1).retryDelay(Duration.ofMillis(300)).build());

    kafka.forEach(consumer, batch, handler);

    assertThat(handled).containsExactly("k0", "k1");
    assertThat(consumer.paused()).containsExactly(retry);
    assertThat(consumer.position(retry)).isEqualTo(5);
    kafka.forEach(consumer, ConsumerRecords.empty(), handler);
    assertThat(consumer.paused()).containsExactly(retry); // not yet
    Thread.sleep(350);
    kafka.forEach(consumer, ConsumerRecords.empty(), handler);
    assertThat(consumer.paused()).isEmpty();
    kafka.forEach(consumer, new ConsumerRecords<>(Map.of(retry, List.of(waiting))), handler);
    assertThat(handled).containsExactly("k0", "k1", "late");
    assertThat(logs.lines(line -> line.level().equals("ERROR"))).extracting(CapturedLine::message).isEmpty();
  }
}
