package io.baton.kafka.streams;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.kafka.KafkaCorrelation;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What every wrapped processor, punctuator and exception handler of one configuration shares: the
 * Kafka header rules (from the kafka module, which takes them from core) and how failures are
 * logged.
 */
final class StreamsCorrelation {

  static final Logger LOG = LoggerFactory.getLogger("io.baton.kafka.streams");

  /** The level of Baton's failure line: ERROR (default), WARN, INFO, DEBUG, TRACE or OFF. */
  static final String FAILURE_LOG_CONFIG = "baton.failure.log";

  /** Kafka's own marker for a failure a downstream node's exception handler already saw. */
  private static final String DOWNSTREAM_FAILURE =
      "org.apache.kafka.streams.errors.internals.FailedProcessingException";

  private static final StreamsCorrelation DEFAULTS =
      new StreamsCorrelation(KafkaCorrelation.create(), FailureLog.defaults());

  final KafkaCorrelation kafka;
  final FailureLog failureLog;

  private StreamsCorrelation(KafkaCorrelation kafka, FailureLog failureLog) {
    this.kafka = kafka;
    this.failureLog = failureLog;
  }

  static StreamsCorrelation defaults() {
    return DEFAULTS;
  }

  /** From the Streams properties; an unknown failure-log level is warned about and ignored. */
  static StreamsCorrelation from(Map<String, ?> configs) {
    Object level = configs == null ? null : configs.get(FAILURE_LOG_CONFIG);
    if (level == null || level.toString().isBlank()) {
      return DEFAULTS;
    }
    String name = level.toString().trim().toUpperCase(Locale.ROOT);
    FailureLog failureLog;
    if (name.equals("OFF")) {
      failureLog = FailureLog.off();
    } else {
      try {
        failureLog = FailureLog.at(Level.valueOf(name));
      } catch (IllegalArgumentException e) {
        LOG.warn("Ignored {}={}: not one of ERROR, WARN, INFO, DEBUG, TRACE, OFF",
            FAILURE_LOG_CONFIG, Baton.printable(level.toString()));
        return DEFAULTS;
      }
    }
    return new StreamsCorrelation(KafkaCorrelation.newBuilder().failureLog(failureLog).build(), failureLog);
  }

  CorrelationPropagator propagator() {
    return kafka.propagator();
  }

  /**
   * Opens the correlation of a record a processor is given. A record arriving from a source topic,
   * a cache flush or any other place outside a correlation gets exactly one valid ID (missing or
   * invalid: a fresh one, warned about sanitized when invalid). A record handed on by a processor
   * that runs in a correlation keeps a valid ID of its own and otherwise takes that correlation:
   * a record built fresh in {@code process} (empty headers) belongs to the record being processed.
   */
  CorrelationScope open(Headers headers) {
    Optional<Correlation> current = Baton.current();
    if (current.isEmpty()) {
      return kafka.propagator().open(kafka.normalize(headers));
    }
    if (carries(headers, current.get())) {
      // the next node of a sub-topology, given the record the one before it ran in (its headers
      // were made right there): nothing to change, so no walk and no MDC writes
      return UNCHANGED;
    }
    return kafka.propagator().open(kafka.inject(headers));
  }

  private static final CorrelationScope UNCHANGED = () -> {};

  /** Whether the last ID and parent headers are exactly {@code correlation}'s. */
  private boolean carries(Headers headers, Correlation correlation) {
    CorrelationPropagator propagator = kafka.propagator();
    return holds(headers.lastHeader(propagator.idHeader()), correlation.id())
        && holds(headers.lastHeader(propagator.parentHeader()), correlation.parentId().orElse(null));
  }

  /** Whether {@code header} holds {@code value} (an ID: ASCII), or is absent when it is null. */
  private static boolean holds(Header header, String value) {
    if (header == null || value == null) {
      return header == null && value == null;
    }
    byte[] bytes = header.value();
    if (bytes == null || bytes.length != value.length()) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != value.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A record about to be forwarded keeps a valid ID, else takes the current correlation's. */
  void forwarding(Headers headers) {
    kafka.inject(headers);
  }

  /** Punctuator {@code punctuator} bound to the correlation current now (or to none). */
  Punctuator punctuator(Punctuator punctuator, String processor) {
    if (punctuator instanceof CorrelatingPunctuator) {
      return punctuator;
    }
    return new CorrelatingPunctuator(
        punctuator, Baton.current().orElse(null), processor, this);
  }

  /**
   * Logs a processor's failure once, under the current correlation; a failure that only passes
   * through (a downstream node failed, and its handler saw it) is not logged again.
   */
  void processorFailed(Throwable failure, String processor, ProcessingContext context) {
    if (failure.getClass().getName().equals(DOWNSTREAM_FAILURE)) {
      return;
    }
    failureLog.log(LOG, failure, "Processor {} failed on {}", Baton.printable(processor), describe(context));
  }

  /** topic-partition@offset of the record being processed, when Kafka knows it. */
  static String describe(ProcessingContext context) {
    if (context == null) {
      return "a record";
    }
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    if (metadata == null || metadata.topic() == null) {
      return "a record";
    }
    return Baton.printable(metadata.topic()) + "-" + metadata.partition() + "@" + metadata.offset();
  }

  /**
   * Whether {@code processor} is one of Kafka's own (the DSL's): those cast the context they are
   * given to Kafka's internal context type, so they get it unchanged. They forward the record they
   * were given, or a copy with its headers, which keeps its ID; a wrapped processor downstream of
   * them handles whatever else they forward.
   */
  static boolean isKafkasOwn(Object processor) {
    return processor.getClass().getName().startsWith("org.apache.kafka.streams.");
  }
}
