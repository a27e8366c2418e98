package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedKafka;
import io.baton.kafka.KafkaCorrelation;
import io.baton.kafka.KafkaRetryPolicy;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the README's Kafka retry/DLT example against a real broker. */
class KafkaQuickStartIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void readme_retry_example_sends_a_declined_order_to_the_dlt_under_its_id() throws Exception {
    EmbeddedKafka.createTopics("orders", "orders.retry", "orders.DLT");
    Properties consumerProps = new Properties();
    consumerProps.putAll(EmbeddedKafka.consumerConfig());
    Correlation order = Correlation.newRoot();
    KafkaCorrelation kafka = KafkaCorrelation.create();
    AtomicBoolean running = new AtomicBoolean(true);

    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        KafkaConsumer<String, String> dlt = EmbeddedKafka.rawConsumer("orders.DLT")) {
      try (CorrelationScope scope = Baton.open(order)) {
        producer.send(new ProducerRecord<>("orders", "order-7", "declined card")).get(30, TimeUnit.SECONDS);
      }
      Thread worker = new Thread(() -> KafkaQuickStart.consumeWithRetries(consumerProps, producer, Duration.ofMillis(500), running::get));
      worker.start();
      // Other tests in this JVM may use the same topics: look for this order only.
      ConsumerRecord<String, String> deadLetter = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (deadLetter == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : dlt.poll(Duration.ofMillis(100))) {
          if ("order-7".equals(record.key())) {
            deadLetter = record;
          }
        }
      }
      running.set(false);
      worker.join(Duration.ofSeconds(30).toMillis());
      assertThat(deadLetter).as("order-7 on orders.DLT").isNotNull();

      assertThat(new String(deadLetter.headers().lastHeader("correlation_id").value(), StandardCharsets.UTF_8))
          .isEqualTo(order.id());
      assertThat(new String(deadLetter.headers().lastHeader(KafkaRetryPolicy.ATTEMPTS_HEADER).value(), StandardCharsets.UTF_8))
          .isEqualTo("9"); // 3 attempts in place, on orders and on two trips through orders.retry
    }

    List<CapturedLine> attempts = logs.lines(line -> line.message().startsWith("Attempt ")
        && order.id().equals(line.correlationId()));
    assertThat(attempts).hasSize(9);
    assertThat(attempts).extracting(CapturedLine::correlationId).containsOnly(order.id());
  }
}
