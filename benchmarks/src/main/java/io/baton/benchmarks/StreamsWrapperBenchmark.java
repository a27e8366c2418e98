package io.baton.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.baton.Correlation;
import io.baton.kafka.streams.KafkaStreamsCorrelation;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Baton's processor wrapper adds to one record's trip through a Kafka Streams topology
 * ({@code mapValues}, {@code filter}, {@code peek}, {@code to}), without a broker: Kafka's
 * TopologyTestDriver, one 1 KB record with a {@code correlation_id} header in and out per op. The
 * difference between {@code wrapped=false} and {@code true} is the wrapper's cost per record,
 * which {@code StreamsThroughput} cannot resolve on a shared machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class StreamsWrapperBenchmark {

  @Param({"false", "true"})
  public boolean wrapped;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> in;
  private TestOutputTopic<String, byte[]> out;
  private TestRecord<String, byte[]> record;

  @Setup(Level.Trial)
  public void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    if (wrapped) {
      props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
    }
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    long[] seen = new long[1];
    builder.<String, byte[]>stream("in")
        .mapValues(value -> value)
        .filter((key, value) -> value.length > 0)
        .peek((key, value) -> seen[0]++)
        .to("out");
    driver = new TopologyTestDriver(builder.build(), props);
    in = driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
    out = driver.createOutputTopic("out", new StringDeserializer(), new ByteArrayDeserializer());
    byte[] value = new byte[1024];
    Arrays.fill(value, (byte) 'x');
    RecordHeaders headers = new RecordHeaders();
    headers.add("correlation_id", Correlation.newRoot().id().getBytes(UTF_8));
    record = new TestRecord<>("order-1", value, headers);
    in.pipeInput(record);
    if (out.readRecord().headers().lastHeader("correlation_id") == null) {
      throw new IllegalStateException("the record lost its correlation_id");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    driver.close();
  }

  @Benchmark
  public TestRecord<String, byte[]> oneRecord() {
    in.pipeInput(record);
    return out.readRecord();
  }
}
