package io.baton.kafka.streams;

import static io.baton.kafka.streams.StreamsTesting.values;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Correlation;
import io.baton.brokers.EmbeddedKafka;
import io.baton.testing.CapturedLine;
import io.baton.testing.CorrelationCorpus;
import io.baton.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DSL and Processor-API topology on the embedded broker: what each processor logged under, and
 * which IDs the output, repartition and aggregation records carry.
 */
class KafkaStreamsCorrelationIT {

  private static final Logger log = LoggerFactory.getLogger("orders-app");

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Order key -> the correlation_id the order was sent with (null: none). */
  private final Map<String, byte[][]> sentIds = new LinkedHashMap<>();

  @Test
  void every_processor_and_every_output_record_carries_its_input_records_id() throws Exception {
    List<String> topics = EmbeddedKafka.topics("orders", "customers", "enriched", "totals");
    String orders = topics.get(0);
    String customers = topics.get(1);
    String enrichedTopic = topics.get(2);
    String totals = topics.get(3);
    Properties props = StreamsTesting.props();
    String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);

    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    KTable<String, String> names = builder.table(customers);
    KStream<String, String> enriched = builder.<String, String>stream(orders)
        .mapValues(order -> {
          log.info("checking {}", orderOf(order));
          return order;
        })
        .filter((key, order) -> {
          log.info("filtering {}", orderOf(order));
          return !order.endsWith(",0");
        })
        .selectKey((key, order) -> {
          log.info("keying {} by customer", orderOf(order));
          return customerOf(order);
        })
        .join(names, (order, name) -> {
          log.info("joining {} with {}", orderOf(order), name);
          return order + "," + name;
        })
        .processValues(() -> new ContextualFixedKeyProcessor<String, String, String>() {
          @Override
          public void process(FixedKeyRecord<String, String> record) {
            log.info("auditing {}", orderOf(record.value()));
            context().forward(record.withValue(record.value() + ",audited"));
          }
        });
    enriched.process(Receipts::new).to(enrichedTopic);
    enriched.groupByKey()
        .aggregate(() -> "", (customer, order, total) -> {
          log.info("adding {}", orderOf(order));
          return total + "|" + orderOf(order);
        }, Materialized.with(Serdes.String(), Serdes.String()))
        .toStream()
        .to(totals);

