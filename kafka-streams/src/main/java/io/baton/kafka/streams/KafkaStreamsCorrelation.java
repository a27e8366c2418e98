package io.baton.kafka.streams;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * Correlation for Kafka Streams: a {@link ProcessorWrapper} (KIP-1112, Kafka Streams 4.0+) that
 * Kafka applies to every processor of a topology, DSL and Processor API alike. Named by class in
 * the Streams properties, so it works from a config file, and those properties must reach the
 * topology itself:
 *
 * <pre>{@code
 * props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, KafkaStreamsCorrelation.class.getName());
 * StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
 * // ... the topology ...
 * KafkaStreams streams = new KafkaStreams(builder.build(), props);
 * }</pre>
 *
 * <p>(or {@code new Topology(new TopologyConfig(...))} for the Processor API). Given only to
 * {@code new KafkaStreams(...)}, {@code processor.wrapper.class} has no effect: Kafka wraps
 * processors while the topology is built. {@link CorrelationExceptionHandler}, when configured,
 * warns at start-up about a topology built without it.
 *
 * <ul>
 *   <li>Each processor's {@code process(record)} runs inside the record's correlation, from its
 *       headers by Baton's rules (missing or invalid: a fresh ID, an invalid value warned about
 *       only sanitized), and the MDC is restored after, also when the processor throws. The
 *       record's headers are left holding exactly one valid {@code correlation_id}, so what Kafka
 *       writes from them (output and repartition topics, the dead-letter queue, a table's
 *       downstream records) carries it.
 *   <li>A record a processor forwards keeps a valid ID of its own (the input, or a copy with its
 *       headers); a record built fresh in {@code process} gets the current correlation's headers.
 *   <li>A punctuator scheduled from a processor runs each punctuation in a fresh child of the
 *       correlation it was scheduled in, or a fresh root when scheduled in {@code init}.
 *   <li>A processor that throws is logged once, with the stack trace, under the record's ID (logger
 *       {@code io.baton.kafka.streams}); then the exception goes on to Kafka unchanged. {@code
 *       baton.failure.log} sets the level: ERROR (default), WARN, INFO, DEBUG, TRACE or OFF.
 * </ul>
 */
public final class KafkaStreamsCorrelation implements ProcessorWrapper {

  /** The applications (by {@code application.id}) a Baton wrapper wrapped processors for. */
  private static final Set<String> WRAPPED_APPLICATIONS = ConcurrentHashMap.newKeySet();

  private StreamsCorrelation streams = StreamsCorrelation.defaults();
  private String applicationId;

  /** The instance Kafka creates from {@code processor.wrapper.class}; configured by {@link #configure}. */
  public KafkaStreamsCorrelation() {}

  /**
   * Reads Baton's options ({@code baton.failure.log}) from the topology's configuration.
   *
   * @param configs the topology's configuration
   */
  @Override
  public void configure(Map<String, ?> configs) {
    streams = StreamsCorrelation.from(configs);
    Object id = configs == null ? null : configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    applicationId = id == null ? null : id.toString();
  }

  /**
   * The processors of {@code processorSupplier}, each handling records inside their correlation.
   *
   * @param <KIn> the input key type
   * @param <VIn> the input value type
   * @param <KOut> the output key type
   * @param <VOut> the output value type
   * @param processorName the processor's name in the topology
   * @param processorSupplier the DSL's or the user's supplier
   * @return the correlating supplier, or {@code processorSupplier} when it is one already
   */
  @Override
  public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
      String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> processorSupplier) {
    Objects.requireNonNull(processorSupplier, "processorSupplier");
    wrapped();
    if (processorSupplier instanceof CorrelatingProcessorSupplier) {
      return (CorrelatingProcessorSupplier<KIn, VIn, KOut, VOut>) processorSupplier;
    }
    return new CorrelatingProcessorSupplier<>(processorSupplier, processorName, streams);
  }

  /**
   * Like {@link #wrapProcessorSupplier}, for the fixed-key processors ({@code processValues}, and
   * the DSL's value operations).
   *
   * @param <KIn> the key type
   * @param <VIn> the input value type
   * @param <VOut> the output value type
   * @param processorName the processor's name in the topology
   * @param processorSupplier the DSL's or the user's supplier
   * @return the correlating supplier, or {@code processorSupplier} when it is one already
   */
  @Override
  public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
      String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> processorSupplier) {
    Objects.requireNonNull(processorSupplier, "processorSupplier");
    wrapped();
    if (processorSupplier instanceof CorrelatingFixedKeyProcessorSupplier) {
      return (CorrelatingFixedKeyProcessorSupplier<KIn, VIn, VOut>) processorSupplier;
    }
    return new CorrelatingFixedKeyProcessorSupplier<>(processorSupplier, processorName, streams);
  }

  private void wrapped() {
    if (applicationId != null) {
      WRAPPED_APPLICATIONS.add(applicationId);
    }
  }

  /** Whether a topology of {@code applicationId} was built with this wrapper in this JVM. */
  static boolean wrappedFor(String applicationId) {
    return WRAPPED_APPLICATIONS.contains(applicationId);
  }
}
