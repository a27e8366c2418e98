package io.baton.examples;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.MessageHandler;
import io.baton.kafka.KafkaCorrelation;
import io.baton.kafka.KafkaRetryPolicy;
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
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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
  public static void consume(Properties consumerProps, BooleanSupplier running) throws Exception {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");   // commit after forEach
    try (Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(consumerProps))) {
      consumer.subscribe(List.of("orders"));
      while (running.getAsBoolean()) {
        kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)),
            record -> log.info("charging {}", record.key()));   // MDC: the record's correlation_id
        consumer.commitSync();
      }
    }
  }

  /**
   * The safe worker loop: retry in place with a backoff, then orders.retry (twice, each 30 s
   * later), then orders.DLT; the ID survives every hop. Every record is, in the end, handled or on
   * the DLT; none is committed before that, whatever fails.
   */
  public static void consumeWithRetries(Properties consumerProps, Producer<String, String> producer,
      Duration retryDelay, BooleanSupplier running) {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    MessageHandler<ConsumerRecord<String, String>> charge = record -> PaymentProvider.charge(record.value());
    MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(charge, producer,
        KafkaRetryPolicy.newBuilder()
            .attempts(3)                          // in place, per delivery
            .backoff(Duration.ofMillis(200))      // between those attempts
            .retryHops(2)                         // then orders.retry, twice
            .retryDelay(retryDelay)               // each hop handled that long after it was sent (30 s)
            .build());                            // then orders.DLT
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");   // commit after forEach
    boolean interrupted = false;
    try (Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(consumerProps))) {
      consumer.subscribe(List.of("orders", "orders.retry"));
      while (running.getAsBoolean() && !interrupted) {
        try {
          kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)), handler);
          consumer.commitSync();              // only handled or acknowledged-republished records
        } catch (WakeupException e) {
          break;                              // consumer.wakeup(): shut down
        } catch (InterruptedException | InterruptException e) {
          Thread.interrupted();               // cleared so that close() completes; set again below
          interrupted = true;                 // shut down
        } catch (Exception e) {
          // Baton logged it under the record's ID and put the record back: the next poll has it
          try (CorrelationScope scope = Baton.openFailed(e)) {
            log.warn("batch stopped at a failed record, which comes again: {}", e.toString());
          }
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();     // unhandled records come again after the restart
    }
  }

  /** Baton's failure line at WARN instead of ERROR, or off when your handlers log their own. */
  public static KafkaCorrelation quieterFailures(boolean handlersLogThemselves) {
    return KafkaCorrelation.newBuilder()
        .failureLog(handlersLogThemselves ? FailureLog.off() : FailureLog.at(org.slf4j.event.Level.WARN))
        .build();
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
