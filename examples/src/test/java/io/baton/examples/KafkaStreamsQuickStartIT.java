package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedKafka;
import io.baton.kafka.KafkaCorrelation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the README's Kafka Streams example on the embedded broker. */
class KafkaStreamsQuickStartIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void readme_streams_example_prices_and_receipts_an_order_under_its_id() throws Exception {
    EmbeddedKafka.createTopics("orders", "receipts");
    String order = "order-" + UUID.randomUUID();
    Correlation checkout = Correlation.newRoot();
    try (KafkaStreams streams = KafkaStreamsQuickStart.start(KafkaStreamsQuickStart.props(
            EmbeddedKafka.bootstrapServers(), "quick-start-" + UUID.randomUUID(),
            Files.createTempDirectory("baton-streams").toString()));
        KafkaConsumer<String, String> receipts = EmbeddedKafka.rawConsumer("receipts");
        Producer<String, String> producer = KafkaCorrelation.create().producer(EmbeddedKafka.rawProducer())) {
      try (CorrelationScope scope = Baton.open(checkout)) {
        producer.send(new ProducerRecord<>("orders", order, "pay 10 EUR for " + order)).get(30, TimeUnit.SECONDS);
      }
      ConsumerRecord<String, String> receipt = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (receipt == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : receipts.poll(Duration.ofMillis(100))) {
          if (order.equals(record.key())) {
            receipt = record;
          }
        }
      }
      assertThat(receipt).as("the receipt of %s", order).isNotNull();
      assertThat(receipt.headers().headers("correlation_id")).extracting(Header::value)
          .containsExactly(checkout.id().getBytes(StandardCharsets.UTF_8));
    }
    List<CapturedLine> lines = logs.lines(line -> line.message().contains(order));
    assertThat(lines).extracting(CapturedLine::message)
        .containsExactlyInAnyOrder("pricing pay 10 EUR for " + order, "receipt for " + order);
    assertThat(lines).extracting(CapturedLine::correlationId).containsOnly(checkout.id());
  }
}
