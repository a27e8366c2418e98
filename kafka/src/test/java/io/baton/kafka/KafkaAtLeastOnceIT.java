package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.MessageHandler;
import io.baton.brokers.EmbeddedKafka;
import io.baton.brokers.KafkaHalts;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17, fault injection on the real broker: whatever fails, every record sent ends up handled
 * or on the DLT as the policy says, committed offsets never pass an unhandled record, and every
 * line of every attempt carries the record's ID.
 */
class KafkaAtLeastOnceIT {

  private static final Logger log = LoggerFactory.getLogger("order-worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  /** What the test sent, and what became of it. */
  private static final class Ledger {
    final String topic;
    final Map<String, String> idByKey = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    final Map<TopicPartition, Set<Long>> done = new ConcurrentHashMap<>();
    final List<ConsumerRecord<String, String>> deadLetters = new ArrayList<>();
    int loopFailures;

    Ledger(String topic) {
      this.topic = topic;
    }

    void handled(ConsumerRecord<String, String> record) {
      handled.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** Wraps {@code handler}: a record it returned for is done (handled or acknowledged on the DLT). */
    MessageHandler<ConsumerRecord<String, String>> tracking(MessageHandler<ConsumerRecord<String, String>> handler) {
      return record -> {
        handler.handle(record);
        done.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> ConcurrentHashMap.newKeySet())
            .add(record.offset());
      };
    }

    /** The committed offset of each assigned partition never passes a record that is not done. */
    void checkCommitted(Consumer<String, String> consumer) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
        if (entry.getValue() == null) {
          continue;
        }
        Set<Long> doneHere = done.getOrDefault(entry.getKey(), Set.of());
        for (long offset = 0; offset < entry.getValue().offset(); offset++) {
          assertThat(doneHere).as("committed %s past unhandled offset %d", entry, offset).contains(offset);
        }
      }
    }
  }

  private Ledger send(String topic, int count, Producer<String, String> producer, String bigKey) throws Exception {
    Ledger ledger = new Ledger(topic);
    for (int i = 0; i < count; i++) {
      String key = "r" + i;
      try (CorrelationScope scope = Baton.openNew()) {
        ledger.idByKey.put(key, Baton.current().orElseThrow().id());
        String value = key.equals(bigKey) ? "x".repeat(4_000) : "pay " + i;
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
      }
    }
    return ledger;
  }

  private static Consumer<String, String> worker(KafkaCorrelation kafka, String group, String... topics) {
    return worker(EmbeddedKafka.bootstrapServers(), kafka, group, topics);
  }

  private static Consumer<String, String> worker(String bootstrap, KafkaCorrelation kafka, String group, String... topics) {
    Map<String, Object> config = EmbeddedKafka.consumerConfig();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
    consumer.subscribe(List.of(topics));
    return kafka.consumer(consumer);
  }

  /**
   * The README's loop, shaped as workers are: log and go on, and commit after every batch, even a
   * failed one. Returns when {@code finished}, on shutdown, or after 60 s.
   */
  private void loop(Consumer<String, String> consumer, MessageHandler<ConsumerRecord<String, String>> handler,
      Ledger ledger, Consumer<String, String> dlt, BooleanSupplier finished) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!finished.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)), handler);
      } catch (InterruptedException | InterruptException | WakeupException e) {
        Thread.interrupted();
        consumer.commitSync();
        ledger.checkCommitted(consumer);
        return;
      } catch (Exception e) {
        ledger.loopFailures++;
        try (CorrelationScope scope = Baton.openFailed(e)) {
          log.warn("batch failed, going on: {}", e.toString());
        }
      }
      consumer.commitSync();
      ledger.checkCommitted(consumer);
      if (dlt != null) {
        dlt.poll(Duration.ofMillis(10)).forEach(ledger.deadLetters::add);
      }
    }
  }

  private static KafkaConsumer<String, String> reader(String... topics) {
    return EmbeddedKafka.rawConsumer(topics);
  }

  private static KafkaConsumer<String, String> readerOn(String bootstrap, String... topics) {
    Map<String, Object> config = EmbeddedKafka.consumerConfig();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
    consumer.subscribe(List.of(topics));
    return consumer;
  }

  /** A second broker, with topic auto-creation off, for the test that needs a missing topic. */
  private static KafkaClusterTestKit strictCluster;

  private static synchronized String strictBootstrap() throws Exception {
    if (strictCluster == null) {
      KafkaHalts.intercept();
      strictCluster = new KafkaClusterTestKit.Builder(
              new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
          .setConfigProp("auto.create.topics.enable", "false")
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .build();
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      try {
        strictCluster.format();
      } finally {
        System.setOut(stdout);
      }
      strictCluster.startup();
      strictCluster.waitForReadyBrokers();
    }
    return strictCluster.bootstrapServers();
  }

  /**
   * A third broker that the test can make unreachable for a while: it advertises the port of a
   * {@link TcpForwarder} (clients connect to the advertised address, not the bootstrap one), so
   * stopping the forwarder cuts every client off it and starting it again brings them back.
   */
  private static KafkaClusterTestKit outageCluster;
  private static TcpForwarder outageForwarder;

  private static synchronized TcpForwarder outageBroker() throws Exception {
    if (outageCluster == null) {
      KafkaHalts.intercept();
      TcpForwarder forwarder = new TcpForwarder();
      TestKitNodes nodes =
          new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
      KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
          .setConfigProp("advertised.listeners",
              nodes.brokerListenerName().value() + "://127.0.0.1:" + forwarder.port())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .build();
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      try {
        cluster.format();
      } finally {
        System.setOut(stdout);
      }
      cluster.startup();
      String bound = cluster.bootstrapServers().split(",")[0];
      int colon = bound.lastIndexOf(':');
      forwarder.forwardTo(bound.substring(0, colon), Integer.parseInt(bound.substring(colon + 1)));
      cluster.waitForReadyBrokers();
      outageCluster = cluster;
      outageForwarder = forwarder;
    }
    return outageForwarder;
  }

  @AfterAll
  static void stopStrictCluster() throws Exception {
    if (strictCluster != null) {
      strictCluster.close();
      strictCluster = null;
    }
    if (outageCluster != null) {
      outageForwarder.start(); // let the broker's own clients close cleanly
      outageCluster.close();
      outageCluster = null;
      outageForwarder.close();
      outageForwarder = null;
    }
  }

  /** Every handler line and every Baton line about a record carries that record's ID. */
  private void assertEveryLineCarriesItsRecordsId(Ledger ledger) {
    List<CapturedLine> handlerLines = logs.fromLogger("order-worker").stream()
        .filter(line -> line.message().startsWith("handling ")).toList();
    assertThat(handlerLines).isNotEmpty();
    for (CapturedLine line : handlerLines) {
      String key = line.message().substring("handling ".length());
      assertThat(line.correlationId()).as(line.toString()).isEqualTo(ledger.idByKey.get(key));
    }
    List<CapturedLine> batonLines = logs.lines(line -> line.logger().startsWith("io.baton.kafka"));
    for (CapturedLine line : batonLines) {
      assertThat(ledger.idByKey.values()).as(line.toString()).contains(line.correlationId());
    }
    for (CapturedLine line : logs.withMessage("batch failed, going on")) {
      assertThat(ledger.idByKey.values()).as(line.toString()).contains(line.correlationId());
    }
  }

  private static void assertDeadLettered(Ledger ledger, String... keys) {
    assertThat(ledger.deadLetters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(keys);
    for (ConsumerRecord<String, String> dead : ledger.deadLetters) {
      assertThat(new String(dead.headers().lastHeader("correlation_id").value(), UTF_8))
          .isEqualTo(ledger.idByKey.get(dead.key()));
    }
  }

  @Test
  void a_poison_record_mid_batch_with_a_loop_that_goes_on_skips_nothing() throws Exception {
    String topic = EmbeddedKafka.topics("poison").get(0);
    EmbeddedKafka.createTopics(topic + ".DLT");
    Ledger ledger;
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      ledger = send(topic, 20, producer, null);
      AtomicInteger flakyDeliveries = new AtomicInteger();
      // r5 fails its first two deliveries with a plain handler (the loop sees the exception);
      // r12 always fails and goes to the DLT through the retrying handler.
      MessageHandler<ConsumerRecord<String, String>> user = record -> {
        log.info("handling {}", record.key());
        if (record.key().equals("r5") && flakyDeliveries.incrementAndGet() <= 2) {
          throw new IllegalStateException("flaky");
        }
        if (record.key().equals("r12")) {
          throw new IllegalStateException("poison");
        }
        ledger.handled(record);
      };
      MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(record -> {
        if (record.key().equals("r5")) {
          user.handle(record); // no retry: the exception reaches the loop
        } else {
          kafka.retrying(user, producer, KafkaRetryPolicy.newBuilder().attempts(2).build()).handle(record);
        }
      });
      try (Consumer<String, String> consumer = worker(kafka, "poison-" + topic, topic);
          KafkaConsumer<String, String> dlt = reader(topic + ".DLT")) {
        loop(consumer, handler, ledger, dlt, () -> ledger.handled.size() == 19 && ledger.deadLetters.size() == 1);
      }
    }

    assertThat(ledger.loopFailures).isEqualTo(2);
    assertThat(ledger.handled).hasSize(19).allSatisfy((key, times) -> assertThat(times).as(key).hasValue(1));
    assertDeadLettered(ledger, "r12");
    assertThat(logs.withMessage("handling r5")).hasSize(3);
    assertThat(logs.lines(line -> line.message().startsWith("Record handler failed on " + topic + "-0@5")))
        .hasSize(2).extracting(CapturedLine::correlationId).containsOnly(ledger.idByKey.get("r5"));
    assertEveryLineCarriesItsRecordsId(ledger);
  }

  @Test
  void a_record_too_large_for_the_dlt_is_not_committed_and_lands_there_once_the_dlt_takes_it()
      throws Exception {
    String topic = EmbeddedKafka.topics("big").get(0);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic + ".DLT", 1, (short) 1)
          .configs(Map.of("max.message.bytes", "1000")))).all().get(30, TimeUnit.SECONDS);
      Ledger ledger;
      try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
        ledger = send(topic, 8, producer, "r3");
        MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(kafka.retrying(record -> {
          log.info("handling {}", record.key());
          if (record.key().equals("r3")) {
            throw new IllegalStateException("poison");
          }
          ledger.handled(record);
        }, producer, KafkaRetryPolicy.newBuilder().attempts(1).build()));
        try (Consumer<String, String> consumer = worker(kafka, "big-" + topic, topic);
            KafkaConsumer<String, String> dlt = reader(topic + ".DLT")) {
          loop(consumer, handler, ledger, dlt, () -> ledger.loopFailures >= 3);
          assertThat(ledger.handled.keySet()).containsExactlyInAnyOrder("r0", "r1", "r2");
          // the operator fixes the DLT; the same loop goes on
          admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic + ".DLT"),
              List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
              .all().get(30, TimeUnit.SECONDS);
          loop(consumer, handler, ledger, dlt, () -> ledger.handled.size() == 7 && ledger.deadLetters.size() == 1);
        }
      }

      assertThat(ledger.handled).hasSize(7).allSatisfy((key, times) -> assertThat(times).as(key).hasValue(1));
      assertDeadLettered(ledger, "r3");
      List<CapturedLine> republishFailures = logs.lines(line -> line.message().startsWith("Could not republish " + topic + "-0@3"));
      assertThat(republishFailures.size()).isGreaterThanOrEqualTo(3);
      assertThat(republishFailures).extracting(CapturedLine::correlationId).containsOnly(ledger.idByKey.get("r3"));
      assertThat(republishFailures.get(0).throwable()).hasRootCauseInstanceOf(
          org.apache.kafka.common.errors.RecordTooLargeException.class);
      assertEveryLineCarriesItsRecordsId(ledger);
    }
  }

  @Test
  void a_missing_dlt_with_auto_creation_off_keeps_the_record_uncommitted_until_the_topic_exists()
      throws Exception {
    String bootstrap = strictBootstrap();
    String topic = "strict-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      Map<String, Object> producerConfig = EmbeddedKafka.producerConfig();
      producerConfig.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      producerConfig.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
      Ledger ledger;
      try (Producer<String, String> producer = kafka.producer(new KafkaProducer<String, String>(producerConfig))) {
        ledger = send(topic, 6, producer, null);
        MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(kafka.retrying(record -> {
          log.info("handling {}", record.key());
          if (record.key().equals("r2")) {
            throw new IllegalStateException("poison");
          }
          ledger.handled(record);
        }, producer, KafkaRetryPolicy.newBuilder().attempts(1).sendTimeout(Duration.ofSeconds(5)).build()));
        try (Consumer<String, String> consumer = worker(bootstrap, kafka, "strict-" + topic, topic)) {
          loop(consumer, handler, ledger, null, () -> ledger.loopFailures >= 2);
          assertThat(ledger.handled.keySet()).containsExactlyInAnyOrder("r0", "r1");
          assertThat(consumer.committed(Set.of(new TopicPartition(topic, 0))).get(new TopicPartition(topic, 0)).offset())
              .isEqualTo(2);
          admin.createTopics(List.of(new NewTopic(topic + ".DLT", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
          try (KafkaConsumer<String, String> dlt = readerOn(bootstrap, topic + ".DLT")) {
            loop(consumer, handler, ledger, dlt, () -> ledger.handled.size() == 5 && ledger.deadLetters.size() == 1);
          }
        }
      }

      assertThat(ledger.handled).hasSize(5).allSatisfy((key, times) -> assertThat(times).as(key).hasValue(1));
      assertDeadLettered(ledger, "r2");
      List<CapturedLine> republishFailures = logs.lines(line -> line.message().startsWith("Could not republish " + topic + "-0@2"));
      assertThat(republishFailures.size()).isGreaterThanOrEqualTo(2);
      assertThat(republishFailures).extracting(CapturedLine::correlationId).containsOnly(ledger.idByKey.get("r2"));
      assertEveryLineCarriesItsRecordsId(ledger);
    }
  }

  @Test
  void a_retry_hop_waits_its_delay_on_a_paused_partition_while_the_main_topic_goes_on() throws Exception {
    String topic = EmbeddedKafka.topics("delayed").get(0);
    EmbeddedKafka.createTopics(topic + ".retry", topic + ".DLT");
    TopicPartition retryPartition = new TopicPartition(topic + ".retry", 0);
    Ledger ledger = new Ledger(topic);
    Map<String, Long> handledAt = new ConcurrentHashMap<>();
    AtomicInteger slowDeliveries = new AtomicInteger();
    long[] failedAt = new long[1];
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(record -> {
        log.info("handling {}", record.key());
        if (record.key().equals("slow") && slowDeliveries.incrementAndGet() == 1) {
          failedAt[0] = System.nanoTime();
          throw new IllegalStateException("provider timeout");
        }
        handledAt.put(record.key(), System.nanoTime());
      }, producer, KafkaRetryPolicy.newBuilder().attempts(1).retryHops(1).retryDelay(Duration.ofSeconds(3)).build());
      try (CorrelationScope scope = Baton.openNew()) {
        ledger.idByKey.put("slow", Baton.current().orElseThrow().id());
        producer.send(new ProducerRecord<>(topic, "slow", "x")).get(30, TimeUnit.SECONDS);
      }
      boolean sentMore = false;
      try (Consumer<String, String> consumer = worker(kafka, "delayed-" + topic, topic, topic + ".retry")) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!handledAt.containsKey("slow") && System.nanoTime() < deadline) {
          kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)), handler);
          consumer.commitSync();
          if (!handledAt.containsKey("slow")) {
            OffsetAndMetadata committed = consumer.committed(Set.of(retryPartition)).get(retryPartition);
            assertThat(committed == null ? 0 : committed.offset()).as("retry topic committed").isZero();
          }
          if (!sentMore && !logs.withMessage("Sent " + topic + "-0@0 to " + topic + ".retry").isEmpty()) {
            sentMore = true;
            for (int i = 0; i < 5; i++) {
              try (CorrelationScope scope = Baton.openNew()) {
                ledger.idByKey.put("r" + i, Baton.current().orElseThrow().id());
                producer.send(new ProducerRecord<>(topic, "r" + i, "pay")).get(30, TimeUnit.SECONDS);
              }
            }
          }
        }
      }
    }

    assertThat(handledAt).containsOnlyKeys("slow", "r0", "r1", "r2", "r3", "r4");
    long waited = handledAt.get("slow") - failedAt[0];
    assertThat(waited).as("retry hop handled after its delay").isGreaterThanOrEqualTo(Duration.ofMillis(2_900).toNanos());
    for (int i = 0; i < 5; i++) {
      assertThat(handledAt.get("r" + i)).as("r%d handled while the hop waited", i).isLessThan(handledAt.get("slow"));
    }
    assertThat(logs.withMessage("handling slow")).hasSize(2)
        .extracting(CapturedLine::correlationId).containsOnly(ledger.idByKey.get("slow"));
    assertThat(logs.withMessage("handling slow")).extracting(line -> line.mdc().get("retry_attempt"))
        .containsExactly("1", "2");
    assertEveryLineCarriesItsRecordsId(ledger);
  }

  @Test
  void a_consumer_that_commits_by_itself_is_warned_about_once_and_one_committing_after_for_each_is_not()
      throws Exception {
    String topic = EmbeddedKafka.topics("autocommit").get(0);
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      send(topic, 3, producer, null);
    }
    Map<String, Object> config = EmbeddedKafka.consumerConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
    config.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "100");
    KafkaConsumer<String, String> raw = new KafkaConsumer<>(config);
    raw.subscribe(List.of(topic));
    String warning = "This consumer commits offsets by itself";
    try (Consumer<String, String> auto = kafka.consumer(raw);
        Consumer<String, String> manual = worker(kafka, "manual-" + topic, topic)) {
      long started = System.nanoTime();
      while (System.nanoTime() - started < Duration.ofSeconds(8).toNanos()
          || logs.withMessage(warning).isEmpty() && System.nanoTime() - started < Duration.ofSeconds(30).toNanos()) {
        kafka.forEach(auto, auto.poll(Duration.ofMillis(100)), record -> log.info("auto {}", record.key()));
        kafka.forEach(manual, manual.poll(Duration.ofMillis(100)), record -> log.info("manual {}", record.key()));
        manual.commitSync();
      }
    }
    assertThat(logs.withMessage(warning)).singleElement()
        .satisfies(line -> assertThat(line.level()).isEqualTo("WARN"));
  }

  @Test
  void an_interrupt_during_an_attempt_dead_letters_nothing_and_the_record_is_handled_after_restart()
      throws Exception {
    String topic = EmbeddedKafka.topics("shutdown").get(0);
    EmbeddedKafka.createTopics(topic + ".DLT");
    String group = "shutdown-" + topic;
    Ledger ledger;
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer())) {
      ledger = send(topic, 6, producer, null);
      CountDownLatch inAttempt = new CountDownLatch(1);
      AtomicInteger deliveries = new AtomicInteger();
      MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(kafka.retrying(record -> {
        log.info("handling {}", record.key());
        if (record.key().equals("r2") && deliveries.incrementAndGet() == 1) {
          inAttempt.countDown();
          Thread.sleep(30_000); // a slow call, interrupted by shutdownNow()
        }
        ledger.handled(record);
      }, producer, KafkaRetryPolicy.newBuilder().attempts(3).build()));

      Thread worker = new Thread(() -> {
        try (Consumer<String, String> consumer = worker(kafka, group, topic)) {
          loop(consumer, handler, ledger, null, () -> false);
        }
      }, "worker-1");
      worker.start();
      assertThat(inAttempt.await(30, TimeUnit.SECONDS)).isTrue();
      worker.interrupt();
      worker.join(30_000);
      assertThat(worker.isAlive()).isFalse();
      assertThat(ledger.handled.keySet()).containsExactlyInAnyOrder("r0", "r1");

      // restart: the same group takes up at the interrupted record
      try (Consumer<String, String> consumer = worker(kafka, group, topic);
          KafkaConsumer<String, String> dlt = reader(topic + ".DLT")) {
        loop(consumer, handler, ledger, dlt, () -> ledger.handled.size() == 6);
        dlt.poll(Duration.ofSeconds(1)).forEach(ledger.deadLetters::add);
      }
    }

    assertThat(ledger.handled).hasSize(6).allSatisfy((key, times) -> assertThat(times).as(key).hasValue(1));
    assertThat(ledger.deadLetters).isEmpty();
    assertThat(logs.lines(line -> line.level().equals("ERROR") && line.logger().startsWith("io.baton"))).isEmpty(); // shutdown is not failure
    assertThat(logs.withMessage("Stopped retrying " + topic + "-0@2")).singleElement()
        .satisfies(line -> {
          assertThat(line.correlationId()).isEqualTo(ledger.idByKey.get("r2"));
          assertThat(line.mdc()).containsEntry("retry_attempt", "1");
        });
    assertEveryLineCarriesItsRecordsId(ledger);
  }

  @Test
  void forged_and_stripped_retry_headers_route_by_the_policy_only() throws Exception {
    String topic = EmbeddedKafka.topics("routing").get(0);
    String otherTeam = EmbeddedKafka.topics("payments").get(0);
    EmbeddedKafka.createTopics(topic + ".retry", topic + ".DLT", otherTeam + ".DLT", otherTeam + ".retry");
    Ledger ledger = new Ledger(topic);
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        KafkaProducer<String, String> raw = EmbeddedKafka.rawProducer()) {
      // forged on the main topic: claims to come from another team's topic, after many hops
      RecordHeaders forgedMain = new RecordHeaders();
      forgedMain.add(KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER, (otherTeam + "\r\nINFO forged").getBytes(UTF_8));
      forgedMain.add(KafkaRetryPolicy.RETRY_HOPS_HEADER, "99".getBytes(UTF_8));
      // forged on the retry topic
      RecordHeaders forgedRetry = new RecordHeaders();
      forgedRetry.add(KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER, otherTeam.getBytes(UTF_8));
      forgedRetry.add(KafkaRetryPolicy.RETRY_HOPS_HEADER, "1".getBytes(UTF_8));
      try (CorrelationScope scope = Baton.openNew()) {
        ledger.idByKey.put("forged-main", Baton.current().orElseThrow().id());
        producer.send(new ProducerRecord<>(topic, null, "forged-main", "x", forgedMain)).get(30, TimeUnit.SECONDS);
      }
      try (CorrelationScope scope = Baton.openNew()) {
        ledger.idByKey.put("forged-retry", Baton.current().orElseThrow().id());
        producer.send(new ProducerRecord<>(topic + ".retry", null, "forged-retry", "x", forgedRetry)).get(30, TimeUnit.SECONDS);
      }
      try (CorrelationScope scope = Baton.openNew()) {
        // stripped: on the retry topic with no baton_* header at all
        ledger.idByKey.put("stripped", Baton.current().orElseThrow().id());
        producer.send(new ProducerRecord<>(topic + ".retry", "stripped", "x")).get(30, TimeUnit.SECONDS);
      }

      MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(kafka.retrying(record -> {
        log.info("handling {}", record.key());
        throw new IllegalStateException("declined");
      }, producer, KafkaRetryPolicy.newBuilder().attempts(1).retryHops(1).build()));
      try (Consumer<String, String> consumer = worker(kafka, "routing-" + topic, topic, topic + ".retry");
          KafkaConsumer<String, String> dlt = reader(topic + ".DLT")) {
        loop(consumer, handler, ledger, dlt, () -> ledger.deadLetters.size() == 3);
      }
    }

    // forged-main: main topic, so one hop to <topic>.retry, then the DLT; the others: straight to the DLT
    assertDeadLettered(ledger, "forged-main", "forged-retry", "stripped");
    for (ConsumerRecord<String, String> dead : ledger.deadLetters) {
      assertThat(new String(dead.headers().lastHeader(KafkaRetryPolicy.ORIGINAL_TOPIC_HEADER).value(), UTF_8))
          .isEqualTo(topic);
    }
    try (KafkaConsumer<String, String> others = reader(otherTeam + ".DLT", otherTeam + ".retry")) {
      assertThat(others.poll(Duration.ofSeconds(2))).isEmpty();
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers()))) {
      Collection<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      assertThat(names).doesNotContain(topic + ".retry.retry", topic + ".retry.DLT");
    }
    assertThat(logs.withMessage("handling forged-main")).hasSize(2);
    assertThat(logs.lines(line -> line.logger().startsWith("io.baton") || line.logger().equals("order-worker")))
        .allSatisfy(line -> assertThat(line.message()).doesNotContain("\r", "\n", "INFO forged", otherTeam));
    assertEveryLineCarriesItsRecordsId(ledger);
  }

  /**
   * The broker the DLT lives on is unreachable for a while (connections cut and refused). With the
   * client's default {@code rebootstrap} the producer may forget the topic's metadata, and then
   * {@code send} itself fails after {@code max.block.ms} (or the delivery times out, as next); with
   * {@code none} it keeps the metadata, the record is accepted and its delivery times out, so the
   * acknowledgement is what fails.
   */
  @ParameterizedTest(name = "metadata.recovery.strategy={0}")
  @ValueSource(strings = {"rebootstrap", "none"})
  void a_dlt_broker_that_is_down_for_a_while_loses_nothing_and_commits_nothing_past_it(String recovery)
      throws Exception {
    TcpForwarder dltBroker = outageBroker();
    String dltBootstrap = "127.0.0.1:" + dltBroker.port();
    String topic = EmbeddedKafka.topics("outage").get(0); // on the shared broker, which stays up
    String dltTopic = topic + ".DLT";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, dltBootstrap))) {
      admin.createTopics(List.of(new NewTopic(dltTopic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    Set<String> poison = Set.of("r3", "r11", "r17");
    // the republishing producer gives up quickly while its broker is unreachable
    Map<String, Object> republisherConfig = EmbeddedKafka.producerConfig();
    republisherConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, dltBootstrap);
    republisherConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    republisherConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
    republisherConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1500");
    republisherConfig.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    republisherConfig.put(org.apache.kafka.clients.CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, recovery);
    Ledger ledger;
    int failuresWhileDown;
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        Producer<String, String> republisher = kafka.producer(new KafkaProducer<String, String>(republisherConfig))) {
      ledger = send(topic, 20, producer, null);
      MessageHandler<ConsumerRecord<String, String>> handler = ledger.tracking(kafka.retrying(record -> {
        log.info("handling {}", record.key());
        if (poison.contains(record.key())) {
          throw new IllegalStateException("poison");
        }
        ledger.handled(record);
      }, republisher, KafkaRetryPolicy.newBuilder().attempts(1).sendTimeout(Duration.ofSeconds(3)).build()));
      // connected and with the DLT's metadata, as a worker that has run for a while
      assertThat(republisher.partitionsFor(dltTopic)).hasSize(1);
      try (Consumer<String, String> consumer = worker(kafka, "outage-" + topic, topic)) {
        TopicPartition partition = new TopicPartition(topic, 0);
        dltBroker.stop();
        try {
          loop(consumer, handler, ledger, null, () -> ledger.loopFailures >= 3
              || ledger.done.getOrDefault(partition, Set.of()).size() == 20); // (the latter: a broken build)
        } finally {
          dltBroker.start();
        }
        failuresWhileDown = ledger.loopFailures;
        // r3 could not be dead-lettered: it and the rest of its batch stayed unhandled and uncommitted
        assertThat(ledger.handled.keySet()).containsExactlyInAnyOrder("r0", "r1", "r2");
        assertThat(consumer.committed(Set.of(partition)).get(partition).offset()).isEqualTo(3);
        // the broker is back; the same loop goes on
        loop(consumer, handler, ledger, null,
            () -> ledger.done.getOrDefault(partition, Set.of()).size() == 20);
      }
    }
    try (KafkaConsumer<String, String> dlt = readerOn(dltBootstrap, dltTopic)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ledger.deadLetters.size() < poison.size() && System.nanoTime() < deadline) {
        dlt.poll(Duration.ofMillis(100)).forEach(ledger.deadLetters::add);
      }
      dlt.poll(Duration.ofSeconds(1)).forEach(ledger.deadLetters::add); // a copy too many would show here
    }

    assertThat(failuresWhileDown).isEqualTo(3);
    assertThat(ledger.handled).hasSize(17).allSatisfy((key, times) -> assertThat(times).as(key).hasValue(1));
    // Exactly once: no republish reached the broker while it was down (the forwarder refused every
    // connection), and every failed send had completed before it came back, so none can be doubled.
    assertDeadLettered(ledger, poison.toArray(new String[0]));
    assertThat(logs.withMessage("handling r3")).hasSize(failuresWhileDown + 1)
        .extracting(CapturedLine::correlationId).containsOnly(ledger.idByKey.get("r3"));
    List<CapturedLine> republishFailures = logs.lines(line -> line.message().startsWith("Could not republish "));
    assertThat(republishFailures).hasSize(failuresWhileDown).allSatisfy(line -> {
      assertThat(line.message()).startsWith("Could not republish " + topic + "-0@3 to " + dltTopic);
      assertThat(line.logger()).isEqualTo("io.baton.kafka");
      assertThat(line.level()).isEqualTo("ERROR");
      assertThat(line.correlationId()).isEqualTo(ledger.idByKey.get("r3"));
      assertThat(line.throwable()).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      if (recovery.equals("none")) { // the record was accepted; its acknowledgement never came
        assertThat(line.throwable().getCause().getMessage()).contains("Expiring 1 record(s)");
      }
    });
    // every failure line (Baton's and the loop's) carries the ID of the record it names
    List<CapturedLine> failureLines = logs.lines(line -> line.logger().startsWith("io.baton.kafka")
        && (line.throwable() != null || line.level().equals("ERROR") || line.level().equals("WARN")));
    failureLines = new ArrayList<>(failureLines);
    failureLines.addAll(logs.withMessage("batch failed, going on"));
    assertThat(failureLines).hasSizeGreaterThanOrEqualTo(poison.size() + 2 * failuresWhileDown);
    java.util.regex.Pattern names = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(topic) + "-0@(\\d+)");
    for (CapturedLine line : failureLines) {
      java.util.regex.Matcher named = names.matcher(line.message());
      assertThat(named.find()).as("names its record: %s", line).isTrue();
      assertThat(line.correlationId()).as(line.toString()).isEqualTo(ledger.idByKey.get("r" + named.group(1)));
    }
    assertEveryLineCarriesItsRecordsId(ledger);
  }
}
