package io.baton.examples;

import io.baton.kafka.KafkaCorrelation;
import io.baton.kafka.RecordHandler;
import io.baton.kafka.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's Kafka quick start: wrap, poll loop, retries and dead letters, interceptors. */
public final class KafkaQuickStart {

  private static final Logger log = LoggerFactory.getLogger(KafkaQuickStart.class);

  private KafkaQuickStart() {}

  /** Wrap the clients you already have. */
  public static void produce(Properties producerProps) {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    try (Producer<String, String> producer = kafka.producer(new KafkaProducer<>(producerProps))) {
      // headers correlation_id (+ parent_correlation_id) from the current correlation, or a new root
      producer.send(new ProducerRecord<>("orders", "order-1", "pay 10 EUR"),
          (metadata, e) -> log.info("sent order-1"));   // the callback logs under the same ID
    }
  }

  /** A poll loop: every record is handled, and logs, under its own correlation_id. */
  public static void consume(Properties consumerProps, BooleanSupplier running) {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    try (Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(consumerProps))) {
      consumer.subscribe(List.of("orders"));
      while (running.getAsBoolean()) {
        kafka.forEach(consumer.poll(Duration.ofMillis(500)),
            record -> log.info("charging {}", record.key()));
        consumer.commitSync();
      }
    }
  }

  /** Retry in place, then orders.retry (twice), then orders.DLT; the ID survives every hop. */
  public static void consumeWithRetries(
      Properties consumerProps, Producer<String, String> producer, BooleanSupplier running) {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    RecordHandler<String, String> charge = record -> PaymentProvider.charge(record.value());
    java.util.function.Consumer<ConsumerRecord<String, String>> handler = kafka.retrying(charge,
        producer, RetryPolicy.newBuilder().attempts(3).retryHops(2).build());
    try (Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(consumerProps))) {
      consumer.subscribe(List.of("orders", "orders.retry"));
      while (running.getAsBoolean()) {
        kafka.forEach(consumer.poll(Duration.ofMillis(500)), handler);
        consumer.commitSync();   // reached only when every failed record was republished
      }
    }
  }

  /** No code to change: the interceptors take string configuration only. */
  public static Properties interceptorConfig(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
        "io.baton.kafka.CorrelationProducerInterceptor");
    props.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
        "io.baton.kafka.CorrelationConsumerInterceptor");
    props.put("baton.header.aliases", "X-Correlation-ID,X-Request-ID"); // optional
    return props;
  }

  /** Stands in for a flaky remote service. */
  static final class PaymentProvider {
    private PaymentProvider() {}

    static void charge(String order) throws java.io.IOException {
      if (order.contains("declined")) {
        throw new java.io.IOException("card declined");
      }
      log.info("charged {}", order);
    }
  }
}
