package io.baton.kafka;

import io.baton.brokers.EmbeddedKafka;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A poll loop feeding a 4-thread worker pool: every line under its own record's ID. */
class KafkaWorkerPoolIT {

  private static final Logger log = LoggerFactory.getLogger("payment-worker");
  private static final int RECORDS = 5_000;

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  @Test
  void four_workers_five_thousand_records_ten_percent_throwing_never_mix_ids() throws Exception {
    String topic = EmbeddedKafka.topics("work").get(0);
    Map<String, String> idByKey = new ConcurrentHashMap<>();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      for (int i = 0; i < RECORDS; i++) {
        try (CorrelationScope scope = Baton.openNew()) {
          String key = "r" + i;
          idByKey.put(key, Baton.current().orElseThrow().id());
          producer.send(new ProducerRecord<>(topic, key, "payload"));
        }
      }
      producer.flush();
    }

    ExecutorService workers = Executors.newFixedThreadPool(4);
    AtomicInteger leaks = new AtomicInteger();
    List<Future<?>> tasks = new ArrayList<>();
    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(
          consumer,
          records -> {
            for (ConsumerRecord<String, String> record : records) {
              tasks.add(workers.submit(() -> work(record, leaks)));
            }
          },
          RECORDS);
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      workers.shutdown();
      assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(leaks).hasValue(0);
    List<CapturedLine> lines = logs.lines(l -> l.logger().equals("payment-worker"));
    assertThat(lines).hasSize(RECORDS + RECORDS / 10);
    for (CapturedLine line : lines) {
      String key = line.message().substring(line.message().lastIndexOf(' ') + 1);
      assertThat(line.correlationId()).as(line.toString()).isEqualTo(idByKey.get(key));
    }
    assertThat(lines.stream().map(CapturedLine::thread).distinct()).hasSize(4);
  }

  private void work(ConsumerRecord<String, String> record, AtomicInteger leaks) {
    try {
      try (CorrelationScope scope = kafka.open(record)) {
        log.info("processing {}", record.key());
        if (Integer.parseInt(record.key().substring(1)) % 10 == 0) {
          throw new IllegalStateException("handler failed"); // leaves the scope by exception
        }
      }
    } catch (IllegalStateException e) {
      if (MDC.get("correlation_id") != null) {
        leaks.incrementAndGet();
      }
      try (CorrelationScope scope = kafka.open(record)) {
        log.warn("failed {}", record.key());
      }
    }
    if (MDC.get("correlation_id") != null || Baton.current().isPresent()) {
      leaks.incrementAndGet();
    }
  }
}
