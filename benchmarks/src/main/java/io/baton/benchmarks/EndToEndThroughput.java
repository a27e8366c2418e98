package io.baton.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.brokers.EmbeddedKafka;
import io.baton.brokers.Tcp;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Messages per second through real brokers, raw client against Baton-wrapped client, runs
 * interleaved A B A B so that drift on a shared machine hits both alike. Each run sends N small
 * messages from one thread and receives them on another; the Baton run wraps both ends and
 * handles every message inside its scope.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.baton.benchmarks.EndToEndThroughput [messages] [rounds] [payload bytes]
 * </pre>
 */
public final class EndToEndThroughput {

  /** The message body: a small JSON document, padded to the size asked for. */
  private static byte[] payload = payload(0);

  private EndToEndThroughput() {}

  /** What a run sends and how it handles what arrives. */
  enum Variant {
    /** The plain client: the floor. */
    RAW,
    /** The plain client sending the same header bytes Baton adds, handled without a scope. */
    RAW_WITH_HEADERS,
    /** Baton-wrapped on both ends; every message handled inside its scope. */
    BATON
  }

  /** One broker's runs. */
  interface Run {
    /** Sends and receives {@code messages}; returns elapsed nanoseconds. */
    long run(Variant variant, int messages) throws Exception;
  }

