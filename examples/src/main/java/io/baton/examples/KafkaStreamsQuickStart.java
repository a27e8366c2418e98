package io.baton.examples;

import io.baton.kafka.streams.CorrelationExceptionHandler;
import io.baton.kafka.streams.KafkaStreamsCorrelation;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's Kafka Streams section: the wrapper, where its configuration goes, the handlers. */
public final class KafkaStreamsQuickStart {

  private static final Logger log = LoggerFactory.getLogger(KafkaStreamsQuickStart.class);

  private KafkaStreamsQuickStart() {}

  /** Every processor of the topology runs in its record's correlation. */
  public static KafkaStreams start(Properties props) {
    props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
    // optional: Kafka's exception handlers log, and dead-letter, under the failing record's ID
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CorrelationExceptionHandler.class.getName());
    props.put("baton.processing.exception.handler", LogAndContinueProcessingExceptionHandler.class.getName());

    // the one place the wrapper takes effect: the topology's own configuration
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.<String, String>stream("orders")
        .mapValues(order -> {
          log.info("pricing {}", order);                  // MDC: the record's correlation_id
          return order + " priced";
        })
        .process(Receipts::new)                            // records it builds keep the ID
        .to("receipts");                                   // so does every output record
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    return streams;
  }

  /** A Processor-API node: new records and a punctuator, in the correlation they belong to. */
  static final class Receipts extends ContextualProcessor<String, String, String, String> {
    @Override
    public void init(ProcessorContext<String, String> context) {
      super.init(context);
      // each punctuation: a fresh root here (scheduled in init); a child when scheduled in process
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME,
          now -> log.info("receipts sweep"));
    }

    @Override
    public void process(Record<String, String> order) {
      log.info("receipt for {}", order.key());             // the order's correlation_id
      context().forward(new Record<>(order.key(), "receipt: " + order.value(), order.timestamp()));
    }
  }

  /** Properties for {@link #start}; serdes and state for the example. */
  public static Properties props(String bootstrapServers, String applicationId, String stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    return props;
  }
}