    try (KafkaProducer<String, String> producer = EmbeddedKafka.rawProducer()) {
      producer.send(new ProducerRecord<>(customers, "c1", "Alice")).get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(customers, "c2", "Bob")).get(30, TimeUnit.SECONDS);
    }
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      StreamsTesting.awaitRunning(streams);
      try (KafkaProducer<String, byte[]> producer = bytesProducer()) {
        send(producer, orders, "o1", "c1,10", Correlation.newRoot().id());
        send(producer, orders, "o2", "c2,20", Correlation.newRoot().id());
        send(producer, orders, "o3", "c1,0", Correlation.newRoot().id()); // filtered out
        send(producer, orders, "o4", "c1,30", Correlation.newRoot().id());
        sendWith(producer, orders, "o5", "c2,40"); // no header
        int n = 6;
        for (CorrelationCorpus.Entry entry : CorrelationCorpus.entries()) {
          if (!entry.valid() && entry.bytes().length < 64 * 1024) { // a 1 MB header exceeds the request size
            send(producer, orders, "o" + n++, "c1," + n, entry.bytes());
          }
        }
        // the same name twice, disagreeing
        sendWith(producer, orders, "o" + n, "c2," + n, Correlation.newRoot().id().getBytes(UTF_8),
            Correlation.newRoot().id().getBytes(UTF_8));
      }
      int passing = sentIds.size() - 1;

      List<ConsumerRecord<String, String>> outputs;
      List<ConsumerRecord<String, String>> sums;
      try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(enrichedTopic)) {
        // each passing order's receipt, the first order's reminder, and one tick
        outputs = EmbeddedKafka.pollUntil(consumer, r -> {}, passing + 2);
      }
      try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(totals)) {
        sums = EmbeddedKafka.pollUntil(consumer, r -> {}, passing);
      }
      List<ConsumerRecord<String, String>> repartitioned = repartitionRecords(applicationId, passing);

      Map<String, String> idOf = new HashMap<>();
      for (ConsumerRecord<String, String> receipt : outputs) {
        assertThat(values(receipt.headers(), "correlation_id")).as("headers of %s", receipt.value()).hasSize(1);
        String id = values(receipt.headers(), "correlation_id").get(0);
        assertThat(Correlation.isValidId(id)).isTrue();
        if (receipt.value().startsWith("receipt")) {
          idOf.put(orderOf(receipt.value()), id);
        }
      }
      assertThat(idOf).hasSize(passing).doesNotContainKey("o3");

      for (String order : idOf.keySet()) {
        String id = idOf.get(order);
        byte[][] sent = sentIds.get(order);
        if (sent.length == 1 && sent[0] != null && Correlation.isValidId(new String(sent[0], UTF_8))) {
          assertThat(id).as("the ID %s was sent with", order).isEqualTo(new String(sent[0], UTF_8));
        } else {
          assertThat(id).as("a fresh ID for %s", order).isNotIn(allSent());
        }
        // every processor's line about the order, the DSL's and the Processor API's
        List<CapturedLine> lines = logs.lines(line -> line.message().matches(".* " + order + "( .*)?")
            && !line.message().startsWith("reminding"));
        assertThat(lines).extracting(CapturedLine::message).hasSize(7);
        assertThat(lines).as("lines about %s", order).allSatisfy(line -> {
          assertThat(line.correlationId()).isEqualTo(id);
          assertThat(line.parentCorrelationId()).isNull();
        });
      }
      // a fresh ID, once per record: hostile values were replaced, not spread
      assertThat(new java.util.HashSet<>(idOf.values())).hasSize(passing);

      // the order's ID in the repartition topic and in the aggregation's output
      for (ConsumerRecord<String, String> record : repartitioned) {
        assertThat(values(record.headers(), "correlation_id")).containsExactly(idOf.get(orderOf(record.value())));
      }
      for (ConsumerRecord<String, String> sum : sums) {
        String last = sum.value().substring(sum.value().lastIndexOf('|') + 1);
        assertThat(values(sum.headers(), "correlation_id")).as("total after %s", last)
            .containsExactly(idOf.get(last));
      }

      // the punctuator scheduled while o1 was processed: a child of o1's correlation
      ConsumerRecord<String, String> reminder = only(outputs, "reminder");
      String reminderId = values(reminder.headers(), "correlation_id").get(0);
      assertThat(values(reminder.headers(), "parent_correlation_id")).containsExactly(idOf.get("o1"));
      CapturedLine reminded = logs.withMessage("reminding o1").get(0);
      assertThat(reminded.correlationId()).isEqualTo(reminderId);
      assertThat(reminded.parentCorrelationId()).isEqualTo(idOf.get("o1"));
      // the punctuator scheduled in init: a fresh root per punctuation
      ConsumerRecord<String, String> tick = only(outputs, "tick");
      String tickId = values(tick.headers(), "correlation_id").get(0);
      assertThat(tick.headers().lastHeader("parent_correlation_id")).isNull();
      assertThat(logs.withMessage("tick")).first().satisfies(line -> {
        assertThat(line.correlationId()).isEqualTo(tickId);
        assertThat(line.parentCorrelationId()).isNull();
      });
      assertThat(idOf.values()).doesNotContain(tickId);

      // invalid values were warned about, sanitized, under the fresh ID the record then had
      List<CapturedLine> warnings = logs.lines(line -> line.message().startsWith("Replaced invalid correlation_id"));
      assertThat(warnings).isNotEmpty().allSatisfy(line -> assertThat(idOf).containsValue(line.correlationId()));
    }
    // the stream thread held none of Baton's keys between records
    assertThat(StreamsTesting.MdcProbe.seenBy(applicationId)).isNotEmpty().containsOnly("null/null");
  }

  /** Builds a new record for each order (empty headers), and schedules two punctuators. */
  private static final class Receipts extends ContextualProcessor<String, String, String, String> {
    private final AtomicBoolean ticked = new AtomicBoolean();
    private Cancellable reminder;

    @Override
    public void init(ProcessorContext<String, String> context) {
      super.init(context);
      context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
        if (ticked.compareAndSet(false, true)) {
          log.info("tick");
          context.forward(new Record<>("tick", "tick", now));
        }
      });
    }

    @Override
    public void process(Record<String, String> record) {
      String order = orderOf(record.value());
      log.info("receipt for {}", order);
      context().forward(new Record<>(record.key(), "receipt," + record.value(), record.timestamp()));
      if (order.equals("o1")) {
        reminder = context().schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
          log.info("reminding o1");
          context().forward(new Record<>("reminder", "reminder,o1", now));
          reminder.cancel();
        });
      }
    }
  }

  private static ConsumerRecord<String, String> only(List<ConsumerRecord<String, String>> records, String prefix) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      if (record.value().startsWith(prefix)) {
        found.add(record);
      }
    }
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private List<String> allSent() {
    List<String> all = new ArrayList<>();
    for (byte[][] ids : sentIds.values()) {
      for (byte[] id : ids) {
        if (id != null) {
          all.add(new String(id, UTF_8));
        }
      }
    }
    return all;
  }

  /** The records of the application's one repartition topic (before the join). */
  private static List<ConsumerRecord<String, String>> repartitionRecords(String applicationId, int count)
      throws Exception {
    String repartition;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers()))) {
      repartition = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(name -> name.startsWith(applicationId) && name.endsWith("-repartition"))
          .findFirst().orElseThrow();
    }
    try (KafkaConsumer<String, String> consumer = EmbeddedKafka.rawConsumer(repartition)) {
      return EmbeddedKafka.pollUntil(consumer, r -> {}, count);
    }
  }

  /** Values are "order,customer,amount[,...]"; the sent key is the order. */
  private static String orderOf(String value) {
    String[] parts = value.split(",");
    for (String part : parts) {
      if (part.matches("o[0-9]+")) {
        return part;
      }
    }
    return value;
  }

  private static String customerOf(String value) {
    return value.split(",")[1];
  }

  private static KafkaProducer<String, byte[]> bytesProducer() {
    Map<String, Object> config = EmbeddedKafka.producerConfig();
    config.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    return new KafkaProducer<>(config);
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, String order, String value, String id)
      throws Exception {
    send(producer, topic, order, value, id.getBytes(UTF_8));
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, String order, String value, byte[] id)
      throws Exception {
    sendWith(producer, topic, order, value, id);
  }

  private void sendWith(KafkaProducer<String, byte[]> producer, String topic, String order, String value, byte[]... ids)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    for (byte[] id : ids) {
      headers.add("correlation_id", id);
    }
    sentIds.put(order, ids.length == 0 ? new byte[][] {null} : ids);
    producer.send(new ProducerRecord<>(topic, null, order, (order + "," + value).getBytes(UTF_8), headers))
        .get(30, TimeUnit.SECONDS);
  }
}
