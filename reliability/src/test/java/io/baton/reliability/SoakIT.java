package io.baton.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.brokers.EmbeddedKafka;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.testing.Brokers;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Kafka, RabbitMQ and JMS together, 8 handler threads, 10% of handlers throwing, 10% of messages
 * with a missing or malformed ID. Every handler log line is checked, as it is logged, against
 * the ID its message was sent with (or, for a malformed one, against the one fresh ID the first
 * line of that message got): nothing is stored, so {@code -Psoak} can run a million messages.
 */
class SoakIT {

  private static final int MESSAGES = Integer.getInteger("baton.soak.messages", 50_000);
  private static final org.slf4j.Logger log = LoggerFactory.getLogger("soak-handler");

  private final Map<String, String> sentIds = new ConcurrentHashMap<>();
  private final Set<String> allSentIds = ConcurrentHashMap.newKeySet();
  private final Map<String, String> freshIds = new ConcurrentHashMap<>();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final LongAdder lines = new LongAdder();
  private final LongAdder wrongLines = new LongAdder();
  private final LongAdder leaks = new LongAdder();
  private final LongAdder thrown = new LongAdder();
  private final java.util.Queue<String> examples = new ConcurrentLinkedQueue<>();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private final JmsCorrelation jms = JmsCorrelation.create();

