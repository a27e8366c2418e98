package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.MessageHandler;
import io.baton.brokers.EmbeddedKafka;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import io.baton.testing.MdcLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Share groups (KIP-932) on a real broker: every delivery of a record in the same trail. */
class KafkaShareGroupIT {

  private static final Logger log = LoggerFactory.getLogger("order-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final List<Worker> workers = new ArrayList<>();
  /** Baton's MDC keys found on a worker thread after a forEach: a leaked scope. */
  private final List<String> leaks = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (Worker worker : workers) {
      worker.stop();
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void two_share_consumers_handle_both_deliveries_of_a_released_record_under_its_id_with_delivery_count_1_then_2()
      throws Exception {
    String topic = EmbeddedKafka.topics("share-orders").get(0);
    String group = EmbeddedKafka.shareGroup(Map.of());
    Map<String, String> sentIds = new LinkedHashMap<>();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      for (int i = 0; i < 4; i++) {
        Correlation order = Correlation.newRoot();
        try (CorrelationScope scope = Baton.open(order)) {
          producer.send(new ProducerRecord<>(topic, "order-" + i, "pay " + i)).get(30, TimeUnit.SECONDS);
        }
        sentIds.put("order-" + i, order.id());
      }
    }
    Map<String, RecordHeaders> hostile = hostileHeaders();
    try (KafkaProducer<String, String> raw = EmbeddedKafka.rawProducer()) {
      for (Map.Entry<String, RecordHeaders> c : hostile.entrySet()) {
        raw.send(new ProducerRecord<>(topic, null, c.getKey(), "body", c.getValue())).get(30, TimeUnit.SECONDS);
      }
    }
    int records = sentIds.size() + hostile.size();
    Map<String, List<String>> headerIdsSeen = new ConcurrentHashMap<>();

    for (int w = 0; w < 2; w++) {
      start(group, topic, "explicit", (consumer, record) -> {
        List<Header> ids = new ArrayList<>();
        record.headers().forEach(h -> {
          if (h.key().equalsIgnoreCase("correlation_id")) {
            ids.add(h);
          }
        });
        assertThat(ids).hasSize(1);
        headerIdsSeen.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
            .add(new String(ids.get(0).value(), UTF_8));
        log.info("handling {}", record.key());
        boolean first = "1".equals(MDC.get("delivery_count"));
        consumer.acknowledge(record, first ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT);
        return null;
      });
    }
    await(() -> logs.lines(line -> line.message().startsWith("handling ")).size() >= 2 * records);

    List<String> keys = new ArrayList<>(sentIds.keySet());
    keys.addAll(hostile.keySet());
    for (String key : keys) {
      List<CapturedLine> deliveries = handled(key);
      assertThat(deliveries).as(key).extracting(line -> line.mdc().get("delivery_count")).containsExactly("1", "2");
      String id = deliveries.get(0).correlationId();
      assertThat(id).as(key).matches(Correlation::isValidId);
      assertThat(deliveries.get(1).correlationId()).as(key).isEqualTo(id);
      assertThat(headerIdsSeen.get(key)).as(key).containsExactly(id, id);
      if (sentIds.containsKey(key)) {
        assertThat(id).as(key).isEqualTo(sentIds.get(key));
      }
    }
    // hostile values: a fresh ID each, never one of them, never logged raw
    assertThat(hostile.keySet()).extracting(key -> handled(key).get(0).correlationId())
        .doesNotHaveDuplicates();
    // warnings about a delivery's headers are in its trail: its ID and its delivery count
    assertThat(logs.fromLogger("io.baton")).isNotEmpty().allSatisfy(warning ->
        assertThat(warning.mdc()).containsKey("delivery_count"));
    assertThat(logs.lines()).allSatisfy(line ->
        assertThat(line.message()).doesNotContain("\r", "\n", " INFO forged"));
  }

  @Test
  void a_rejected_record_is_handled_once_under_its_id_and_one_at_the_delivery_limit_stops_after_its_last_delivery()
      throws Exception {
    String topic = EmbeddedKafka.topics("share-rejects").get(0);
    String group = EmbeddedKafka.shareGroup(Map.of("share.delivery.count.limit", "2"));
    Map<String, String> sentIds = send(topic, "bad-order", "flaky-order", "good-order");

    start(group, topic, "explicit", (consumer, record) -> {
      log.info("handling {}", record.key());
      AcknowledgeType type = switch (record.key()) {
        case "bad-order" -> AcknowledgeType.REJECT;
        case "flaky-order" -> AcknowledgeType.RELEASE; // every time, until the broker gives up
        default -> AcknowledgeType.ACCEPT;
      };
      consumer.acknowledge(record, type);
      return null;
    });
    await(() -> logs.withMessage("handling flaky-order").size() >= 2
        && logs.withMessage("handling bad-order").size() >= 1
        && logs.withMessage("handling good-order").size() >= 1);
    Thread.sleep(2_000); // time for a delivery that must not come

    assertThat(logs.withMessage("handling bad-order")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(sentIds.get("bad-order"));
      assertThat(line.mdc()).containsEntry("delivery_count", "1");
    });
    assertThat(logs.withMessage("handling flaky-order"))
        .extracting(line -> line.mdc().get("delivery_count"), CapturedLine::correlationId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", sentIds.get("flaky-order")),
            org.assertj.core.groups.Tuple.tuple("2", sentIds.get("flaky-order")));
  }