  /** Header values of the size Baton writes (a UUID), for {@link Variant#RAW_WITH_HEADERS}. */
  private static final String SAME_SIZE_ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    payload = payload(args.length > 2 ? Integer.parseInt(args[2]) : 0);
    System.out.printf(
        "End-to-end throughput: %d messages of %d bytes per run, %d rounds, raw and Baton interleaved%n%n",
        messages, payload.length, rounds);
    System.out.printf("%-9s %10s %12s %11s %22s %22s%n", "broker", "raw msg/s", "raw+hdr msg/s",
        "baton msg/s", "baton/raw min/med/max", "baton/raw+hdr min/med/max");
    report("kafka", EndToEndThroughput::kafka, messages, rounds);
    if (Tcp.answers("127.0.0.1", 5672)) {
      report("rabbitmq", EndToEndThroughput::rabbit, messages, rounds);
    } else {
      System.out.printf("%-9s skipped: no RabbitMQ on 127.0.0.1:5672 (apt-get install rabbitmq-server)%n", "rabbitmq");
    }
    report("jms", EndToEndThroughput::artemis, messages, rounds);
    System.exit(0); // embedded brokers keep non-daemon threads
  }

  private static void report(String broker, Run run, int messages, int rounds) throws Exception {
    for (Variant variant : Variant.values()) {
      run.run(variant, messages); // warm-up
    }
    double[] raw = new double[rounds];
    double[] headers = new double[rounds];
    double[] baton = new double[rounds];
    double[] ratio = new double[rounds];
    double[] ratioSameBytes = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      raw[i] = perSecond(messages, run.run(Variant.RAW, messages));
      headers[i] = perSecond(messages, run.run(Variant.RAW_WITH_HEADERS, messages));
      baton[i] = perSecond(messages, run.run(Variant.BATON, messages));
      ratio[i] = baton[i] / raw[i];
      ratioSameBytes[i] = baton[i] / headers[i];
    }
    Arrays.sort(ratio);
    Arrays.sort(ratioSameBytes);
    System.out.printf("%-9s %10.0f %12.0f %11.0f %10.3f/%5.3f/%5.3f %10.3f/%5.3f/%5.3f%n",
        broker, median(raw), median(headers), median(baton),
        ratio[0], median(ratio), ratio[rounds - 1],
        ratioSameBytes[0], median(ratioSameBytes), ratioSameBytes[rounds - 1]);
  }

  /**
   * {"order":42,"amount":"10.00"} (29 bytes), or for a larger {@code size} the same with a
   * "note" field that pads it to {@code size} bytes (at least 39).
   */
  static byte[] payload(int size) {
    String json = "{\"order\":42,\"amount\":\"10.00\"}";
    if (size > json.length()) {
      String open = json.substring(0, json.length() - 1) + ",\"note\":\"";
      json = open + "x".repeat(Math.max(0, size - open.length() - 2)) + "\"}";
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static double perSecond(int messages, long nanos) {
    return messages / (nanos / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  // --- Kafka: in-process KRaft broker

  private static final KafkaCorrelation KAFKA = KafkaCorrelation.create();

  static long kafka(Variant variant, int messages) throws Exception {
    boolean baton = variant == Variant.BATON;
    String topic = EmbeddedKafka.topics("throughput").get(0);
    Map<String, Object> producerConfig = EmbeddedKafka.producerConfig();
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "1");
    Producer<String, String> producer = new KafkaProducer<>(producerConfig);
    Consumer<String, String> consumer = new KafkaConsumer<>(EmbeddedKafka.consumerConfig());
    if (baton) {
      producer = KAFKA.producer(producer);
      consumer = KAFKA.consumer(consumer);
    }
    consumer.subscribe(List.of(topic));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(50)); // own the partition before the clock starts
    }
    LongAdder handled = new LongAdder();
    String value = new String(payload, StandardCharsets.UTF_8);
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, value);
      if (variant == Variant.RAW_WITH_HEADERS) {
        record.headers().add("correlation_id", SAME_SIZE_ID.getBytes(StandardCharsets.UTF_8));
      }
      producer.send(record);
    }
    producer.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (handled.sum() < messages && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
        if (baton) {
          try (CorrelationScope scope = KAFKA.open(record)) {
            handled.increment();
          }
        } else {
          handled.increment();
        }
      }
    }
    long elapsed = System.nanoTime() - start;
    producer.close();
    consumer.close();
    check(handled.sum(), messages);
    return elapsed;
  }

  // --- RabbitMQ: the local server

  private static final RabbitCorrelation RABBIT = RabbitCorrelation.create();

  static long rabbit(Variant variant, int messages) throws Exception {
    boolean baton = variant == Variant.BATON;
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    try (Connection connection = factory.newConnection()) {
      Channel publisher = connection.createChannel();
      Channel consuming = connection.createChannel();
      if (baton) {
        publisher = RABBIT.channel(publisher);
        consuming = RABBIT.channel(consuming);
      }
      String queue = publisher.queueDeclare("throughput-" + UUID.randomUUID(), false, true, true, null).getQueue();
      CountDownLatch done = new CountDownLatch(messages);
      consuming.basicQos(500);
      Channel acking = consuming;
      consuming.basicConsume(queue, false, (tag, delivery) -> {
        acking.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        done.countDown();
      }, tag -> {});
      AMQP.BasicProperties.Builder builder = new AMQP.BasicProperties.Builder().contentType("application/json");
      if (variant == Variant.RAW_WITH_HEADERS) {
        builder.headers(Map.of("correlation_id", SAME_SIZE_ID));
      }
      AMQP.BasicProperties properties = builder.build();
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        publisher.basicPublish("", queue, properties, payload);
      }
      boolean all = done.await(120, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;
      check(all ? messages : messages - done.getCount(), messages);
      return elapsed;
    }
  }

  // --- JMS: embedded ActiveMQ Artemis, in-VM

  private static final JmsCorrelation JMS = JmsCorrelation.create();

  static long artemis(Variant variant, int messages) throws Exception {
    boolean baton = variant == Variant.BATON;
    jakarta.jms.ConnectionFactory factory = EmbeddedArtemis.inVm();
    if (baton) {
      factory = JMS.connectionFactory(factory);
    }
    try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
      Queue queue = context.createQueue("throughput-" + UUID.randomUUID());
      CountDownLatch done = new CountDownLatch(messages);
      JMSConsumer consumer = context.createContext(JMSContext.DUPS_OK_ACKNOWLEDGE).createConsumer(queue);
      consumer.setMessageListener(message -> done.countDown());
      JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      if (variant == Variant.RAW_WITH_HEADERS) {
        producer.setProperty("correlation_id", SAME_SIZE_ID);
      }
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        producer.send(queue, payload);
      }
      boolean all = done.await(120, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;
      consumer.close();
      check(all ? messages : messages - done.getCount(), messages);
      return elapsed;
    }
  }

  private static void check(long received, int sent) {
    if (received != sent) {
      throw new IllegalStateException("received " + received + " of " + sent);
    }
  }

}
