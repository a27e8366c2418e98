package io.baton.kafka;

import io.baton.brokers.EmbeddedKafka;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retry in place, five hops through the retry topic, then the DLT, on a real broker. */
class KafkaRetryIT {

  private static final Logger log = LoggerFactory.getLogger("payment-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  @Test
  void retry_topic_then_dlt_keep_the_id_and_one_copy_of_each_diagnostic_header() throws Exception {
    String orders = EmbeddedKafka.topics("orders").get(0);
    EmbeddedKafka.createTopics(orders + ".retry", orders + ".DLT");
    Correlation order = Correlation.newRoot();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      try (CorrelationScope scope = Baton.open(order)) {
        producer.send(new ProducerRecord<>(orders, "order-9", "pay 99 EUR")).get(30, TimeUnit.SECONDS);
      }

      var handler =
          kafka.<String, String>retrying(
              record -> {
                log.info("charging {} from {}", record.key(), record.topic());
                throw new IllegalStateException("card declined");
              },
              producer,
              KafkaRetryPolicy.newBuilder().attempts(3).retryHops(5).build());
      try (Consumer<String, String> worker = kafka.consumer(EmbeddedKafka.rawConsumer(orders, orders + ".retry"));
          Consumer<String, String> deadLetters = kafka.consumer(EmbeddedKafka.rawConsumer(orders + ".DLT"))) {
        List<ConsumerRecord<String, String>> dead = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dead.isEmpty() && System.nanoTime() < deadline) {
          kafka.forEach(worker, worker.poll(Duration.ofMillis(100)), handler);
          worker.commitSync();
          for (ConsumerRecord<String, String> record : deadLetters.poll(Duration.ofMillis(10))) {
            try (CorrelationScope scope = kafka.open(record)) {
              log.info("dead letter {}", record.key());
            }
            dead.add(record);
          }
        }
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, String> deadLetter = dead.get(0);

        assertThat(deadLetter.key()).isEqualTo("order-9");
        assertThat(deadLetter.value()).isEqualTo("pay 99 EUR");
        for (Header header : deadLetter.headers()) {
          assertThat(deadLetter.headers().headers(header.key())).as(header.key()).hasSize(1);
        }
        assertThat(header(deadLetter, "correlation_id")).isEqualTo(order.id());
        assertThat(header(deadLetter, KafkaRetryPolicy.ATTEMPTS_HEADER)).isEqualTo("18");
        assertThat(header(deadLetter, KafkaRetryPolicy.RETRY_HOPS_HEADER)).isEqualTo("5");
        assertThat(header(deadLetter, KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER)).isEqualTo(orders);
        assertThat(header(deadLetter, KafkaRetryPolicy.EXCEPTION_MESSAGE_HEADER)).isEqualTo("card declined");
      }
    }

    List<CapturedLine> attempts = logs.withMessage("charging order-9");
    assertThat(attempts).hasSize(18);
    assertThat(attempts).extracting(CapturedLine::correlationId).containsOnly(order.id());
    assertThat(attempts).extracting(line -> line.mdc().get("retry_attempt")) // counted across all hops
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 18).mapToObj(String::valueOf).toList());
    assertThat(attempts.stream().filter(l -> l.message().endsWith(orders + ".retry"))).hasSize(15);
    assertThat(logs.withMessage("dead letter order-9").get(0).correlationId()).isEqualTo(order.id());
    assertThat(logs.withMessage("to " + orders + ".DLT").get(0).correlationId()).isEqualTo(order.id());
  }

  private static String header(ConsumerRecord<?, ?> record, String key) {
    return KafkaCorrelationTest.header(record.headers(), key);
  }
}
