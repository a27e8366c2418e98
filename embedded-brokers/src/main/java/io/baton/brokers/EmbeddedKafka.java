package io.baton.brokers;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real single-node KRaft broker per JVM, started on first use from Kafka's test kit. Modules
 * that use it add {@code org.apache.kafka:kafka-test-common-runtime} to their dependencies (it is
 * optional here, so that other modules do not carry Kafka).
 *
 * <p>With {@code BATON_KAFKA=testcontainers} in the environment (or {@code
 * -Dbaton.kafka=testcontainers}) the broker is a Testcontainers Kafka instead, where Docker is
 * ({@code org.testcontainers:testcontainers-kafka} on the class path; image {@code
 * BATON_KAFKA_IMAGE}, default {@value TestcontainersKafka#DEFAULT_IMAGE}).
 */
public final class EmbeddedKafka {

  private static KafkaClusterTestKit cluster;

  private EmbeddedKafka() {}

  /** Whether the broker is to be a Testcontainers Kafka ({@code BATON_KAFKA=testcontainers}). */
  public static boolean testcontainersChosen() {
    String chosen = System.getProperty("baton.kafka", System.getenv("BATON_KAFKA"));
    return "testcontainers".equalsIgnoreCase(chosen);
  }

  /** The broker's bootstrap servers, starting it on first use. */
  public static synchronized String bootstrapServers() {
    if (testcontainersChosen()) {
      return TestcontainersKafka.bootstrapServers();
    }
    if (cluster == null) {
      KafkaHalts.intercept(); // the broker is closed at exit, racing the test kit's cleanup
      try {
        cluster =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Share groups (on by default in 4.x) keep their state in a topic of their own;
                // short lock and delivery-limit bounds let tests see redeliveries quickly.
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.num.partitions", "1")
                .setConfigProp("group.share.min.record.lock.duration.ms", "1000")
                .build();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // format() prints to stdout
        try {
          cluster.format();
        } finally {
          System.setOut(stdout);
        }
        cluster.startup();
        cluster.waitForReadyBrokers();
      } catch (Exception e) {
        throw new IllegalStateException("could not start the embedded Kafka broker", e);
      }
      KafkaClusterTestKit started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (Exception e) {
          // the JVM is going away
        }
      }));
    }
    return cluster.bootstrapServers();
  }

  /** Creates topics with a fresh suffix, so tests never share data; returns their names. */
  public static List<String> topics(String... names) throws ExecutionException, InterruptedException {
    String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(name + suffix);
    }
    createTopics(topics.toArray(new String[0]));
    return topics;
  }

  /** Creates topics with exactly these names; ones that exist already are left as they are. */
  public static void createTopics(String... names) throws ExecutionException, InterruptedException {
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : names) {
      newTopics.add(new NewTopic(name, 1, (short) 1));
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      for (var created : admin.createTopics(newTopics).values().values()) {
        try {
          created.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  public static Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return config;
  }

  public static Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return config;
  }

  /**
   * A fresh share group (Kafka's queues, KIP-932) that starts at the topics' earliest records, with
   * {@code groupConfigs} (e.g. {@code share.delivery.count.limit}) as group configs; returns its
   * name.
   */
  public static String shareGroup(Map<String, String> groupConfigs) throws ExecutionException, InterruptedException {
    String group = "share-" + UUID.randomUUID();
    Map<String, String> configs = new HashMap<>(groupConfigs);
    configs.putIfAbsent("share.auto.offset.reset", "earliest"); // a group config: latest by default
    List<AlterConfigOp> ops = new ArrayList<>();
    configs.forEach((name, value) -> ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all().get();
    }
    return group;
  }

  /** Configuration of a {@code KafkaShareConsumer} in {@code group}, with string keys and values. */
  public static Map<String, Object> shareConsumerConfig(String group) {
    Map<String, Object> config = consumerConfig();
    config.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG); // share consumers take none: a group config
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return config;
  }

  public static KafkaProducer<String, String> rawProducer() {
    return new KafkaProducer<>(producerConfig());
  }

  public static KafkaConsumer<String, String> rawConsumer(String... topics) {
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig());
    consumer.subscribe(List.of(topics));
    return consumer;
  }

  /** Polls, handing each batch to {@code handler}, until {@code count} records came (30 s at most). */
  public static List<ConsumerRecord<String, String>> pollUntil(
      Consumer<String, String> consumer,
      java.util.function.Consumer<ConsumerRecords<String, String>> handler,
      int count) {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (received.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; received " + received.size() + " of " + count);
      }
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
      records.forEach(received::add);
      handler.accept(records);
    }
    return received;
  }
}
