package io.baton.kafka;

import io.baton.brokers.EmbeddedKafka;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** End to end through a real KRaft broker: what the handler's log lines carry. */
class KafkaCorrelationIT {

  private static final Logger log = LoggerFactory.getLogger("payment-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  private static String header(ConsumerRecord<?, ?> record, String key) {
    return KafkaCorrelationTest.header(record.headers(), key);
  }

  @Test
  void handler_logs_under_the_id_the_producer_had() throws Exception {
    String topic = EmbeddedKafka.topics("orders").get(0);
    Correlation order = Correlation.newRoot();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        CorrelationScope scope = Baton.open(order)) {
      producer
          .send(new ProducerRecord<>(topic, "order-1", "pay 10 EUR"), (m, e) -> log.info("sent order-1"))
          .get(30, TimeUnit.SECONDS);
    }

    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(
          consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> log.info("charging {}", r.key())), 1);
    }

    CapturedLine handled = logs.withMessage("charging order-1").get(0);
    assertThat(handled.correlationId()).isEqualTo(order.id());
    assertThat(handled.parentCorrelationId()).isNull();
    assertThat(logs.withMessage("sent order-1").get(0).correlationId()).isEqualTo(order.id());
    assertThat(logs.withMessage("sent order-1").get(0).thread()).startsWith("kafka-producer-network-thread");
  }

  @Test
  void a_record_object_sent_again_as_other_work_is_handled_under_that_works_id() throws Exception {
    String topic = EmbeddedKafka.topics("templates").get(0);
    Correlation orderA = Correlation.newRoot();
    Correlation orderB = Correlation.newRoot();
    ProducerRecord<String, String> template = new ProducerRecord<>(topic, "receipt", "your receipt");
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      try (CorrelationScope a = Baton.open(orderA)) {
        producer.send(template).get(30, TimeUnit.SECONDS);
      }
      try (CorrelationScope b = Baton.open(orderB)) {
        producer.send(template).get(30, TimeUnit.SECONDS); // its headers are read-only by now
      }
    }

    List<String> handledUnder = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> {
        handledUnder.add(MDC.get("correlation_id"));
        log.info("mailing {}", r.value());
      }), 2);
    }

    assertThat(handledUnder).containsExactly(orderA.id(), orderB.id());
    assertThat(logs.withMessage("mailing your receipt")).extracting(CapturedLine::correlationId)
        .containsExactly(orderA.id(), orderB.id());
  }

  @Test
  void child_scope_sends_its_parent() throws Exception {
    String topic = EmbeddedKafka.topics("receipts").get(0);
    Correlation order = Correlation.newRoot();
    Correlation receipt;
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        CorrelationScope scope = Baton.open(order);
        CorrelationScope child = Baton.openChild()) {
      receipt = Baton.current().orElseThrow();
      producer.send(new ProducerRecord<>(topic, "receipt")).get(30, TimeUnit.SECONDS);
    }

    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> log.info("mailing receipt")), 1);
    }

    CapturedLine handled = logs.withMessage("mailing receipt").get(0);
    assertThat(handled.correlationId()).isEqualTo(receipt.id());
    assertThat(handled.parentCorrelationId()).isEqualTo(order.id());
  }

  @Test
  void record_sent_with_no_context_gets_a_fresh_id_shared_by_callback_and_handler() throws Exception {
    String topic = EmbeddedKafka.topics("orders").get(0);
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      producer
          .send(new ProducerRecord<>(topic, "no-context"), (m, e) -> log.info("callback ran"))
          .get(30, TimeUnit.SECONDS);
    }

    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> log.info("got it")), 1);
    }

    String sent = logs.withMessage("callback ran").get(0).correlationId();
    assertThat(Correlation.isValidId(sent)).isTrue();
    assertThat(logs.withMessage("got it").get(0).correlationId()).isEqualTo(sent);
  }

  @Test
  void records_with_missing_invalid_duplicated_and_non_utf8_ids_are_delivered_with_fresh_ids()
      throws Exception {
    String topic = EmbeddedKafka.topics("hostile").get(0);
    String valid = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";
    Map<String, RecordHeaders> cases = new HashMap<>();
    cases.put("missing", new RecordHeaders());
    cases.put("invalid", headers("correlation_id", "c3a8\r\n2026-11-21 INFO forged".getBytes(UTF_8)));
    RecordHeaders duplicated = headers("correlation_id", valid.getBytes(UTF_8));
    duplicated.add("correlation_id", "9f3c2b1f6a7a4c2f".getBytes(UTF_8));
    cases.put("duplicated", duplicated);
    cases.put("non-utf8", headers("correlation_id", new byte[] {(byte) 0xc0, (byte) 0xaf, 0x61, 0x62}));
    try (KafkaProducer<String, String> raw = EmbeddedKafka.rawProducer()) {
      for (Map.Entry<String, RecordHeaders> c : cases.entrySet()) {
        raw.send(new ProducerRecord<>(topic, null, c.getKey(), "body of " + c.getKey(), c.getValue()))
            .get(30, TimeUnit.SECONDS);
      }
    }

    List<ConsumerRecord<String, String>> received;
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      received =
          EmbeddedKafka.pollUntil(
              consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> log.info("handled {}", r.key())), 4);
    }

    assertThat(received).extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("missing", "invalid", "duplicated", "non-utf8");
    for (ConsumerRecord<String, String> record : received) {
      assertThat(record.value()).isEqualTo("body of " + record.key());
      assertThat(record.headers().headers("correlation_id")).hasSize(1);
      String id = header(record, "correlation_id");
      assertThat(id).matches(Correlation::isValidId).isNotEqualTo(valid);
      assertThat(logs.withMessage("handled " + record.key()).get(0).correlationId()).isEqualTo(id);
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(3); // missing is not a warning
    assertThat(warnings).allSatisfy(w -> assertThat(w.message()).doesNotContain("\r", "\n", " INFO forged"));
  }

  private static RecordHeaders headers(String key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(key, value);
    return headers;
  }

  @Test
  void interceptors_configured_by_class_name_carry_the_id() throws Exception {
    String topic = EmbeddedKafka.topics("intercepted").get(0);
    Map<String, Object> producerConfig = EmbeddedKafka.producerConfig();
    producerConfig.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "io.baton.kafka.CorrelationProducerInterceptor");
    Map<String, Object> consumerConfig = EmbeddedKafka.consumerConfig();
    consumerConfig.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "io.baton.kafka.CorrelationConsumerInterceptor");
    Correlation order = Correlation.newRoot();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig);
        CorrelationScope scope = Baton.open(order)) {
      producer.send(new ProducerRecord<>(topic, "with-id")).get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> raw = EmbeddedKafka.rawProducer()) {
      raw.send(new ProducerRecord<>(topic, null, "bad-id", "x", headers("correlation_id", "bad".getBytes(UTF_8))))
          .get(30, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<String, String>> received;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      received = EmbeddedKafka.pollUntil(consumer, records -> KafkaTesting.forEach(kafka, consumer, records, r -> log.info("intercepted {}", r.value())), 2);
    }

    assertThat(header(received.get(0), "correlation_id")).isEqualTo(order.id());
    assertThat(logs.withMessage("intercepted with-id").get(0).correlationId()).isEqualTo(order.id());
    assertThat(received.get(1).headers().headers("correlation_id")).hasSize(1);
    assertThat(header(received.get(1), "correlation_id")).matches(Correlation::isValidId);
  }

  @Test
  void mdc_is_clean_after_each_record_on_the_polling_thread() throws Exception {
    String topic = EmbeddedKafka.topics("clean").get(0);
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      for (int i = 0; i < 3; i++) {
        try (CorrelationScope scope = Baton.openNew()) {
          producer.send(new ProducerRecord<>(topic, "r" + i)).get(30, TimeUnit.SECONDS);
        }
      }
    }
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(
          consumer,
          records -> {
            KafkaTesting.forEach(kafka, consumer, records, r -> log.info("record {}", r.value()));
            assertThat(MDC.get("correlation_id")).isNull();
          },
          3);
    }
    assertThat(logs.withMessage("record r").stream().map(CapturedLine::correlationId).distinct()).hasSize(3);
  }
}
