package io.baton.kafka.streams;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.baton.brokers.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.MDC;

/** Streams properties for a test on the embedded broker, and waiting for the application. */
final class StreamsTesting {

  private StreamsTesting() {}

  /** A fresh application (its own id and state directory), wrapped by Baton, one thread. */
  static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "it-" + UUID.randomUUID().toString().substring(0, 8));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers());
    try {
      props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("baton-streams").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
    props.put(StreamsConfig.mainConsumerPrefix("interceptor.classes"), MdcProbe.class.getName());
    props.put(StreamsConfig.consumerPrefix("group.initial.rebalance.delay.ms"), "0");
    return props;
  }

  static void awaitRunning(KafkaStreams streams) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("streams not running: " + streams.state());
      }
      Thread.sleep(50);
    }
  }

  /** Every value of header {@code key}, as text. */
  static List<String> values(Headers headers, String key) {
    List<String> values = new ArrayList<>();
    for (Header header : headers.headers(key)) {
      values.add(new String(header.value(), UTF_8));
    }
    return values;
  }

  /**
   * Records, on the main consumer's poll (the stream thread, between the records it handles),
   * what the MDC holds there: nothing of Baton's when every scope was closed.
   */
  public static final class MdcProbe implements ConsumerInterceptor<Object, Object> {
    static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
      SEEN.add(Thread.currentThread().getName() + "=" + MDC.get("correlation_id") + "/" + MDC.get("parent_correlation_id"));
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}

    /** What the probe saw on the threads of {@code applicationId}. */
    static List<String> seenBy(String applicationId) {
      List<String> seen = new ArrayList<>();
      for (String line : SEEN) {
        if (line.startsWith(applicationId)) {
          seen.add(line.substring(line.indexOf('=') + 1));
        }
      }
      return seen;
    }
  }
}
