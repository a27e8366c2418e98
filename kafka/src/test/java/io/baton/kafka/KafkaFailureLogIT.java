package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.brokers.EmbeddedKafka;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/** Issue 16 on a real broker: the failure line, and warnings about a record, are in its trail. */
class KafkaFailureLogIT {

  private static final Logger log = LoggerFactory.getLogger("order-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Sends one record under a child correlation (so it has a parent) and returns that correlation. */
  private static Correlation send(KafkaCorrelation kafka, String topic, String key) throws Exception {
    Correlation order = Correlation.newRoot().newChild();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        CorrelationScope scope = Baton.open(order)) {
      producer.send(new ProducerRecord<>(topic, key, "pay")).get(30, TimeUnit.SECONDS);
    }
    return order;
  }

  /** Polls until one batch is not empty, then hands it to forEach; returns what forEach threw. */
  private static Exception forEachUntilFailure(KafkaCorrelation kafka, Consumer<String, String> consumer,
      IllegalStateException thrown) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
      if (records.isEmpty()) {
        continue;
      }
      try {
        kafka.forEach(consumer, records, record -> {
          log.info("handling {}", record.key());
          throw thrown;
        });
      } catch (Exception e) {
        assertThat(MDC.get("correlation_id")).isNull();
        try (CorrelationScope scope = Baton.openFailed(e)) {
          log.error("batch failed", e); // the user's own loop line
        }
        return e;
      }
    }
    throw new AssertionError("no record came");
  }

  @Test
  void a_throwing_handler_is_logged_once_under_the_records_id_and_parent_and_reaches_the_loop_unchanged()
      throws Exception {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    String topic = EmbeddedKafka.topics("failing").get(0);
    Correlation order = send(kafka, topic, "order-1");
    IllegalStateException thrown = new IllegalStateException("card declined");

    Exception caught;
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      caught = forEachUntilFailure(kafka, consumer, thrown);
    }

    assertThat(caught).isSameAs(thrown);
    List<CapturedLine> failures = logs.lines(line -> line.throwable() == thrown);
    assertThat(failures).hasSize(2); // Baton's line, and the loop's own under Baton.openFailed
    CapturedLine baton = failures.get(0);
    assertThat(baton.logger()).isEqualTo("io.baton.kafka");
    assertThat(baton.level()).isEqualTo("ERROR");
    assertThat(baton.message()).isEqualTo("Record handler failed on " + topic + "-0@0");
    assertThat(baton.correlationId()).isEqualTo(order.id());
    assertThat(baton.parentCorrelationId()).isEqualTo(order.parentId().orElseThrow());
    CapturedLine loop = failures.get(1);
    assertThat(loop.message()).isEqualTo("batch failed");
    assertThat(loop.correlationId()).isEqualTo(order.id());
    assertThat(loop.parentCorrelationId()).isEqualTo(order.parentId().orElseThrow());
    assertThat(logs.withMessage("handling order-1").get(0).correlationId()).isEqualTo(order.id());
  }

  @Test
  void failure_log_off_writes_no_line_and_at_warn_changes_the_level() throws Exception {
    List<String> topics = EmbeddedKafka.topics("silent", "warn");
    KafkaCorrelation silent = KafkaCorrelation.newBuilder().failureLog(FailureLog.off()).build();
    KafkaCorrelation warn = KafkaCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build();
    Correlation order = send(silent, topics.get(0), "order-2");
    Correlation other = send(warn, topics.get(1), "order-3");
    IllegalStateException first = new IllegalStateException("first");
    IllegalStateException second = new IllegalStateException("second");

    try (Consumer<String, String> consumer = silent.consumer(EmbeddedKafka.rawConsumer(topics.get(0)))) {
      assertThat(forEachUntilFailure(silent, consumer, first)).isSameAs(first);
    }
    try (Consumer<String, String> consumer = warn.consumer(EmbeddedKafka.rawConsumer(topics.get(1)))) {
      assertThat(forEachUntilFailure(warn, consumer, second)).isSameAs(second);
    }

    assertThat(logs.lines(line -> line.logger().equals("io.baton.kafka") && line.throwable() == first)).isEmpty();
    assertThat(logs.lines(line -> line.throwable() == first)).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(order.id())); // the loop's, via openFailed
    assertThat(logs.lines(line -> line.logger().equals("io.baton.kafka") && line.throwable() == second))
        .singleElement()
        .satisfies(line -> {
          assertThat(line.level()).isEqualTo("WARN");
          assertThat(line.correlationId()).isEqualTo(other.id());
        });
  }

  @Test
  void warnings_about_invalid_and_non_utf8_ids_carry_the_id_the_handler_ran_with() throws Exception {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    String topic = EmbeddedKafka.topics("bad-ids").get(0);
    try (KafkaProducer<String, String> raw = EmbeddedKafka.rawProducer()) {
      RecordHeaders invalid = new RecordHeaders();
      invalid.add("correlation_id", "c3a8\r\n2026-11-21 INFO forged".getBytes(UTF_8));
      raw.send(new ProducerRecord<>(topic, null, "invalid", "x", invalid)).get(30, TimeUnit.SECONDS);
      RecordHeaders nonUtf8 = new RecordHeaders();
      nonUtf8.add("correlation_id", new byte[] {(byte) 0xc0, (byte) 0xaf, 0x61});
      raw.send(new ProducerRecord<>(topic, null, "non-utf8", "x", nonUtf8)).get(30, TimeUnit.SECONDS);
      RecordHeaders badParent = new RecordHeaders();
      badParent.add("correlation_id", "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61".getBytes(UTF_8));
      badParent.add("parent_correlation_id", new byte[] {(byte) 0xff, 0x0a});
      raw.send(new ProducerRecord<>(topic, null, "bad-parent", "x", badParent)).get(30, TimeUnit.SECONDS);
    }

    List<String> handledWith = new ArrayList<>();
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (handledWith.size() < 3 && System.nanoTime() < deadline) {
        kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)), record -> {
          log.info("handled {}", record.key());
          handledWith.add(MDC.get("correlation_id"));
        });
      }
    }

    List<CapturedLine> warnings = logs.lines(line -> line.logger().equals("io.baton") && line.level().equals("WARN"));
    assertThat(warnings).hasSize(3);
    assertThat(warnings).extracting(CapturedLine::correlationId).containsExactlyInAnyOrderElementsOf(handledWith);
    assertThat(warnings).allSatisfy(w -> assertThat(w.message()).doesNotContain("\r", "\n", " INFO forged"));
    assertThat(handledWith).contains("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61");
  }
}
