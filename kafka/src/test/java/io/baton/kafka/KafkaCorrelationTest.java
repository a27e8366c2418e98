package io.baton.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class KafkaCorrelationTest {

  private static final Logger log = LoggerFactory.getLogger(KafkaCorrelationTest.class);
  private static final String ID = "c3a8f2d1-9b24-4c61-8c4a-2a7c1b9c2f61";
  private static final String PARENT = "9f3c2b1f6a7a4c2f";
  private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final MockProducer<String, String> mockProducer =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  private final Producer<String, String> producer = kafka.producer(mockProducer);

  static String header(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    return header == null ? null : new String(header.value(), UTF_8);
  }

  static int countIgnoringCase(Headers headers, String key) {
    int count = 0;
    for (Header header : headers) {
      count += header.key().equalsIgnoreCase(key) ? 1 : 0;
    }
    return count;
  }

  static int count(Headers headers, String key) {
    int count = 0;
    for (Header header : headers.headers(key)) {
      count++;
    }
    return count;
  }

  // --- producer

  @Test
  void send_writes_the_current_correlation_and_its_parent() throws Exception {
    try (CorrelationScope scope = Baton.open(Correlation.of(ID, PARENT))) {
      producer.send(new ProducerRecord<>("orders", "k", "v"));
    }

    Headers sent = mockProducer.history().get(0).headers();
    assertThat(header(sent, "correlation_id")).isEqualTo(ID);
    assertThat(header(sent, "parent_correlation_id")).isEqualTo(PARENT);
  }

  @Test
  void send_without_a_correlation_starts_a_root_and_the_callback_logs_under_it() throws Exception {
    producer.send(new ProducerRecord<>("orders", "v"), (metadata, e) -> log.info("sent"));

    String id = header(mockProducer.history().get(0).headers(), "correlation_id");
    assertThat(Correlation.isValidId(id)).isTrue();
    assertThat(header(mockProducer.history().get(0).headers(), "parent_correlation_id")).isNull();
    assertThat(logs.withMessage("sent").get(0).correlationId()).isEqualTo(id);
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void callback_runs_inside_the_send_correlation_on_another_thread() throws Exception {
    MockProducer<String, String> manual =
        new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    Producer<String, String> wrapped = kafka.producer(manual);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<String> seen = new AtomicReference<>();
    try (CorrelationScope scope = Baton.open(Correlation.of(ID, null))) {
      wrapped.send(
          new ProducerRecord<>("orders", "v"),
          (metadata, e) -> {
            seen.set(MDC.get("correlation_id"));
            done.countDown();
          });
    }
    ExecutorService ioThread = Executors.newSingleThreadExecutor();
    try {
      ioThread.submit(() -> manual.completeNext()).get();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).hasValue(ID);
      assertThat(ioThread.submit(() -> MDC.get("correlation_id")).get()).isNull();
    } finally {
      ioThread.shutdown();
    }
  }

  @Test
  void send_keeps_a_valid_id_already_on_the_record_and_never_duplicates_it() throws Exception {
    ProducerRecord<String, String> retry = new ProducerRecord<>("orders", "v");
    retry.headers().add("correlation_id", ID.getBytes(UTF_8));
    retry.headers().add("correlation_id", ID.getBytes(UTF_8));

    try (CorrelationScope scope = Baton.openNew()) {
      producer.send(retry);
    }

    Headers sent = mockProducer.history().get(0).headers();
    assertThat(count(sent, "correlation_id")).isEqualTo(1);
    assertThat(header(sent, "correlation_id")).isEqualTo(ID);
  }

  @Test
  void send_replaces_conflicting_ids_on_the_record_by_the_current_one() throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "v");
    record.headers().add("correlation_id", "first-copy-0000000001".getBytes(UTF_8));
    record.headers().add("correlation_id", PARENT.getBytes(UTF_8));

    try (CorrelationScope scope = Baton.open(Correlation.of(ID, null))) {
      producer.send(record);
    }

    assertThat(count(record.headers(), "correlation_id")).isEqualTo(1);
    assertThat(header(record.headers(), "correlation_id")).isEqualTo(ID);
  }

  @Test
  void send_without_an_id_replaces_a_stale_parent_in_every_spelling_by_the_current_one() throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "v");
    record.headers().add("Parent_Correlation_Id", "stale-parent-0000000001".getBytes(UTF_8));
    record.headers().add("parent_correlation_id", "stale-parent-0000000002".getBytes(UTF_8));

    try (CorrelationScope scope = Baton.open(Correlation.of(ID, PARENT))) {
      producer.send(record);
    }

    assertThat(countIgnoringCase(record.headers(), "correlation_id")).isEqualTo(1);
    assertThat(countIgnoringCase(record.headers(), "parent_correlation_id")).isEqualTo(1);
    assertThat(header(record.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(header(record.headers(), "parent_correlation_id")).isEqualTo(PARENT);
  }

  @Test
  void poll_keeps_one_copy_of_a_parent_repeated_under_two_spellings() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("parent_correlation_id", PARENT.getBytes(UTF_8));
    record.headers().add("PARENT_CORRELATION_ID", PARENT.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(countIgnoringCase(polled.headers(), "parent_correlation_id")).isEqualTo(1);
    assertThat(header(polled.headers(), "parent_correlation_id")).isEqualTo(PARENT);
    assertThat(kafka.extract(polled)).isEqualTo(Correlation.of(ID, PARENT));
  }

  @Test
  void send_replaces_an_invalid_id_on_the_record() throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "v");
    record.headers().add("correlation_id", "bad\r\nvalue".getBytes(UTF_8));

    try (CorrelationScope scope = Baton.open(Correlation.of(ID, null))) {
      producer.send(record);
    }

    assertThat(count(record.headers(), "correlation_id")).isEqualTo(1);
    assertThat(header(record.headers(), "correlation_id")).isEqualTo(ID);
  }

  @Test
  void wrapping_twice_returns_the_same_wrapper() throws Exception {
    Consumer<String, String> consumer = kafka.consumer(new MockConsumer<>(OffsetResetStrategy.EARLIEST));

    assertThat(kafka.producer(producer)).isSameAs(producer);
    assertThat(kafka.consumer(consumer)).isSameAs(consumer);
  }

  // --- consumer

  /** A consumer to which {@code partitions} are assigned, from offset 0, so that forEach can seek. */
  static MockConsumer<String, String> assigned(org.apache.kafka.common.TopicPartition... partitions) {
    MockConsumer<String, String> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    mock.assign(List.of(partitions));
    Map<org.apache.kafka.common.TopicPartition, Long> beginning = new java.util.HashMap<>();
    for (org.apache.kafka.common.TopicPartition partition : partitions) {
      beginning.put(partition, 0L);
    }
    mock.updateBeginningOffsets(beginning);
    return mock;
  }

  private ConsumerRecords<String, String> poll(ConsumerRecord<String, String> record) {
    MockConsumer<String, String> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    mock.assign(List.of(ORDERS));
    mock.updateBeginningOffsets(Map.of(ORDERS, 0L));
    mock.addRecord(record);
    return kafka.consumer(mock).poll(Duration.ZERO);
  }

  private static ConsumerRecord<String, String> record(String value) {
    return new ConsumerRecord<>("orders", 0, 0L, "key", value);
  }

  @Test
  void a_record_object_sent_again_under_another_correlation_carries_that_correlation() {
    Correlation orderA = Correlation.of("order-a-000000000000001", null);
    Correlation orderB = Correlation.of("order-b-000000000000001", "click-b-0000000000000001");
    ProducerRecord<String, String> template = new ProducerRecord<>("orders", "receipt");
    ProducerRecord<String, String> callersOwn = new ProducerRecord<>("orders", "own");
    callersOwn.headers().add("correlation_id", ID.getBytes(UTF_8));

    try (CorrelationScope a = Baton.open(orderA)) {
      producer.send(template);
      producer.send(template);           // a retry in the same work keeps its ID
      producer.send(callersOwn);
    }
    try (CorrelationScope b = Baton.open(orderB)) {
      producer.send(template);           // the same object, sent as other work
      producer.send(callersOwn);         // an ID the caller set is kept
    }
    producer.send(template);             // outside any work: what the object holds is kept

    List<ProducerRecord<String, String>> sent = mockProducer.history();
    assertThat(sent).extracting(r -> header(r.headers(), "correlation_id")).containsExactly(
        orderA.id(), orderA.id(), ID, orderB.id(), ID, orderA.id());
    assertThat(header(sent.get(3).headers(), "parent_correlation_id")).isEqualTo(orderB.parentId().orElseThrow());
    assertThat(count(sent.get(3).headers(), "correlation_id")).isEqualTo(1);
    assertThat(sent.get(3).value()).isEqualTo("receipt");
  }

  @Test
  void every_method_of_the_wrappers_can_be_reflected_over_on_the_client_version_in_use() {
    // Spring AOP, CGLIB and Mockito spies walk every declared method of a class and its supers;
    // on kafka-clients 3.x a method with a 4.x-only type fails that with NoClassDefFoundError.
    MockConsumer<String, String> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    List<Class<?>> wrappers = List.of(kafka.consumer(mock).getClass(), producer.getClass());
    for (Class<?> wrapper : wrappers) {
      int methods = 0;
      for (Class<?> type = wrapper; type != null; type = type.getSuperclass()) {
        methods += type.getDeclaredMethods().length; // throws NoClassDefFoundError when broken
      }
      assertThat(methods).as(wrapper.getName()).isGreaterThan(15);
    }
    assertThat(kafka.consumer(mock).getClass().getSimpleName())
        .isEqualTo(kafka3() ? "CorrelatingConsumer3" : "CorrelatingConsumer4");
  }

  private static boolean kafka3() {
    try {
      Class.forName("org.apache.kafka.clients.consumer.CloseOptions");
      return false;
    } catch (ClassNotFoundException e) {
      return true;
    }
  }

  @Test
  void a_send_callback_that_throws_is_logged_once_under_the_records_correlation() {
    Correlation order = Correlation.of("order-a-000000000000001", "click-a-0000000000000001");
    IllegalStateException boom = new IllegalStateException("callback broke");
    try (CorrelationScope scope = Baton.open(order)) {
      try {
        producer.send(new ProducerRecord<>("orders", "v"), (metadata, e) -> {
          throw boom;
        });
      } catch (IllegalStateException e) {
        assertThat(e).isSameAs(boom); // MockProducer completes on the sending thread
      }
    }

    assertThat(logs.lines(line -> line.throwable() == boom)).singleElement().satisfies(line -> {
      assertThat(line.logger()).isEqualTo("io.baton.kafka");
      assertThat(line.correlationId()).isEqualTo(order.id());
      assertThat(line.parentCorrelationId()).isEqualTo(order.parentId().orElseThrow());
    });
  }

  @Test
  void a_differently_cased_id_header_is_carried_under_the_canonical_name_once() {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("Correlation_ID", ID.getBytes(UTF_8));
    record.headers().add("PARENT_correlation_id", PARENT.getBytes(UTF_8));
    ProducerRecord<String, String> outbound = new ProducerRecord<>("orders", "v");
    outbound.headers().add("CORRELATION_ID", "not valid".getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();
    producer.send(outbound);

    assertThat(header(polled.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(header(polled.headers(), "parent_correlation_id")).isEqualTo(PARENT);
    assertThat(countIgnoringCase(polled.headers(), "correlation_id")).isEqualTo(1);
    assertThat(countIgnoringCase(polled.headers(), "parent_correlation_id")).isEqualTo(1);
    Headers sent = mockProducer.history().get(0).headers();
    assertThat(countIgnoringCase(sent, "correlation_id")).isEqualTo(1);
    assertThat(header(sent, "correlation_id")).matches(Correlation::isValidId);
  }

  @Test
  void poll_keeps_a_valid_inbound_id() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("parent_correlation_id", PARENT.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(kafka.extract(polled)).isEqualTo(Correlation.of(ID, PARENT));
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void open_never_reads_the_value_of_another_header() throws Exception {
    // A consumed record's header copies its value out of the fetched batch when asked; one that
    // cannot (here: throws) must not cost the record its ID.
    ConsumerRecord<String, String> record = record("v");
    record.headers().add(new Header() {
      @Override
      public String key() {
        return "payload_digest";
      }

      @Override
      public byte[] value() {
        throw new IllegalStateException("value of another header read");
      }
    });
    record.headers().add("correlation_id", ID.getBytes(UTF_8));

    try (CorrelationScope scope = kafka.open(record)) {
      assertThat(MDC.get("correlation_id")).isEqualTo(ID);
    }
    assertThat(logs.lines()).isEmpty();
  }

  /** A header whose value cannot be read, as a consumed header whose copy out of the batch fails. */
  private static Header unreadable(String key) {
    return new Header() {
      @Override
      public String key() {
        return key;
      }

      @Override
      public byte[] value() {
        throw new IllegalStateException("value of " + key + " read");
      }
    };
  }

  @Test
  void a_parent_header_that_cannot_be_read_costs_only_the_parent() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add(unreadable("parent_correlation_id"));
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");
    sent.headers().add("correlation_id", ID.getBytes(UTF_8));
    sent.headers().add(unreadable("parent_correlation_id"));

    try (CorrelationScope scope = kafka.open(record)) {
      assertThat(MDC.get("correlation_id")).isEqualTo(ID);
      assertThat(MDC.get("parent_correlation_id")).isNull();
    }
    producer.send(sent, (metadata, exception) -> log.info("sent"));

    assertThat(header(record.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(header(mockProducer.history().get(0).headers(), "correlation_id")).isEqualTo(ID);
    assertThat(logs.fromLogger(KafkaCorrelationTest.class.getName()).get(0).mdc())
        .containsEntry("correlation_id", ID);
    assertThat(logs.fromLogger("io.baton")).isNotEmpty().extracting(CapturedLine::message)
        .allMatch(message -> message.startsWith("Dropped invalid parent_correlation_id (unreadable: "));
  }

  @Test
  void every_spelling_of_the_id_is_replaced_however_many_a_record_came_with() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    String name = "correlation_id";
    for (int spelling = 0; spelling < 100; spelling++) {
      StringBuilder key = new StringBuilder(name);
      for (int bit = 0; bit < 7; bit++) {
        if ((spelling >> bit & 1) == 1) {
          key.setCharAt(bit, Character.toUpperCase(name.charAt(bit)));
        }
      }
      record.headers().add(key.toString(), String.format("conflicting-id-%06d", spelling).getBytes(UTF_8));
    }

    Correlation first = kafka.extract(poll(record).iterator().next());
    Correlation again = kafka.extract(record);

    assertThat(countIgnoringCase(record.headers(), name)).isEqualTo(1);
    assertThat(again).isEqualTo(first);
    assertThat(first.id()).doesNotStartWith("conflicting-id-");
  }

  @Test
  void a_name_that_matches_only_by_unicode_case_folding_is_another_header() throws Exception {
    // "correlation_id" with a dotless i: String.equalsIgnoreCase calls it the same name.
    String lookalike = "correlat\u0131on_id";
    ConsumerRecord<String, String> record = record("v");
    record.headers().add(lookalike, ID.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(header(polled.headers(), lookalike)).isEqualTo(ID);
    assertThat(header(polled.headers(), "correlation_id")).isNotEqualTo(ID).matches(Correlation::isValidId);
  }

  @Test
  void poll_gives_a_record_without_id_exactly_one_fresh_id() throws Exception {
    ConsumerRecord<String, String> polled = poll(record("v")).iterator().next();

    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
    assertThat(Correlation.isValidId(header(polled.headers(), "correlation_id"))).isTrue();
    assertThat(polled.value()).isEqualTo("v");
  }

  @Test
  void poll_replaces_conflicting_duplicated_ids_by_one_fresh_id_with_a_warning() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("correlation_id", "other-valid-id-000001".getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
    assertThat(header(polled.headers(), "correlation_id"))
        .isNotIn(ID, "other-valid-id-000001")
        .matches(Correlation::isValidId);
    assertThat(logs.fromLogger("io.baton").get(0).message())
        .contains(ID + "\\u002cother-valid-id-000001");
  }

  @Test
  void ids_under_differently_cased_names_settle_on_one_id_that_stays() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("Correlation_ID", ID.getBytes(UTF_8));
    record.headers().add("correlation_id", PARENT.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();
    String settled = header(polled.headers(), "correlation_id");
    AtomicReference<String> inHandler = new AtomicReference<>();
    kafka.forEach(assigned(ORDERS), new ConsumerRecords<>(Map.of(ORDERS, List.of(polled))), r -> inHandler.set(MDC.get("correlation_id")));

    int spellings = 0;
    for (Header header : polled.headers()) {
      spellings += header.key().equalsIgnoreCase("correlation_id") ? 1 : 0;
    }
    assertThat(spellings).isEqualTo(1);
    assertThat(inHandler).hasValue(settled);
    assertThat(kafka.extract(polled).id()).isEqualTo(settled);
    assertThat(logs.fromLogger("io.baton")).hasSize(1);
  }

  @Test
  void an_alias_disagreeing_with_the_canonical_header_loses_and_an_invalid_parent_is_dropped() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("X-Correlation-ID", "alias-value-000000000001".getBytes(UTF_8));
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("parent_correlation_id", "${jndi:ldap://127.0.0.1/a}".getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(kafka.extract(polled)).isEqualTo(Correlation.of(ID, null));
    assertThat(polled.headers().lastHeader("parent_correlation_id")).as("removed").isNull();
    assertThat(logs.fromLogger("io.baton")).singleElement()
        .satisfies(line -> assertThat(line.message()).startsWith("Dropped invalid parent_correlation_id").doesNotContain("${"));
  }

  @Test
  void poll_collapses_agreeing_duplicated_ids_to_one() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));
    record.headers().add("correlation_id", ID.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
    assertThat(header(polled.headers(), "correlation_id")).isEqualTo(ID);
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void poll_reads_the_x_correlation_id_alias_and_writes_the_canonical_header() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("X-Correlation-Id", ID.getBytes(UTF_8));

    ConsumerRecord<String, String> polled = poll(record).iterator().next();

    assertThat(header(polled.headers(), "correlation_id")).isEqualTo(ID);
  }

  static Stream<CorrelationCorpus.Entry> corpus() {
    return CorrelationCorpus.entries().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void every_corpus_value_as_header_bytes_yields_one_valid_id_and_an_untouched_value(
      CorrelationCorpus.Entry entry) throws Exception {
    ConsumerRecord<String, String> record = record("payload-" + entry.name());
    record.headers().add("correlation_id", entry.bytes());

    ConsumerRecord<String, String> polled = poll(record).iterator().next();
    AtomicReference<String> inHandler = new AtomicReference<>();
    kafka.forEach(
        assigned(ORDERS),
        new ConsumerRecords<>(Map.of(ORDERS, List.of(polled))),
        r -> inHandler.set(MDC.get("correlation_id")));

    assertThat(polled.value()).isEqualTo("payload-" + entry.name());
    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
    String id = header(polled.headers(), "correlation_id");
    assertThat(inHandler).hasValue(id);
    assertThat(Correlation.isValidId(id)).isTrue();
    if (entry.valid()) {
      assertThat(id).isEqualTo(new String(entry.bytes(), UTF_8));
    } else {
      List<CapturedLine> warnings = logs.fromLogger("io.baton");
      assertThat(warnings).hasSize(entry.warned() ? 1 : 0);
      assertThat(warnings).allSatisfy(warning -> {
        assertThat(warning.message().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(warning.correlationId()).isEqualTo(id);
      });
    }
  }

  @Test
  void kafka_3_deprecated_methods_still_work_through_the_wrapper() throws Exception {
    MockConsumer<String, String> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    mock.assign(List.of(ORDERS));
    mock.updateBeginningOffsets(Map.of(ORDERS, 0L));
    mock.addRecord(record("v"));
    CorrelatingConsumer<String, String> wrapped = (CorrelatingConsumer<String, String>) kafka.consumer(mock);

    ConsumerRecord<String, String> polled = wrapped.poll(0L).iterator().next();
    mock.commitSync(Map.of(ORDERS, new org.apache.kafka.clients.consumer.OffsetAndMetadata(7)));

    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
    assertThat(wrapped.committed(ORDERS).offset()).isEqualTo(7);
    assertThat(wrapped.committed(ORDERS, Duration.ofSeconds(1)).offset()).isEqualTo(7);
  }

  @Test
  void kafka_3_poll_long_reaches_the_wrapped_consumers_own_poll_long() throws Exception {
    boolean kafka3 = java.util.Arrays.stream(Consumer.class.getMethods())
        .anyMatch(m -> m.getName().equals("poll") && m.getParameterTypes()[0] == long.class);
    java.util.concurrent.atomic.AtomicBoolean pollLong = new java.util.concurrent.atomic.AtomicBoolean();
    MockConsumer<String, String> mock = new MockConsumer<String, String>(OffsetResetStrategy.EARLIEST) {
      // On 3.x this overrides MockConsumer's poll(long); on 4.x nothing calls it.
      @SuppressWarnings("unused")
      public ConsumerRecords<String, String> poll(long timeoutMs) {
        pollLong.set(true);
        return super.poll(Duration.ofMillis(timeoutMs));
      }
    };
    mock.assign(List.of(ORDERS));
    mock.updateBeginningOffsets(Map.of(ORDERS, 0L));
    mock.addRecord(record("v"));
    CorrelatingConsumer<String, String> wrapped = (CorrelatingConsumer<String, String>) kafka.consumer(mock);

    ConsumerRecord<String, String> polled = wrapped.poll(0L).iterator().next();

    assertThat(pollLong.get()).as("the wrapped poll(long) ran (kafka-clients 3.x: %s)", kafka3).isEqualTo(kafka3);
    assertThat(count(polled.headers(), "correlation_id")).isEqualTo(1);
  }

  @Test
  void a_one_megabyte_header_costs_a_bounded_amount_of_work() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", "y".repeat(1 << 20).getBytes(UTF_8));
    kafka.extract(record); // warm up
    logs.clear();

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Correlation fresh = kafka.extract(record);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(fresh.id()).matches(Correlation::isValidId);
    assertThat(allocated).as("bytes allocated for one extraction").isLessThan(64 * 1024);
    assertThat(logs.fromLogger("io.baton").get(0).message()).contains("1048576 bytes");
  }

  // --- per-record scopes

  @Test
  void for_each_scopes_each_record_and_closes_the_scope_when_the_handler_throws() throws Exception {
    ConsumerRecord<String, String> first = record("first");
    first.headers().add("correlation_id", ID.getBytes(UTF_8));
    ConsumerRecord<String, String> second = new ConsumerRecord<>("orders", 0, 1L, "key", "second");
    second.headers().add("correlation_id", PARENT.getBytes(UTF_8));
    ConsumerRecords<String, String> records =
        new ConsumerRecords<>(Map.of(ORDERS, List.of(first, second)));

    assertThatThrownBy(
            () ->
                kafka.forEach(
                    assigned(ORDERS),
                    records,
                    r -> {
                      log.info("handling {}", r.value());
                      if (r.value().equals("second")) {
                        throw new IllegalStateException("payment failed");
                      }
                    }))
        .hasMessage("payment failed");

    assertThat(logs.withMessage("handling first").get(0).correlationId()).isEqualTo(ID);
    assertThat(logs.withMessage("handling second").get(0).correlationId()).isEqualTo(PARENT);
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void open_restores_what_was_current_before() throws Exception {
    ConsumerRecord<String, String> record = record("v");
    record.headers().add("correlation_id", ID.getBytes(UTF_8));

    try (CorrelationScope outer = Baton.open(Correlation.of(PARENT, null))) {
      try (CorrelationScope scope = kafka.open(record)) {
        assertThat(MDC.get("correlation_id")).isEqualTo(ID);
      }
      assertThat(MDC.get("correlation_id")).isEqualTo(PARENT);
    }
  }
}