  /** Checks each handler line's correlation_id against its message's, as it is appended. */
  private final class Verifier extends UnsynchronizedAppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      lines.increment();
      String key = String.valueOf(event.getArgumentArray()[0]);
      String id = event.getMDCPropertyMap().get("correlation_id");
      String expected = sentIds.get(key);
      if (expected == null && id != null && Correlation.isValidId(id)) {
        expected = freshIds.computeIfAbsent(key, k -> id);
        if (allSentIds.contains(id)) {
          expected = "not another message's ID";
        }
      }
      if (id == null || !id.equals(expected)) {
        wrongLines.increment();
        if (examples.size() < 5) {
          examples.add(key + ": " + id + " expected " + expected);
        }
      }
    }
  }

  private static boolean malformed(int i) {
    return i % 10 == 3;
  }

  private static boolean throwing(int i) {
    return i % 10 == 7;
  }

  /** A missing, invalid or oversized ID, in turn. */
  private static String badId(int i) {
    switch ((i / 10) % 3) {
      case 0:
        return null;
      case 1:
        return "bad\r\nid " + i;
      default:
        return "x".repeat(1000);
    }
  }

  private void handle(Supplier<CorrelationScope> open, String key, int i) {
    try {
      try (CorrelationScope scope = open.get()) {
        log.info("start {}", key);
        if (throwing(i)) {
          throw new IllegalStateException("handler failed for " + key);
        }
        log.info("end {}", key);
      }
    } catch (IllegalStateException e) {
      thrown.increment();
    } finally {
      if (MDC.get("correlation_id") != null || Baton.current().isPresent()) {
        leaks.increment();
      }
      handled.add(key);
    }
  }

  @Test
  void every_line_carries_its_own_messages_id_across_three_brokers_and_eight_threads()
      throws Exception {
    Brokers.require(Brokers.answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger handlerLogger = context.getLogger("soak-handler");
    Verifier verifier = new Verifier();
    verifier.setContext(context);
    verifier.start();
    handlerLogger.setAdditive(false);
    handlerLogger.setLevel(Level.INFO);
    handlerLogger.addAppender(verifier);

    int kafkaCount = MESSAGES * 2 / 5;
    int rabbitCount = MESSAGES * 3 / 10;
    int jmsCount = MESSAGES - kafkaCount - rabbitCount;
    ExecutorService handlers = Executors.newFixedThreadPool(8);
    AtomicBoolean polling = new AtomicBoolean(true);
    long start = System.nanoTime();

    // Kafka: one poll thread, records handed to the pool.
    String topic = EmbeddedKafka.topics("soak").get(0);
    Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic));
    Thread poller = new Thread(() -> {
      while (polling.get()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          int i = Integer.parseInt(record.value());
          handlers.execute(() -> handle(() -> kafka.open(record), record.key(), i));
        }
      }
      consumer.close();
    }, "kafka-poller");
    poller.start();

    // RabbitMQ: deliveries handed to the pool.
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    Connection connection = factory.newConnection();
    Channel raw = connection.createChannel();
    String queue = raw.queueDeclare("soak-" + UUID.randomUUID(), false, true, true, null).getQueue();
    raw.basicConsume(queue, true, (tag, delivery) -> {
      String key = delivery.getProperties().getMessageId();
      int i = Integer.parseInt(new String(delivery.getBody(), StandardCharsets.UTF_8));
      handlers.execute(() -> handle(() -> rabbit.open(delivery), key, i));
    }, tag -> {});

    // JMS: messages handed to the pool.
    JMSContext jmsContext = EmbeddedArtemis.inVm().createContext();
    Queue jmsQueue = jmsContext.createQueue("soak-" + UUID.randomUUID());
    jmsContext.createConsumer(jmsQueue).setMessageListener(message -> {
      try {
        String key = message.getStringProperty("key");
        int i = Integer.parseInt(((TextMessage) message).getText());
        handlers.execute(() -> handle(() -> jms.open(message), key, i));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    // Send: well-formed messages through Baton in their own correlation, malformed ones raw.
    try (Producer<String, String> rawProducer = EmbeddedKafka.rawProducer();
        Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        JMSContext rawJms = EmbeddedArtemis.inVm().createContext();
        JMSContext batonJms = jms.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      Channel batonChannel = rabbit.channel(connection.createChannel());
      Channel rawChannel = connection.createChannel();
      for (int i = 0; i < MESSAGES; i++) {
        String key = (i < kafkaCount ? "kafka-" : i < kafkaCount + rabbitCount ? "rabbit-" : "jms-") + i;
        String body = String.valueOf(i);
        if (malformed(i)) {
          String bad = badId(i);
          if (i < kafkaCount) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, body);
            if (bad != null) {
              record.headers().add("correlation_id", bad.getBytes(StandardCharsets.UTF_8));
            }
            rawProducer.send(record);
          } else if (i < kafkaCount + rabbitCount) {
            AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder().messageId(key);
            if (bad != null) {
              props.headers(Map.of("correlation_id", bad));
            }
            rawChannel.basicPublish("", queue, props.build(), body.getBytes(StandardCharsets.UTF_8));
          } else {
            TextMessage message = rawJms.createTextMessage(body);
            message.setStringProperty("key", key);
            if (bad != null) {
              message.setStringProperty("correlation_id", bad);
            }
            rawJms.createProducer().send(jmsQueue, message);
          }
          continue;
        }
        Correlation correlation = Correlation.newRoot();
        sentIds.put(key, correlation.id());
        allSentIds.add(correlation.id());
        try (CorrelationScope scope = Baton.open(correlation)) {
          if (i < kafkaCount) {
            producer.send(new ProducerRecord<>(topic, key, body));
          } else if (i < kafkaCount + rabbitCount) {
            batonChannel.basicPublish("", queue,
                new AMQP.BasicProperties.Builder().messageId(key).build(), body.getBytes(StandardCharsets.UTF_8));
          } else {
            TextMessage message = batonJms.createTextMessage(body);
            message.setStringProperty("key", key);
            batonJms.createProducer().send(jmsQueue, message);
          }
        }
      }
      producer.flush();
      rawProducer.flush();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, MESSAGES / 500));
      while (handled.size() < MESSAGES && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      polling.set(false);
      poller.join(10_000);
      handlers.shutdown();
      handlers.awaitTermination(30, TimeUnit.SECONDS);
      connection.close();
      jmsContext.close();
      handlerLogger.detachAppender(verifier);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    long expectedLines = 2L * MESSAGES - MESSAGES / 10;
    System.out.printf(
        "soak: %d messages (kafka %d, rabbitmq %d, jms %d), %d handler lines, %d thrown, "
            + "%d wrong IDs, %d leaks, %.1f s, %.0f msg/s%n",
        MESSAGES, kafkaCount, rabbitCount, jmsCount, lines.sum(), thrown.sum(),
        wrongLines.sum(), leaks.sum(), seconds, MESSAGES / seconds);
    assertThat(handled).as("delivered == sent").hasSize(MESSAGES);
    assertThat(wrongLines.sum()).as("lines with a wrong ID, e.g. %s", examples).isZero();
    assertThat(leaks.sum()).as("MDC or context left behind after a message").isZero();
    assertThat(lines.sum()).isEqualTo(expectedLines);
    assertThat(thrown.sum()).isEqualTo(MESSAGES / 10);
    assertThat(freshIds).as("every malformed message got a fresh ID").hasSize(MESSAGES / 10);
  }
}
