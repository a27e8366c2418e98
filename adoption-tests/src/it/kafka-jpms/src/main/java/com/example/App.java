package com.example;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.kafka.KafkaCorrelation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A modular user's app: wraps a Kafka producer and consumer (mocks, no broker) and logs in the
 * handler, with Baton, kafka-clients, SLF4J and Logback all resolved as modules.
 */
public final class App {

  public static void main(String[] args) throws Exception {
    check("com.example.app".equals(App.class.getModule().getName()), "the app is not running as a module");
    check("io.baton.kafka".equals(KafkaCorrelation.class.getModule().getName()),
        "baton-kafka is not the module io.baton.kafka but " + KafkaCorrelation.class.getModule());
    check("io.baton.core".equals(Baton.class.getModule().getName()),
        "baton-core is not the module io.baton.core but " + Baton.class.getModule());
    // What a user sees when slf4j-api 1.7 wins: no binding found, NOP, every line lost.
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    check(factory.getClass().getName().startsWith("ch.qos.logback."),
        "SLF4J is not bound to Logback but to " + factory.getClass().getName()
            + " (slf4j-api " + LoggerFactory.class.getPackage().getImplementationVersion()
            + " on the class path): every log line is lost");
    // logback.xml attaches a ListAppender named LIST to the root logger.
    @SuppressWarnings("unchecked")
    ListAppender<ILoggingEvent> lines = (ListAppender<ILoggingEvent>)
        ((AppenderAttachable<ILoggingEvent>) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
            .getAppender("LIST");
    Logger log = LoggerFactory.getLogger("payment-worker");

    KafkaCorrelation kafka = KafkaCorrelation.create();
    MockProducer<String, String> sent =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    Producer<String, String> producer = kafka.producer(sent);
    String requestId;
    try (CorrelationScope request = Baton.openNew()) {
      requestId = Baton.current().orElseThrow().id();
      producer.send(new ProducerRecord<>("orders", "order-1", "pay 10 EUR"));
    }
    ProducerRecord<String, String> out = sent.history().get(0);
    Header header = out.headers().lastHeader("correlation_id");
    check(header != null, "the sent record has no correlation_id header");
    String recordId = new String(header.value(), StandardCharsets.UTF_8);
    check(recordId.equals(requestId), "sent " + recordId + ", the request was " + requestId);

    MockConsumer<String, String> received = new MockConsumer<>("earliest");
    Consumer<String, String> consumer = kafka.consumer(received);
    TopicPartition orders = new TopicPartition("orders", 0);
    consumer.assign(List.of(orders));
    received.updateBeginningOffsets(Map.of(orders, 0L));
    received.addRecord(new ConsumerRecord<>("orders", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1,
        out.key(), out.value(), out.headers(), Optional.empty()));

    kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)),
        record -> log.info("charging {}", record.key()));

    ILoggingEvent line = lines.list.stream()
        .filter(e -> e.getLoggerName().equals("payment-worker"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the handler's line was not logged"));
    String logged = line.getMDCPropertyMap().get("correlation_id");
    check(recordId.equals(logged),
        "the handler's line carries correlation_id " + logged + ", the record " + recordId);
    check(MDC.get("correlation_id") == null, "correlation_id left in the MDC after the record");
    System.out.println("ADOPTION OK (module path): " + LoggerFactory.class.getModule().getDescriptor().toNameAndVersion()
        + ", Logback; the handler logged under " + logged);
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }
}