  @Test
  void a_record_whose_lock_timed_out_is_delivered_again_under_its_id_with_the_next_count() throws Exception {
    String topic = EmbeddedKafka.topics("share-locks").get(0);
    String group = EmbeddedKafka.shareGroup(Map.of("share.record.lock.duration.ms", "1000"));
    Map<String, String> sentIds = send(topic, "slow-order");

    start(group, topic, "explicit", (consumer, record) -> {
      log.info("handling {}", record.key());
      if ("1".equals(MDC.get("delivery_count"))) {
        try {
          Thread.sleep(2_500); // longer than the lock: the broker makes the record available again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      consumer.acknowledge(record, AcknowledgeType.ACCEPT); // too late the first time
      return null;
    });
    await(() -> handled("slow-order").size() >= 2);

    assertThat(handled("slow-order"))
        .extracting(line -> line.mdc().get("delivery_count"), CapturedLine::correlationId)
        .startsWith(
            org.assertj.core.groups.Tuple.tuple("1", sentIds.get("slow-order")),
            org.assertj.core.groups.Tuple.tuple("2", sentIds.get("slow-order")));
  }

  @Test
  void a_failed_record_is_logged_under_its_id_and_delivered_again_with_the_next_count() throws Exception {
    String topic = EmbeddedKafka.topics("share-failures").get(0);
    String group = EmbeddedKafka.shareGroup(Map.of());
    Map<String, String> sentIds = send(topic, "declined-order", "next-order");

    start(group, topic, "explicit", (consumer, record) -> {
      if (record.key().equals("declined-order") && "1".equals(MDC.get("delivery_count"))) {
        throw new IllegalStateException("card declined");
      }
      log.info("handled {}", record.key());
      consumer.acknowledge(record, AcknowledgeType.ACCEPT);
      return null;
    });
    await(() -> logs.withMessage("handled declined-order").size() >= 1
        && logs.withMessage("handled next-order").size() >= 1);

    CapturedLine failure = logs.fromLogger("io.baton.kafka").stream()
        .filter(line -> line.message().startsWith("Record handler failed on")).findFirst().orElseThrow();
    assertThat(failure.level()).isEqualTo("ERROR");
    assertThat(failure.correlationId()).isEqualTo(sentIds.get("declined-order"));
    assertThat(failure.mdc()).containsEntry("delivery_count", "1");
    assertThat(failure.throwable()).hasMessage("card declined");
    assertThat(logs.withMessage("handled declined-order")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(sentIds.get("declined-order"));
      assertThat(line.mdc()).containsEntry("delivery_count", "2");
    });
    assertThat(logs.withMessage("handled next-order")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(sentIds.get("next-order")));
  }

  @Test
  void implicit_acknowledgement_keeps_the_ids_and_warns_that_a_failed_record_is_not_released() throws Exception {
    String topic = EmbeddedKafka.topics("share-implicit").get(0);
    String group = EmbeddedKafka.shareGroup(Map.of());
    Map<String, String> sentIds = send(topic, "declined-order", "next-order");

    start(group, topic, "implicit", (consumer, record) -> {
      if (record.key().equals("declined-order")) {
        throw new IllegalStateException("card declined");
      }
      log.info("handled {}", record.key());
      return null;
    });
    await(() -> logs.withMessage("handled next-order").size() >= 1);

    assertThat(logs.withMessage("handled next-order")).singleElement().satisfies(line -> {
      assertThat(line.correlationId()).isEqualTo(sentIds.get("next-order"));
      assertThat(line.mdc()).containsEntry("delivery_count", "1");
    });
    assertThat(logs.fromLogger("io.baton.kafka"))
        .filteredOn(line -> line.message().startsWith("Record handler failed on"))
        .singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(sentIds.get("declined-order")));
    assertThat(logs.fromLogger("io.baton.kafka"))
        .filteredOn(line -> line.message().startsWith("This share consumer acknowledges implicitly"))
        .singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(sentIds.get("declined-order")));
  }

  /** The lines the handler logged about {@code key}, exactly (corpus names share prefixes). */
  private List<CapturedLine> handled(String key) {
    return logs.lines(line -> line.message().equals("handling " + key));
  }

  /** Sends one record per key, each under a correlation of its own; returns each key's ID. */
  private Map<String, String> send(String topic, String... keys) throws Exception {
    Map<String, String> ids = new HashMap<>();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      for (String key : keys) {
        Correlation order = Correlation.newRoot();
        try (CorrelationScope scope = Baton.open(order)) {
          producer.send(new ProducerRecord<>(topic, key, "body of " + key)).get(30, TimeUnit.SECONDS);
        }
        ids.put(key, order.id());
      }
    }
    return ids;
  }

  /** Missing, invalid, conflicting duplicates, non-UTF-8, and every refused corpus value. */
  private static Map<String, RecordHeaders> hostileHeaders() {
    Map<String, RecordHeaders> cases = new LinkedHashMap<>();
    cases.put("missing", new RecordHeaders());
    cases.put("invalid", headers("c3a8\r\n2026-11-21 INFO forged".getBytes(UTF_8)));
    RecordHeaders duplicated = headers("c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61".getBytes(UTF_8));
    duplicated.add("correlation_id", "9f3c2b1f6a7a4c2f".getBytes(UTF_8));
    cases.put("duplicated", duplicated);
    cases.put("non-utf8", headers(new byte[] {(byte) 0xc0, (byte) 0xaf, 0x61, 0x62}));
    for (CorrelationCorpus.Entry entry : CorrelationCorpus.entries()) {
      if (!entry.valid() && entry.bytes().length < 100_000) { // a record is at most 1 MB
        cases.put("corpus-" + entry.name(), headers(entry.bytes()));
      }
    }
    return cases;
  }

  private static RecordHeaders headers(byte[] id) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("correlation_id", id);
    return headers;
  }

  private void start(String group, String topic, String acknowledgementMode,
      BiFunction<ShareConsumer<String, String>, ConsumerRecord<String, String>, Void> handler) {
    Worker worker = new Worker(group, topic, acknowledgementMode, handler);
    workers.add(worker);
    worker.thread.start();
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** One share consumer's loop on its own thread. */
  private final class Worker {
    final Thread thread;
    volatile boolean running = true;

    Worker(String group, String topic, String acknowledgementMode,
        BiFunction<ShareConsumer<String, String>, ConsumerRecord<String, String>, Void> handler) {
      Map<String, Object> config = EmbeddedKafka.shareConsumerConfig(group);
      config.put("share.acknowledgement.mode", acknowledgementMode);
      thread = new Thread(() -> {
        try (ShareConsumer<String, String> consumer = kafka.shareConsumer(new KafkaShareConsumer<>(config))) {
          consumer.subscribe(List.of(topic));
          MessageHandler<ConsumerRecord<String, String>> handle = record -> handler.apply(consumer, record);
          while (running) {
            try {
              kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)), handle);
            } catch (Exception e) {
              // logged by Baton under the record's ID; released for another delivery
            }
            for (String key : MdcLeakCheck.KEYS) {
              if (MDC.get(key) != null) {
                leaks.add(key);
              }
            }
          }
        }
      }, "share-worker-" + workers.size());
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(Duration.ofSeconds(30).toMillis());
    }
  }
}
