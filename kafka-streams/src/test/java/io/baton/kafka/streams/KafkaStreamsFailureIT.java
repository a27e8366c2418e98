package io.baton.kafka.streams;

import static io.baton.kafka.streams.StreamsTesting.values;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Correlation;
import io.baton.brokers.EmbeddedKafka;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Failing records on the embedded broker: the lines about them, and the dead-letter queue. */
class KafkaStreamsFailureIT {

  private static final Logger log = LoggerFactory.getLogger("orders-app");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static Properties props(String deadLetters) {
    Properties props = StreamsTesting.props();
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    props.put("baton.deserialization.exception.handler", LogAndContinueExceptionHandler.class.getName());
    props.put("baton.processing.exception.handler", LogAndContinueProcessingExceptionHandler.class.getName());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetters);
    return props;
  }

  @Test
  void a_failing_processor_and_an_undeserializable_record_are_logged_and_dead_lettered_under_their_id()
      throws Exception {
    List<String> topics = EmbeddedKafka.topics("payments", "charged", "payments.DLQ");
    String in = topics.get(0);
    String out = topics.get(1);
    String deadLetters = topics.get(2);
    Properties props = props(deadLetters);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream(in, Consumed.with(Serdes.Integer(), Serdes.String()))
        .mapValues(payment -> {
          log.info("charging {}", payment);
          if (payment.startsWith("declined")) {
            throw new IllegalStateException("card declined");
          }
          return payment;
        })
        .to(out, org.apache.kafka.streams.kstream.Produced.with(Serdes.Integer(), Serdes.String()));

    String declined = Correlation.newRoot().id();
    String garbled = Correlation.newRoot().id();
    String fine = Correlation.newRoot().id();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      StreamsTesting.awaitRunning(streams);
      Map<String, Object> config = EmbeddedKafka.producerConfig();
      config.put("key.serializer", ByteArraySerializer.class.getName());
      config.put("value.serializer", ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
        send(producer, in, new byte[] {0, 0, 0, 1}, "declined 1", declined);
        send(producer, in, new byte[] {7}, "garbled key", garbled); // not an Integer
        send(producer, in, new byte[] {0, 0, 0, 2}, "declined 2", null); // no ID: a fresh one
        send(producer, in, new byte[] {0, 0, 0, 3}, "fine", fine);
      }
      List<ConsumerRecord<String, String>> charged;
      try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(out)) {
        charged = EmbeddedKafka.pollUntil(consumer, r -> {}, 1);
      }
      assertThat(values(charged.get(0).headers(), "correlation_id")).containsExactly(fine);
      List<ConsumerRecord<String, String>> dead;
      try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(deadLetters)) {
        dead = EmbeddedKafka.pollUntil(consumer, r -> {}, 3);
      }

      // Baton's failure line and Kafka's handler's line, both under the failed record's ID
      CapturedLine failure = logs.lines(line -> line.message().startsWith("Processor ")
          && line.message().contains(in + "-0@0")).get(0);
      assertThat(failure.correlationId()).isEqualTo(declined);
      assertThat(failure.level()).isEqualTo("ERROR");
      assertThat(failure.throwable()).hasMessage("card declined");
      List<CapturedLine> handled = logs.withMessage("Exception caught during message processing");
      assertThat(handled).hasSize(2);
      assertThat(handled.get(0).correlationId()).isEqualTo(declined);
      String fresh = handled.get(1).correlationId();
      assertThat(Correlation.isValidId(fresh)).isTrue();
      assertThat(fresh).isNotIn(declined, garbled, fine);
      assertThat(logs.withMessage("charging declined 2")).extracting(CapturedLine::correlationId).containsOnly(fresh);
      // one line for the failure of the processor, not one per node it passed through
      assertThat(logs.lines(line -> line.message().startsWith("Processor "))).hasSize(2);
      CapturedLine undeserializable = logs.withMessage("Exception caught during Deserialization").get(0);
      assertThat(undeserializable.correlationId()).isEqualTo(garbled);

      // every dead letter keeps its record's ID, exactly once
      assertThat(dead).extracting(record -> values(record.headers(), "correlation_id"))
          .containsExactlyInAnyOrder(List.of(declined), List.of(garbled), List.of(fresh));
    }
  }

  /** Resumes after a failed send, saying so: what a user's production handler would do. */
  public static final class ResumingProductionHandler
      implements org.apache.kafka.streams.errors.ProductionExceptionHandler {
    @Override
    public Response handleError(org.apache.kafka.streams.errors.ErrorHandlerContext context,
        ProducerRecord<byte[], byte[]> record, Exception exception) {
      log.warn("could not send to {}: {}", record.topic(), exception.getClass().getSimpleName());
      return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  @Test
  void a_record_that_cannot_be_produced_is_handled_under_its_id() throws Exception {
    List<String> topics = EmbeddedKafka.topics("orders", "invoices");
    Properties props = StreamsTesting.props();
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    props.put("baton.production.exception.handler", ResumingProductionHandler.class.getName());
    props.put(StreamsConfig.producerPrefix("max.request.size"), "10000");
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.<String, String>stream(topics.get(0))
        .mapValues(order -> order.equals("huge") ? "x".repeat(20_000) : order)
        .to(topics.get(1));
    String huge = Correlation.newRoot().id();
    String fine = Correlation.newRoot().id();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      StreamsTesting.awaitRunning(streams);
      Map<String, Object> config = EmbeddedKafka.producerConfig();
      config.put("key.serializer", ByteArraySerializer.class.getName());
      config.put("value.serializer", ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
        send(producer, topics.get(0), new byte[] {1}, "huge", huge);
        send(producer, topics.get(0), new byte[] {2}, "fine", fine);
      }
      try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(topics.get(1))) {
        List<ConsumerRecord<String, String>> invoices = EmbeddedKafka.pollUntil(consumer, r -> {}, 1);
        assertThat(values(invoices.get(0).headers(), "correlation_id")).containsExactly(fine);
      }
    }
    List<CapturedLine> lines = logs.withMessage("could not send to " + topics.get(1) + ": RecordTooLargeException");
    assertThat(lines).extracting(CapturedLine::correlationId).containsExactly(huge);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, String value, String id)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    if (id != null) {
      headers.add("correlation_id", id.getBytes(UTF_8));
    }
    producer.send(new ProducerRecord<>(topic, null, key, value.getBytes(UTF_8), headers)).get(30, TimeUnit.SECONDS);
  }
}
