package io.baton.kafka;

import static io.baton.kafka.KafkaCorrelationTest.count;
import static io.baton.kafka.KafkaCorrelationTest.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InterceptorTest {

  private static final String ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";

  @Test
  void producer_interceptor_injects_from_the_sending_thread() {
    CorrelationProducerInterceptor interceptor = new CorrelationProducerInterceptor();
    interceptor.configure(Map.of());
    ProducerRecord<Object, Object> record = new ProducerRecord<>("orders", "v");

    try (CorrelationScope scope = Baton.open(Correlation.of(ID, null))) {
      interceptor.onSend(record);
    }

    assertThat(header(record.headers(), "correlation_id")).isEqualTo(ID);
  }

  @Test
  void interceptors_take_header_names_and_aliases_as_plain_strings() {
    Map<String, Object> config =
        Map.of(
            "baton.header.id", "trace_id",
            "baton.header.parent", "trace_parent",
            "baton.header.aliases", "X-Request-ID, X-Correlation-ID");
    CorrelationProducerInterceptor producer = new CorrelationProducerInterceptor();
    producer.configure(config);
    CorrelationConsumerInterceptor consumer = new CorrelationConsumerInterceptor();
    consumer.configure(config);

    ProducerRecord<Object, Object> sent = new ProducerRecord<>("orders", "v");
    try (CorrelationScope scope = Baton.open(Correlation.of(ID, null))) {
      producer.onSend(sent);
    }
    ConsumerRecord<Object, Object> received = new ConsumerRecord<>("orders", 0, 0L, null, "v");
    received.headers().add("x-request-id", ID.getBytes(UTF_8));
    consumer.onConsume(
        new ConsumerRecords<>(Map.of(new TopicPartition("orders", 0), List.of(received))));

    assertThat(header(sent.headers(), "trace_id")).isEqualTo(ID);
    assertThat(sent.headers().lastHeader("correlation_id")).isNull();
    assertThat(header(received.headers(), "trace_id")).isEqualTo(ID);
  }

  @Test
  void consumer_interceptor_gives_every_record_exactly_one_valid_id() {
    CorrelationConsumerInterceptor interceptor = new CorrelationConsumerInterceptor();
    interceptor.configure(Map.of());
    ConsumerRecord<Object, Object> missing = new ConsumerRecord<>("orders", 0, 0L, null, "a");
    ConsumerRecord<Object, Object> invalid = new ConsumerRecord<>("orders", 0, 1L, null, "b");
    invalid.headers().add("correlation_id", new byte[] {(byte) 0xc0, (byte) 0xaf, 0x61});

    interceptor.onConsume(
        new ConsumerRecords<>(
            Map.of(new TopicPartition("orders", 0), List.of(missing, invalid))));

    for (ConsumerRecord<Object, Object> record : List.of(missing, invalid)) {
      assertThat(count(record.headers(), "correlation_id")).isEqualTo(1);
      assertThat(Correlation.isValidId(header(record.headers(), "correlation_id"))).isTrue();
    }
  }
}
