package io.baton.examples;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.kafka.KafkaCorrelation;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's share-group section: a queue worker (KIP-932) that accepts what it handled, lets
 * Kafka deliver a failed record again, and sends what can never succeed to a dead-letter topic,
 * every line and the dead letter under the record's correlation_id.
 */
public final class KafkaShareGroupQuickStart {

  private static final Logger log = LoggerFactory.getLogger(KafkaShareGroupQuickStart.class);

  private KafkaShareGroupQuickStart() {}

  /**
   * Share consumers in one group take records from the same partitions; {@code deliveryLimit} is
   * the group's {@code share.delivery.count.limit} (default 5), after which the broker archives a
   * released record: its last delivery goes to payments.DLQ instead.
   */
  public static void work(Properties consumerProps, Producer<String, String> producer, int deliveryLimit,
      BooleanSupplier running) {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    consumerProps.put("share.acknowledgement.mode", "explicit");   // acknowledge each record
    try (ShareConsumer<String, String> consumer = kafka.shareConsumer(new KafkaShareConsumer<>(consumerProps))) {
      consumer.subscribe(List.of("payments"));
      while (running.getAsBoolean()) {
        try {
          kafka.forEach(consumer, consumer.poll(Duration.ofMillis(500)), record -> {
            try {
              PaymentProvider.charge(record.value());     // MDC: correlation_id, delivery_count
              consumer.acknowledge(record, AcknowledgeType.ACCEPT);
            } catch (Exception e) {
              boolean last = record.deliveryCount().orElse((short) 1) >= deliveryLimit;
              if (!(e instanceof PaymentDeclined) && !last) {
                throw e;                                  // Baton logs it and RELEASEs: delivered again
              }
              // for good: same key, value and headers (so the same correlation_id), stored first
              producer.send(new ProducerRecord<>("payments.DLQ", null, record.key(), record.value(),
                  record.headers())).get(10, TimeUnit.SECONDS);   // throws: released, not lost
              log.warn("dead-lettered after {} deliveries: {}", record.deliveryCount().orElse(null), e.toString());
              consumer.acknowledge(record, AcknowledgeType.REJECT);
            }
          });
        } catch (WakeupException e) {
          break;                                          // consumer.wakeup(): shut down
        } catch (Exception e) {
          // logged by Baton under the record's ID; the record comes again with its next delivery
          try (CorrelationScope scope = Baton.openFailed(e)) {
            log.info("will be delivered again: {}", e.toString());
          }
        }
      }
    }
  }

  /** A payment that can never succeed. */
  static final class PaymentDeclined extends Exception {
    private static final long serialVersionUID = 1L;

    PaymentDeclined(String message) {
      super(message);
    }
  }

  /** Stands in for a remote service: "declined" fails for good, "outage" every time, "flaky" once. */
  static final class PaymentProvider {
    private static final java.util.Set<String> FAILED_ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private PaymentProvider() {}

    static void charge(String payment) throws PaymentDeclined, java.io.IOException {
      if (payment.contains("declined")) {
        throw new PaymentDeclined("card declined");
      }
      if (payment.contains("outage") || (payment.contains("flaky") && FAILED_ONCE.add(payment))) {
        throw new java.io.IOException("provider unavailable");
      }
      log.info("charged {}", payment);
    }
  }
}
