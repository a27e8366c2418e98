package io.baton.kafka.streams;

import static io.baton.kafka.streams.StreamsTesting.values;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.Correlation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The rules for forwards, punctuators and failures, on TopologyTestDriver (no broker). */
class KafkaStreamsCorrelationTest {

  private static final Logger log = LoggerFactory.getLogger("orders-app");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "unit");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
    return props;
  }

  /** in -> the processor -> out, a Processor-API topology wrapped through its TopologyConfig. */
  private static void run(Properties props, ProcessorSupplier<String, String, String, String> processor,
      Consumer<TopologyTestDriver> test) {
    Topology topology = new Topology(new TopologyConfig(new StreamsConfig(props)));
    topology.addSource("in", "in").addProcessor("p", processor, "in").addSink("out", "out", "p");
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      test.accept(driver);
    }
  }

  private static TestInputTopic<String, String> in(TopologyTestDriver driver) {
    return driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
  }

  private static TestOutputTopic<String, String> out(TopologyTestDriver driver) {
    return driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
  }

  private static TestRecord<String, String> withIds(String value, String... ids) {
    RecordHeaders headers = new RecordHeaders();
    for (String id : ids) {
      headers.add("correlation_id", id.getBytes(UTF_8));
    }
    return new TestRecord<>("k", value, headers);
  }

  /** Forwards a record built fresh, one with an ID of its own, and the input itself. */
  private static final class Forwarding extends ContextualProcessor<String, String, String, String> {
    static final String OWN = Correlation.newRoot().id();

    @Override
    public void process(Record<String, String> record) {
      log.info("handling {}", record.value());
      context().forward(new Record<>("k", "fresh", record.timestamp()));
      RecordHeaders own = new RecordHeaders();
      own.add("correlation_id", OWN.getBytes(UTF_8));
      context().forward(new Record<>("k", "own", record.timestamp(), own));
      context().forward(record);
    }
  }

  @Test
  void forwarded_records_keep_their_valid_id_and_fresh_ones_take_the_inputs() {
    String id = Correlation.newRoot().id();
    run(props(), Forwarding::new, driver -> {
      in(driver).pipeInput(withIds("order", id));
      List<TestRecord<String, String>> outputs = out(driver).readRecordsToList();
      assertThat(outputs).extracting(TestRecord::value).containsExactly("fresh", "own", "order");
      assertThat(values(outputs.get(0).headers(), "correlation_id")).containsExactly(id);
      assertThat(values(outputs.get(1).headers(), "correlation_id")).containsExactly(Forwarding.OWN);
      assertThat(values(outputs.get(2).headers(), "correlation_id")).containsExactly(id);
      assertThat(logs.withMessage("handling order").get(0).correlationId()).isEqualTo(id);
    });
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void a_record_without_a_valid_id_and_what_it_causes_get_one_fresh_id() {
    run(props(), Forwarding::new, driver -> {
      in(driver).pipeInput(withIds("order", "not a valid id!", "another"));
      List<TestRecord<String, String>> outputs = out(driver).readRecordsToList();
      String fresh = logs.withMessage("handling order").get(0).correlationId();
      assertThat(Correlation.isValidId(fresh)).isTrue();
      assertThat(values(outputs.get(0).headers(), "correlation_id")).containsExactly(fresh);
      assertThat(values(outputs.get(2).headers(), "correlation_id")).containsExactly(fresh);
    });
  }

  @Test
  void agreeing_duplicate_ids_leave_as_one() {
    String id = Correlation.newRoot().id();
    run(props(), Forwarding::new, driver -> {
      in(driver).pipeInput(withIds("order", id, id));
      List<TestRecord<String, String>> outputs = out(driver).readRecordsToList();
      assertThat(values(outputs.get(2).headers(), "correlation_id")).containsExactly(id);
    });
  }

  /** Schedules one punctuator in init and one per record. */
  private static final class Punctuating extends ContextualProcessor<String, String, String, String> {
    @Override
    public void init(ProcessorContext<String, String> context) {
      super.init(context);
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> {
        log.info("sweep");
        context.forward(new Record<>("k", "sweep", now));
      });
    }

    @Override
    public void process(Record<String, String> record) {
      context().schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> log.info("reminder"));
    }
  }

  @Test
  void punctuations_are_fresh_roots_from_init_and_children_of_the_record_from_process() {
    String id = Correlation.newRoot().id();
    run(props(), Punctuating::new, driver -> {
      in(driver).pipeInput(withIds("order", id));
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      List<CapturedLine> sweeps = logs.withMessage("sweep");
      assertThat(sweeps).hasSize(2).allSatisfy(line -> assertThat(line.parentCorrelationId()).isNull());
      assertThat(sweeps.get(0).correlationId()).isNotEqualTo(sweeps.get(1).correlationId());
      List<TestRecord<String, String>> outputs = out(driver).readRecordsToList();
      assertThat(values(outputs.get(0).headers(), "correlation_id")).containsExactly(sweeps.get(0).correlationId());
      List<CapturedLine> reminders = logs.withMessage("reminder");
      assertThat(reminders).hasSize(2).allSatisfy(line -> assertThat(line.parentCorrelationId()).isEqualTo(id));
      assertThat(reminders.get(0).correlationId()).isNotEqualTo(reminders.get(1).correlationId());
    });
    assertThat(MDC.get("correlation_id")).isNull();
  }

  private static final class Failing extends ContextualProcessor<String, String, String, String> {
    @Override
    public void process(Record<String, String> record) {
      throw new IllegalStateException("card declined");
    }
  }

  @Test
  void a_failing_processor_is_logged_once_under_the_records_id_and_rethrown() {
    String id = Correlation.newRoot().id();
    run(props(), Failing::new, driver ->
        assertThatThrownBy(() -> in(driver).pipeInput(withIds("order", id))).hasRootCauseMessage("card declined"));
    List<CapturedLine> failures = logs.lines(line -> line.message().startsWith("Processor p failed on in-0@0"));
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).correlationId()).isEqualTo(id);
    assertThat(failures.get(0).level()).isEqualTo("ERROR");
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void a_failure_passing_up_through_the_forwarding_processors_is_logged_once() {
    String id = Correlation.newRoot().id();
    Properties props = props();
    Topology topology = new Topology(new TopologyConfig(new StreamsConfig(props)));
    ProcessorSupplier<String, String, String, String> forwarding = () -> new ContextualProcessor<>() {
      @Override
      public void process(Record<String, String> record) {
        context().forward(record.withValue(record.value() + " checked"));
      }
    };
    topology.addSource("in", "in")
        .addProcessor("check", forwarding, "in")
        .addProcessor("pay", Failing::new, "check");
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      assertThatThrownBy(() -> in(driver).pipeInput(withIds("order", id))).hasRootCauseMessage("card declined");
    }
    List<CapturedLine> failures = logs.lines(line -> line.message().startsWith("Processor "));
    assertThat(failures).extracting(CapturedLine::message).containsExactly("Processor pay failed on in-0@0");
    assertThat(failures.get(0).correlationId()).isEqualTo(id);
  }

  @Test
  void the_failure_line_takes_its_level_from_baton_failure_log() {
    Properties props = props();
    props.put("baton.failure.log", "warn");
    run(props, Failing::new, driver ->
        assertThatThrownBy(() -> in(driver).pipeInput(withIds("order", Correlation.newRoot().id()))));
    assertThat(logs.lines(line -> line.message().startsWith("Processor p failed")))
        .extracting(CapturedLine::level).containsExactly("WARN");

    logs.clear();
    props.put("baton.failure.log", "OFF");
    run(props, Failing::new, driver ->
        assertThatThrownBy(() -> in(driver).pipeInput(withIds("order", Correlation.newRoot().id()))));
    assertThat(logs.lines(line -> line.message().startsWith("Processor p failed"))).isEmpty();
  }

  @Test
  void an_unknown_failure_log_level_is_warned_about_and_the_default_kept() {
    Properties props = props();
    props.put("baton.failure.log", "LOUD");
    run(props, Failing::new, driver ->
        assertThatThrownBy(() -> in(driver).pipeInput(withIds("order", Correlation.newRoot().id()))));
    assertThat(logs.withMessage("Ignored baton.failure.log=LOUD")).hasSize(1);
    assertThat(logs.lines(line -> line.message().startsWith("Processor p failed")))
        .extracting(CapturedLine::level).containsExactly("ERROR");
  }

  @Test
  void wrapping_twice_returns_the_same_supplier() {
    KafkaStreamsCorrelation wrapper = new KafkaStreamsCorrelation();
    ProcessorSupplier<String, String, String, String> supplier = Forwarding::new;
    var once = wrapper.wrapProcessorSupplier("p", supplier);
    assertThat(wrapper.wrapProcessorSupplier("p", once)).isSameAs(once);
    assertThatThrownBy(() -> wrapper.wrapProcessorSupplier("p", null)).isInstanceOf(NullPointerException.class);
  }
}
