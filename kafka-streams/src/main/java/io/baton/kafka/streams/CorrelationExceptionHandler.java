package io.baton.kafka.streams;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Runs Kafka Streams' exception handlers inside the failing record's correlation, so that what
 * they log carries the record's ID, and leaves the record's headers holding exactly one valid
 * {@code correlation_id}, so that a dead-letter record built from them (KIP-1034, {@code
 * errors.dead.letter.queue.topic.name}) keeps it. Named by class, for any of the three handlers:
 *
 * <pre>
 * deserialization.exception.handler=io.baton.kafka.streams.CorrelationExceptionHandler
 * processing.exception.handler=io.baton.kafka.streams.CorrelationExceptionHandler
 * production.exception.handler=io.baton.kafka.streams.CorrelationExceptionHandler
 * # optional: the handlers that decide, run inside the correlation (defaults: Kafka's)
 * baton.deserialization.exception.handler=org.apache.kafka.streams.errors.LogAndContinueExceptionHandler
 * baton.processing.exception.handler=org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler
 * baton.production.exception.handler=org.apache.kafka.streams.errors.DefaultProductionExceptionHandler
 * </pre>
 *
 * <p>The handler that decides is the one under the {@code baton.} key, or Kafka's default for that
 * role ({@code LogAndFailExceptionHandler}, {@code LogAndFailProcessingExceptionHandler}, {@code
 * DefaultProductionExceptionHandler}); its answer is returned unchanged. A processing failure Baton
 * logged is handled in the correlation it happened in (a punctuation's too); any other failure in
 * the correlation of the headers Kafka gives ({@link ErrorHandlerContext#headers()}, or the record
 * being produced).
 *
 * <p>At start-up it also warns, once per application, when {@code processor.wrapper.class} names
 * {@link KafkaStreamsCorrelation} but no topology of this {@code application.id} was built with
 * it in this JVM: the setting then went to {@code KafkaStreams} only, where it has no effect.
 */
public final class CorrelationExceptionHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

  private static final String DESERIALIZATION = "baton." + StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG;
  private static final String PROCESSING = "baton." + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG;
  private static final String PRODUCTION = "baton." + StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG;

  /** Applications warned about already: once each. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private Map<String, ?> configs = Map.of();
  private StreamsCorrelation streams = StreamsCorrelation.defaults();
  /** Each role's delegate, made on first use (Kafka makes one instance per role), once. */
  private DeserializationExceptionHandler deserialization;
  private ProcessingExceptionHandler processing;
  private ProductionExceptionHandler production;

  /** The instance Kafka creates from the handler properties; configured by {@link #configure}. */
  public CorrelationExceptionHandler() {}

  /**
   * Takes the Streams properties, for the delegates and Baton's options, and warns when the
   * processor wrapper was configured where it has no effect.
   *
   * @param configs the Streams properties
   */
  @Override
  public void configure(Map<String, ?> configs) {
    this.configs = configs == null ? Map.of() : new HashMap<>(configs);
    this.streams = StreamsCorrelation.from(configs);
    warnIfNotWrapped(this.configs);
  }

  /**
   * Hands a record that could not be deserialized to the deserialization delegate, inside the
   * record's correlation.
   *
   * @param context where the record came from, with its headers
   * @param record the raw record
   * @param exception what the deserializer threw
   * @return the delegate's answer
   */
  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    try (CorrelationScope scope = openAndMark(exception, context.headers())) {
      return deserialization().handleError(context, record, exception);
    }
  }

  /**
   * Hands a processor's failure to the processing delegate, inside the correlation it failed in.
   *
   * @param context where the record came from, with its headers
   * @param record the record being processed
   * @param exception what the processor threw
   * @return the delegate's answer
   */
  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    try (CorrelationScope scope = openAndMark(exception, context.headers())) {
      return processing().handleError(context, record, exception);
    }
  }

  /**
   * Hands a failed send to the production delegate, inside the produced record's correlation.
   *
   * @param context where the record came from
   * @param record the record that could not be sent
   * @param exception what the producer reported
   * @return the delegate's answer
   */
  @Override
  public ProductionExceptionHandler.Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    try (CorrelationScope scope = open(exception, headers(context, record))) {
      return production().handleError(context, record, exception);
    }
  }

  /**
   * Hands a record that could not be serialized to the production delegate, inside its
   * correlation.
   *
   * @param context where the record came from
   * @param record the record that could not be serialized
   * @param exception what the serializer threw
   * @param origin whether the key or the value failed
   * @return the delegate's answer
   */
  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandler.Response handleSerializationError(
      ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    try (CorrelationScope scope = open(exception, headers(context, record))) {
      return production().handleSerializationError(context, record, exception, origin);
    }
  }

  private static Headers headers(ErrorHandlerContext context, ProducerRecord<?, ?> record) {
    return record != null ? record.headers() : context == null ? null : context.headers();
  }

  /**
   * {@link #open}, and makes the headers Kafka builds a dead letter from say that correlation: a
   * fixed-key processor (the DSL's value operations) handled a copy of them, so a record that came
   * without a valid ID is still without one there.
   */
  private CorrelationScope openAndMark(Exception failure, Headers headers) {
    CorrelationScope scope = open(failure, headers);
    if (headers != null) {
      streams.forwarding(headers);
    }
    return scope;
  }

  /**
   * Where Baton logged {@code failure} (a processor's, a punctuation's), that correlation again;
   * else the headers', or nothing when there are none.
   */
  private CorrelationScope open(Exception failure, Headers headers) {
    Optional<Correlation> before = Baton.current();
    CorrelationScope failed = Baton.openFailed(failure);
    if (!Baton.current().equals(before)) {
      return failed;
    }
    failed.close();
    return headers == null ? Baton.openEmpty() : streams.open(headers);
  }

  private synchronized DeserializationExceptionHandler deserialization() {
    if (deserialization == null) {
      deserialization = create(DESERIALIZATION, DeserializationExceptionHandler.class, LogAndFailExceptionHandler.class);
    }
    return deserialization;
  }

  private synchronized ProcessingExceptionHandler processing() {
    if (processing == null) {
      processing = create(PROCESSING, ProcessingExceptionHandler.class, LogAndFailProcessingExceptionHandler.class);
    }
    return processing;
  }

  private synchronized ProductionExceptionHandler production() {
    if (production == null) {
      production = create(PRODUCTION, ProductionExceptionHandler.class, DefaultProductionExceptionHandler.class);
    }
    return production;
  }

  /** The delegate named under {@code key} (a class or its name), else {@code fallback}, configured. */
  private <T extends Configurable> T create(String key, Class<T> role, Class<? extends T> fallback) {
    Object named = configs.get(key);
    Class<? extends T> type;
    try {
      if (named == null || named.toString().isBlank()) {
        type = fallback;
      } else if (named instanceof Class<?> c) {
        type = c.asSubclass(role);
      } else {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        type = Class.forName(named.toString().trim(), true,
            loader != null ? loader : CorrelationExceptionHandler.class.getClassLoader()).asSubclass(role);
      }
      if (type == CorrelationExceptionHandler.class) {
        throw new IllegalArgumentException(key + " names Baton's handler itself; name the handler that decides");
      }
      T handler = type.getDeclaredConstructor().newInstance();
      handler.configure(configs);
      return handler;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("Cannot create the " + role.getSimpleName() + " named by " + key, e);
    }
  }

  /**
   * One WARN per application whose Streams properties name Baton's wrapper when no topology of
   * that application was built with it: the properties reached {@code KafkaStreams} only.
   */
  static void warnIfNotWrapped(Map<String, ?> configs) {
    Object wrapper = configs.get(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG);
    Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    if (wrapper == null || applicationId == null || !namesBaton(wrapper)) {
      return;
    }
    String id = applicationId.toString();
    if (KafkaStreamsCorrelation.wrappedFor(id) || !WARNED.add(id)) {
      return;
    }
    StreamsCorrelation.LOG.warn("Application {} names {} in processor.wrapper.class, but no topology of it was "
        + "built with it, so no processor runs in its record's correlation: give the properties to the "
        + "topology, new StreamsBuilder(new TopologyConfig(new StreamsConfig(props))) or "
        + "new Topology(new TopologyConfig(...)); in new KafkaStreams(topology, props) alone the setting "
        + "has no effect", Baton.printable(id), KafkaStreamsCorrelation.class.getName());
  }

  private static boolean namesBaton(Object wrapper) {
    String name = wrapper instanceof Class<?> c ? c.getName() : wrapper.toString().trim();
    return name.equals(KafkaStreamsCorrelation.class.getName());
  }
}
