package io.baton.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedKafka;
import io.baton.kafka.KafkaCorrelation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the README's share-group worker, two of them, against a real broker. */
class KafkaShareGroupQuickStartIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void every_payment_is_charged_or_dead_lettered_once_under_the_id_it_was_sent_with() throws Exception {
    EmbeddedKafka.createTopics("payments", "payments.DLQ");
    int deliveryLimit = 3;
    String group = EmbeddedKafka.shareGroup(Map.of("share.delivery.count.limit", String.valueOf(deliveryLimit)));
    String run = UUID.randomUUID().toString().substring(0, 8); // other runs' records may be on the topics
    KafkaCorrelation kafka = KafkaCorrelation.create();
    Map<String, String> sentIds = new HashMap<>();
    List<String> payments = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      payments.add("ok-" + i);
    }
    payments.addAll(List.of("declined-1", "declined-2", "flaky-1", "flaky-2", "outage-1"));
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();

    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        KafkaConsumer<String, String> dlq = EmbeddedKafka.rawConsumer("payments.DLQ")) {
      for (String payment : payments) {
        Correlation order = Correlation.newRoot();
        try (CorrelationScope scope = Baton.open(order)) {
          producer.send(new ProducerRecord<>("payments", run + "-" + payment, run + " " + payment))
              .get(30, TimeUnit.SECONDS);
        }
        sentIds.put(run + "-" + payment, order.id());
      }
      for (int w = 0; w < 2; w++) {
        Properties props = new Properties();
        props.putAll(EmbeddedKafka.shareConsumerConfig(group));
        Thread worker = new Thread(() -> KafkaShareGroupQuickStart.work(props, producer, deliveryLimit, running::get));
        worker.start();
        workers.add(worker);
      }

      Map<String, ConsumerRecord<String, String>> deadLetters = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline && (deadLetters.size() < 3 || charged(run).size() < 8)) {
        for (ConsumerRecord<String, String> record : dlq.poll(Duration.ofMillis(100))) {
          if (record.key().startsWith(run)) {
            assertThat(deadLetters.put(record.key(), record)).as("dead-lettered twice").isNull();
          }
        }
      }
      running.set(false);
      for (Thread worker : workers) {
        worker.join(Duration.ofSeconds(30).toMillis());
      }

      // nothing lost, nothing twice: each payment charged or dead-lettered, exactly one of them
      Set<String> charged = charged(run);
      assertThat(deadLetters.keySet()).containsExactlyInAnyOrder(
          run + "-declined-1", run + "-declined-2", run + "-outage-1");
      assertThat(charged).doesNotContainAnyElementsOf(deadLetters.keySet());
      Set<String> all = new java.util.HashSet<>(charged);
      all.addAll(deadLetters.keySet());
      assertThat(all).isEqualTo(sentIds.keySet());

      // the dead letter carries the ID once; the lines about it, on every delivery, carry it too
      for (ConsumerRecord<String, String> deadLetter : deadLetters.values()) {
        List<String> ids = StreamSupport.stream(deadLetter.headers().spliterator(), false)
            .filter(h -> h.key().equalsIgnoreCase("correlation_id"))
            .map(h -> new String(h.value(), UTF_8)).collect(Collectors.toList());
        assertThat(ids).containsExactly(sentIds.get(deadLetter.key()));
      }
      CapturedLine outage = logs.withMessage("dead-lettered after").stream()
          .filter(line -> sentIds.get(run + "-outage-1").equals(line.correlationId())).findFirst().orElseThrow();
      assertThat(outage.mdc()).containsEntry("delivery_count", String.valueOf(deliveryLimit));
      assertThat(logs.fromLogger("io.baton.kafka"))
          .filteredOn(line -> line.message().contains(run) || sentIds.containsValue(line.correlationId()))
          .filteredOn(line -> line.message().startsWith("Record handler failed"))
          .extracting(line -> line.mdc().get("delivery_count"), CapturedLine::correlationId)
          .contains(
              org.assertj.core.groups.Tuple.tuple("1", sentIds.get(run + "-flaky-1")),
              org.assertj.core.groups.Tuple.tuple("1", sentIds.get(run + "-outage-1")),
              org.assertj.core.groups.Tuple.tuple("2", sentIds.get(run + "-outage-1")));
      for (String payment : charged) {
        assertThat(logs.withMessage("charged " + run + " " + payment.substring(run.length() + 1)))
            .singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(sentIds.get(payment)));
      }
    } finally {
      running.set(false);
    }
  }

  /** The keys of this run's payments that were charged (their log line). */
  private Set<String> charged(String run) {
    return logs.lines(line -> line.message().startsWith("charged " + run + " ")).stream()
        .map(line -> run + "-" + line.message().substring(("charged " + run + " ").length()))
        .collect(Collectors.toSet());
  }
}
