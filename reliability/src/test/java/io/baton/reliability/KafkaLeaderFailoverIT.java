package io.baton.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.KafkaHalts;
import io.baton.kafka.KafkaCorrelation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A 3-broker KRaft cluster loses the partition leader mid-stream: no record, no ID is lost. */
class KafkaLeaderFailoverIT {

  private static final int RECORDS = 3_000;

  @Test
  void every_record_sent_arrives_with_its_original_id_after_the_leader_dies() throws Exception {
    // A broker shutting down, the leader below or all three at the end, can find its log
    // directory failed and halt the JVM: the test must outlive the cluster it kills.
    KafkaHalts.intercept();
    try (KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setNumBrokerNodes(3).setNumControllerNodes(1).build())
            .setConfigProp("broker.session.timeout.ms", "3000")
            .setConfigProp("broker.heartbeat.interval.ms", "500")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      String bootstrap = cluster.bootstrapServers();
      String topic = "payments";
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
      }
      KafkaCorrelation kafka = KafkaCorrelation.create();
      Map<String, String> sentIds = new ConcurrentHashMap<>();
      Map<String, String> receivedIds = new ConcurrentHashMap<>();

      Properties producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
      producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
      producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      Properties consumerProps = new Properties();
      consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "payments-worker");
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

      try (Producer<String, String> producer = kafka.producer(new KafkaProducer<>(producerProps));
          Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(consumerProps))) {
        consumer.subscribe(List.of(topic));
        Future<RecordMetadata> last = null;
        int oldLeader = -1;
        for (int i = 0; i < RECORDS; i++) {
          if (i == RECORDS / 3) {
            last.get(); // the first third is in; now kill the leader
            int leader;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
              leader = admin.describeTopics(List.of(topic)).allTopicNames().get()
                  .get(topic).partitions().get(0).leader().id();
            }
            cluster.brokers().get(leader).shutdown();
            oldLeader = leader;
          }
          try (CorrelationScope scope = Baton.openNew()) {
            String key = "payment-" + i;
            sentIds.put(key, Baton.current().orElseThrow().id());
            last = producer.send(new ProducerRecord<>(topic, key, "pay"));
          }
        }
        producer.flush();
        last.get();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
          int newLeader = admin.describeTopics(List.of(topic)).allTopicNames().get()
              .get(topic).partitions().get(0).leader().id();
          assertThat(newLeader).as("a new leader took over mid-stream").isNotEqualTo(oldLeader);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (receivedIds.size() < RECORDS && System.nanoTime() < deadline) {
          kafka.forEach(consumer, consumer.poll(Duration.ofMillis(200)),
              record -> receivedIds.merge(record.key(), String.valueOf(MDC.get("correlation_id")),
                  (a, b) -> a.equals(b) ? a : "conflict " + a + " " + b));
          consumer.commitSync();
        }
      }

      assertThat(receivedIds).hasSize(RECORDS);
      assertThat(receivedIds).isEqualTo(sentIds);
    }
  }
}
