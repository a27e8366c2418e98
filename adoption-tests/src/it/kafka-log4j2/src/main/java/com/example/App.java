package com.example;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.kafka.KafkaCorrelation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A user's app on Log4j2: the handler logs under the record's ID; ThreadContext is restored. */
public final class App {

  /** Keeps every event, with the ThreadContext it was logged with. */
  static final class Capture extends AbstractAppender {
    final List<LogEvent> events = new CopyOnWriteArrayList<>();

    Capture() {
      super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(event.toImmutable());
    }
  }

  public static void main(String[] args) throws Exception {
    String binding = LoggerFactory.getILoggerFactory().getClass().getName();
    check(binding.startsWith("org.apache.logging.slf4j"),
        "SLF4J is not bound to Log4j2 but to " + binding);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Capture capture = new Capture();
    capture.start();
    config.addAppender(capture);
    config.getRootLogger().addAppender(capture, null, null);
    context.updateLoggers();
    Logger log = LoggerFactory.getLogger("payment-worker");

    KafkaCorrelation kafka = KafkaCorrelation.create();
    MockProducer<String, String> sent =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    Producer<String, String> producer = kafka.producer(sent);
    String requestId;
    String parentId;
    try (CorrelationScope request = Baton.openNew(); CorrelationScope child = Baton.openChild()) {
      requestId = Baton.current().orElseThrow().id();
      parentId = Baton.current().orElseThrow().parentId().orElseThrow();
      producer.send(new ProducerRecord<>("orders", "order-1", "pay 10 EUR"));
    }
    ProducerRecord<String, String> out = sent.history().get(0);
    check(requestId.equals(header(out, "correlation_id")), "the sent record lost the request's ID");
    check(parentId.equals(header(out, "parent_correlation_id")), "the sent record lost the parent");

    MockConsumer<String, String> received = new MockConsumer<>("earliest");
    Consumer<String, String> consumer = kafka.consumer(received);
    TopicPartition orders = new TopicPartition("orders", 0);
    consumer.assign(List.of(orders));
    received.updateBeginningOffsets(Map.of(orders, 0L));
    received.addRecord(new ConsumerRecord<>("orders", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1,
        out.key(), out.value(), out.headers(), Optional.empty()));

    // The thread's context before the record: the app's own key, and an ID an edge filter put.
    ThreadContext.clearMap();
    ThreadContext.put("tenant", "acme");
    ThreadContext.put("correlation_id", "edge-filter-0123456789");
    Map<String, String> before = new HashMap<>(ThreadContext.getImmutableContext());

    kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)),
        record -> log.info("charging {}", record.key()));

    Map<String, String> after = new HashMap<>(ThreadContext.getImmutableContext());
    check(after.equals(before), "ThreadContext was " + before + " before the record, " + after
        + " after it");
    LogEvent line = capture.events.stream()
        .filter(e -> e.getLoggerName().equals("payment-worker"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the handler's line was not logged"));
    Map<String, String> logged = line.getContextData().toMap();
    check(requestId.equals(logged.get("correlation_id")),
        "the handler's line carries correlation_id " + logged.get("correlation_id")
            + ", the record " + requestId);
    check(parentId.equals(logged.get("parent_correlation_id")),
        "the handler's line carries parent_correlation_id " + logged.get("parent_correlation_id")
            + ", the record " + parentId);
    check("acme".equals(logged.get("tenant")), "the app's own ThreadContext key was lost: " + logged);
    System.out.println("ADOPTION OK: Log4j2 (" + binding + "); the handler logged under "
        + logged.get("correlation_id") + ", ThreadContext restored to " + after);
  }

  private static String header(ProducerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }
}
