package io.baton.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.baton.Correlation;
import io.baton.brokers.EmbeddedKafka;
import io.baton.kafka.streams.KafkaStreamsCorrelation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;

/**
 * Records per second through a Kafka Streams application on the embedded broker, without and
 * with Baton's processor wrapper, runs interleaved A B A B so that drift on a shared machine hits
 * both alike. The input (records with a {@code correlation_id}, as Baton's producers send them) is
 * written once; each run is a fresh application reading all of it: {@code mapValues}, {@code
 * filter}, a counting {@code peek}, then {@code to} an output topic. The clock runs from the first
 * record counted to the last, so start-up and rebalancing are not in it. Each run also reports the
 * stream thread's CPU time per record over the same span: what the wrapper adds is spent on that
 * thread, and CPU time moves less than throughput when other work shares the machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.baton.benchmarks.StreamsThroughput [records] [rounds] [payload bytes]
 * </pre>
 */
public final class StreamsThroughput {

  private StreamsThroughput() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
    String in = EmbeddedKafka.topics("streams-in").get(0);
    EmbeddedKafka.createTopics(in + "-out-raw", in + "-out-baton");
    produce(in, records, bytes);
    System.out.printf("Kafka Streams throughput: %d records of %d bytes per run, %d rounds, without and with "
        + "the wrapper interleaved%n%n", records, bytes, rounds);
    run(in, records, false); // warm-up of both paths, not counted
    run(in, records, true);
    double[] raw = new double[rounds];
    double[] baton = new double[rounds];
    double[] ratio = new double[rounds];
    double[] rawCpu = new double[rounds];
    double[] batonCpu = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      double[] without = run(in, records, false);
      double[] with = run(in, records, true);
      raw[i] = without[0];
      baton[i] = with[0];
      rawCpu[i] = without[1];
      batonCpu[i] = with[1];
      ratio[i] = baton[i] / raw[i];
      System.out.printf("round %d: without %.0f rec/s (%.1f us CPU/rec), with %.0f rec/s (%.1f us CPU/rec), ratio %.3f%n",
          i + 1, raw[i], rawCpu[i], baton[i], batonCpu[i], ratio[i]);
    }
    Arrays.sort(ratio);
    System.out.printf("%nstreams   without %.0f rec/s  with %.0f rec/s  with/without min/med/max %.3f / %.3f / %.3f%n",
        median(raw), median(baton), ratio[0], median(ratio), ratio[rounds - 1]);
    System.out.printf("stream thread CPU per record: without %.2f us, with %.2f us (medians)%n",
        median(rawCpu), median(batonCpu));
    System.exit(0);
  }

  private static void produce(String topic, int records, int bytes) throws Exception {
    Map<String, Object> config = EmbeddedKafka.producerConfig();
    config.put("value.serializer", ByteArraySerializer.class.getName());
    config.put("linger.ms", "5");
    byte[] value = new byte[bytes];
    Arrays.fill(value, (byte) 'x');
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < records; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("correlation_id", Correlation.newRoot().id().getBytes(UTF_8));
        producer.send(new ProducerRecord<>(topic, null, "order-" + i, value, headers));
      }
      producer.flush();
    }
  }

  /**
   * One run: records per second from the first record counted to the last, and the stream
   * thread's CPU microseconds per record over the same span.
   */
  private static double[] run(String in, int records, boolean wrapped) throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + UUID.randomUUID().toString().substring(0, 8));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("baton-bench").toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    if (wrapped) {
      props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
    }
    AtomicLong first = new AtomicLong();
    AtomicLong seen = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long[] last = new long[1];
    long[] cpu = new long[2];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.<String, byte[]>stream(in)
        .mapValues(value -> value)
        .filter((key, value) -> value.length > 0)
        .peek((key, value) -> {
          long n = seen.incrementAndGet();
          if (n == 1) {
            first.set(System.nanoTime());
            cpu[0] = threads.getCurrentThreadCpuTime();
          }
          if (n == records) {
            last[0] = System.nanoTime();
            cpu[1] = threads.getCurrentThreadCpuTime();
            done.countDown();
          }
        })
        .to(in + "-out-" + (wrapped ? "baton" : "raw"));
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + seen.get() + " of " + records + " records came");
      }
    }
    return new double[] {
      (records - 1) / ((last[0] - first.get()) / 1e9), (cpu[1] - cpu[0]) / 1e3 / (records - 1)
    };
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
