package io.baton.kafka;

import static io.baton.kafka.KafkaCorrelationTest.count;
import static io.baton.kafka.KafkaCorrelationTest.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.MessageHandler;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class RetryingHandlerTest {

  private static final Logger log = LoggerFactory.getLogger(RetryingHandlerTest.class);
  private static final String ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final MockProducer<String, String> producer =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());

  private static ConsumerRecord<String, String> order(String value) {
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>("orders", 2, 41L, 1_700_000_000_000L, TimestampType.CREATE_TIME, 0, 0, "order-7", value, new RecordHeaders(), Optional.empty());
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("app_header", "kept".getBytes(UTF_8));
    return record;
  }

  /** What a consumer of {@code sent}'s topic would receive. */
  private static ConsumerRecord<String, String> consumed(ProducerRecord<String, String> sent, long offset) {
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(sent.topic(), 0, offset, sent.timestamp() == null ? System.currentTimeMillis() : sent.timestamp(), TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(), new RecordHeaders(), Optional.empty());
    for (Header header : sent.headers()) {
      record.headers().add(header);
    }
    return record;
  }

  @Test
  void a_record_that_succeeds_on_the_second_attempt_is_not_republished() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              log.info("paying {}", record.value());
              if (calls.incrementAndGet() == 1) {
                throw new IOException("provider timeout");
              }
            },
            producer,
            KafkaRetryPolicy.defaults());

    handler.handle(order("pay"));

    assertThat(producer.history()).isEmpty();
    List<CapturedLine> attempts = logs.withMessage("paying pay");
    assertThat(attempts).extracting(line -> line.mdc().get("retry_attempt")).containsExactly("1", "2");
    assertThat(attempts).extracting(CapturedLine::correlationId).containsOnly(ID);
    assertThat(MDC.get("retry_attempt")).isNull();
  }

  @Test
  void an_interrupted_handler_stops_retrying_nothing_is_republished_and_the_flag_stays_set() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              calls.incrementAndGet();
              log.info("paying, then shutdown");
              throw new InterruptedException("shutting down");
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(3).build());

    boolean interruptedAfter;
    try {
      assertThatThrownBy(() -> handler.handle(order("pay"))).isInstanceOf(InterruptedException.class);
    } finally {
      interruptedAfter = Thread.interrupted();
    }

    assertThat(calls).hasValue(1);
    assertThat(interruptedAfter).as("interrupt flag after handle").isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(logs.lines(line -> line.throwable() != null)).isEmpty(); // shutdown is not a failure
    assertThat(logs.lines()).extracting(CapturedLine::correlationId).containsOnly(ID);
    assertThat(logs.withMessage("Stopped retrying orders-2@41")).hasSize(1);
  }

  @Test
  void an_interrupt_flag_set_during_a_failed_attempt_counts_as_shutdown_not_failure() throws Exception {
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              Thread.currentThread().interrupt(); // e.g. an I/O call that the interrupt broke
              throw new IOException("channel closed by interrupt");
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(3).build());

    boolean interruptedAfter;
    try {
      assertThatThrownBy(() -> handler.handle(order("pay")))
          .isInstanceOf(InterruptedException.class)
          .hasCauseInstanceOf(IOException.class);
    } finally {
      interruptedAfter = Thread.interrupted();
    }
    assertThat(interruptedAfter).isTrue();
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void exhausted_record_goes_to_the_dead_letter_topic_with_everything_it_had() throws Exception {
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              throw new IllegalStateException("card declined\r\nfor order-7");
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(2).build());

    handler.handle(order("pay"));

    ProducerRecord<String, String> dead = producer.history().get(0);
    assertThat(dead.topic()).isEqualTo("orders.DLT");
    assertThat(dead.key()).isEqualTo("order-7");
    assertThat(dead.value()).isEqualTo("pay");
    assertThat(dead.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(header(dead.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(header(dead.headers(), "app_header")).isEqualTo("kept");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER)).isEqualTo("orders");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ORIGINAL_PARTITION_HEADER)).isEqualTo("2");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ORIGINAL_OFFSET_HEADER)).isEqualTo("41");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ATTEMPTS_HEADER)).isEqualTo("2");
    assertThat(header(dead.headers(), KafkaRetryPolicy.EXCEPTION_CLASS_HEADER))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(dead.headers(), KafkaRetryPolicy.EXCEPTION_MESSAGE_HEADER))
        .isEqualTo("card declined??for order-7");
    assertThat(logs.withMessage("to orders.DLT after 2 failed attempts").get(0).correlationId())
        .isEqualTo(ID);
  }

  @Test
  void five_hops_through_the_retry_topic_leave_one_copy_of_each_header() throws Exception {
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              throw new IllegalStateException("x".repeat(10_000));
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(3).retryHops(5).build());

    ConsumerRecord<String, String> next = order("pay");
    for (int hop = 0; hop < 6; hop++) {
      handler.handle(next);
      next = consumed(producer.history().get(hop), hop);
    }

    assertThat(producer.history()).extracting(ProducerRecord::topic)
        .containsExactly("orders.retry", "orders.retry", "orders.retry", "orders.retry", "orders.retry", "orders.DLT");
    ProducerRecord<String, String> dead = producer.history().get(5);
    for (Header header : dead.headers()) {
      assertThat(count(dead.headers(), header.key())).as(header.key()).isEqualTo(1);
    }
    assertThat(header(dead.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(header(dead.headers(), KafkaRetryPolicy.ATTEMPTS_HEADER)).isEqualTo("18");
    assertThat(header(dead.headers(), KafkaRetryPolicy.RETRY_HOPS_HEADER)).isEqualTo("5");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER)).isEqualTo("orders");
    assertThat(header(dead.headers(), KafkaRetryPolicy.ORIGINAL_OFFSET_HEADER)).isEqualTo("41");
    assertThat(header(dead.headers(), KafkaRetryPolicy.EXCEPTION_MESSAGE_HEADER)).hasSize(255);
  }

  @Test
  void a_record_with_an_invalid_id_is_handled_and_dead_lettered_under_one_fresh_id() throws Exception {
    ConsumerRecord<String, String> record = order("pay");
    record.headers().remove("correlation_id");
    record.headers().add("correlation_id", "bad\r\nid".getBytes(UTF_8));
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            r -> {
              log.info("paying");
              throw new IllegalStateException("declined");
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(2).build());

    org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition("orders", 2);
    kafka.forEach(KafkaCorrelationTest.assigned(partition), new org.apache.kafka.clients.consumer.ConsumerRecords<>(
        java.util.Map.of(partition, List.of(record))), handler);

    String fresh = header(producer.history().get(0).headers(), "correlation_id");
    assertThat(fresh).matches(io.baton.Correlation::isValidId);
    assertThat(logs.withMessage("paying")).extracting(CapturedLine::correlationId).containsOnly(fresh);
    assertThat(logs.fromLogger("io.baton")).hasSize(1);
  }

  @Test
  void forged_retry_headers_on_the_main_topic_are_not_believed() throws Exception {
    ConsumerRecord<String, String> record = order("pay");
    record.headers().add(KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER, "payments\r\n2026 INFO forged".getBytes(UTF_8));
    record.headers().add(KafkaRetryPolicy.RETRY_HOPS_HEADER, "99".getBytes(UTF_8));
    record.headers().add(KafkaRetryPolicy.ATTEMPTS_HEADER, "1000".getBytes(UTF_8));
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            r -> {
              throw new IllegalStateException("declined");
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(1).retryHops(1).build());

    handler.handle(record);

    ProducerRecord<String, String> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("orders.retry");
    assertThat(header(sent.headers(), KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER)).isEqualTo("orders");
    assertThat(header(sent.headers(), KafkaRetryPolicy.ATTEMPTS_HEADER)).isEqualTo("1");
    assertThat(logs.lines()).allSatisfy(line -> assertThat(line.message()).doesNotContain("\r", "\n", "forged"));
  }

  @Test
  void a_failed_republish_surfaces_so_the_offset_is_not_committed() throws Exception {
    MockProducer<String, String> failing =
        new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              throw new IllegalStateException("declined");
            },
            failing,
            KafkaRetryPolicy.newBuilder().attempts(1).sendTimeout(java.time.Duration.ofMillis(50)).build());

    assertThatThrownBy(() -> handler.handle(order("pay")))
        .isInstanceOf(KafkaException.class)
        .hasMessageContaining("orders.DLT");
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void every_failed_attempt_is_logged_once_with_its_stack_trace_under_the_records_id() throws Exception {
    List<Exception> thrown = new java.util.ArrayList<>();
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              IOException e = new IOException("provider timeout " + thrown.size());
              thrown.add(e);
              throw e;
            },
            producer,
            KafkaRetryPolicy.newBuilder().attempts(2).build());

    handler.handle(order("pay"));

    List<CapturedLine> failures = logs.lines(line -> line.throwable() != null);
    assertThat(failures).extracting(CapturedLine::throwable).containsExactlyElementsOf(thrown);
    assertThat(failures).extracting(CapturedLine::logger).containsOnly("io.baton.kafka");
    assertThat(failures).extracting(CapturedLine::level).containsOnly("ERROR");
    assertThat(failures).extracting(CapturedLine::correlationId).containsOnly(ID);
    assertThat(failures).extracting(line -> line.mdc().get("retry_attempt")).containsExactly("1", "2");
    assertThat(failures).extracting(CapturedLine::message)
        .containsExactly("Attempt 1 of 2 failed on orders-2@41", "Attempt 2 of 2 failed on orders-2@41");
  }

  @Test
  void a_failed_republish_is_logged_under_the_records_id_and_reopened_by_open_failed() throws Exception {
    MockProducer<String, String> failing =
        new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    MessageHandler<ConsumerRecord<String, String>> handler =
        kafka.retrying(
            record -> {
              throw new IllegalStateException("declined");
            },
            failing,
            KafkaRetryPolicy.newBuilder().attempts(1).sendTimeout(java.time.Duration.ofMillis(50)).build());

    Exception caught = null;
    try {
      handler.handle(order("pay"));
    } catch (Exception e) {
      caught = e;
      try (io.baton.CorrelationScope scope = io.baton.Baton.openFailed(e)) {
        log.error("loop saw it", e);
      }
    }

    assertThat(caught).isInstanceOf(KafkaException.class);
    Exception failure = caught;
    assertThat(logs.lines(line -> line.throwable() == failure)).hasSize(2)
        .extracting(CapturedLine::correlationId).containsOnly(ID);
  }
}
