package io.baton.benchmarks;

import brave.Span;
import brave.Tracer;
import brave.Tracer.SpanInScope;
import brave.Tracing;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.kafka.clients.KafkaTracing;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.kafka.KafkaCorrelation;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Per-message cost of carrying a trace/correlation context through Kafka, for four contenders,
 * against one fake (no-op, synchronous) Kafka client. One op = one message: the producer side
 * creates a record and sends it (non-null callback) through the contender's producer wrapper; the
 * consumer side builds a ConsumerRecord with a copy of the headers the producer side wrote and
 * handles it "in context" (MDC set, handler run, context closed/restored).
 *
 * <ul>
 *   <li>{@code raw}: no propagation (floor). {@code rawPolled}: the same, but the consumer side goes
 *       through the fake consumer's {@code poll} + iteration, the floor for {@code otel}.
 *   <li>{@code baton}: {@code KafkaCorrelation.producer(..)} + {@code kafka.open(record)};
 *       {@code batonInScope}: the same, sending inside a Baton scope opened for the whole trial.
 *       {@code produceBaton}/{@code consumeBaton} and {@code produceMinimum}/{@code
 *       consumeMinimum}: each half of {@code baton} and {@code minimum} alone.
 *   <li>{@code otel}: opentelemetry-kafka-clients-2.6 {@code KafkaTelemetry.wrap(producer)} and
 *       {@code wrap(consumer)}; one record per poll; the "process" span is started by the wrapped
 *       records' iterator and ended by its next {@code hasNext()}. SDK: always-on sampler, W3C
 *       propagator, an exporter that drops everything, behind a BatchSpanProcessor
 *       ({@code spanProcessor=batch}, production default) or a SimpleSpanProcessor ({@code simple}).
 *   <li>{@code brave}: brave-instrumentation-kafka-clients {@code KafkaTracing.producer(..)} and
 *       {@code nextSpan(record)} + {@code withSpanInScope}; MDC via {@code MDCScopeDecorator}.
 * </ul>
 *
 * <p>{@code logLine=false}: the handler only blackholes the value (log-free). {@code logLine=true}:
 * it also logs one INFO line to an appender ({@link MdcSink}) that reads every MDC entry of the
 * event. That matters for OpenTelemetry, whose logback-mdc-1.0 module never writes the MDC: its
 * {@code OpenTelemetryAppender} copies trace_id/span_id/trace_flags into each logging event at
 * append time (see logback.xml), so with a log-free handler its MDC cost is zero by construction.
 *
 * <p>Each contender's state checks once, in {@code @Setup}, that the context really arrives (same
 * ID in the headers, the consumer-side context and the MDC) and fails the trial otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@SuppressWarnings("try") // try-with-resources scopes whose variable is never read
public class KafkaPropagationBenchmark {

  static final String TOPIC = "orders";
  static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  static final Callback NOOP_CALLBACK = (metadata, exception) -> {};

  /** Loggers routed in logback.xml: "bench.otel" through OpenTelemetryAppender, both to MdcSink. */
  static final Logger PLAIN_LOG = LoggerFactory.getLogger("bench.plain");
  static final Logger OTEL_LOG = LoggerFactory.getLogger("bench.otel");

  /** Whether the handler also logs one line (see class comment). */
  @Param({"false", "true"})
  public boolean logLine;

  long offset;

  // ---------------------------------------------------------------- the shared per-op pieces

  static ProducerRecord<String, String> newProducerRecord() {
    return new ProducerRecord<>(TOPIC, null, "key", "value", new RecordHeaders());
  }

  /** What the broker would deliver: the same key/value and a copy of the headers as written. */
  static ConsumerRecord<String, String> toConsumerRecord(ProducerRecord<String, String> sent, long offset) {
    return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, 3, 5,
        sent.key(), sent.value(), new RecordHeaders(sent.headers().toArray()), Optional.empty());
  }

  void handle(ConsumerRecord<String, String> record, Logger log, Blackhole bh) {
    bh.consume(record.value());
    if (logLine) {
      log.info("handled {}", record.key());
    }
  }

  // ---------------------------------------------------------------- benchmarks

  @Benchmark
  public void raw(RawState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    ConsumerRecord<String, String> record = toConsumerRecord(sent, offset++);
    handle(record, PLAIN_LOG, bh);
  }

  @Benchmark
  public void rawPolled(RawState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    s.consumer.next = toConsumerRecord(sent, offset++);
    for (ConsumerRecord<String, String> record : s.consumer.poll(Duration.ZERO)) {
      handle(record, PLAIN_LOG, bh);
    }
  }

  @Benchmark
  public void baton(BatonState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    ConsumerRecord<String, String> record = toConsumerRecord(sent, offset++);
    try (CorrelationScope scope = s.kafka.open(record)) {
      handle(record, PLAIN_LOG, bh);
    }
  }

  @Benchmark
  public void batonInScope(BatonInScopeState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    ConsumerRecord<String, String> record = toConsumerRecord(sent, offset++);
    try (CorrelationScope scope = s.kafka.open(record)) {
      handle(record, PLAIN_LOG, bh);
    }
  }

  /**
   * The least any implementation of Baton's contract has to do per message, written inline with
   * nothing else: no abstraction, exact header names, no aliases, no duplicate or error handling,
   * no warnings. Send: a valid ID already on the record is kept (a retry, a forward); otherwise
   * read the current correlation (one thread-local), else make a UUID v4 string, and write its ID
   * and parent as headers; wrap the callback so that it runs in that correlation. Handle: read
   * the ID header and the parent header, check their bytes and copy them to Strings (a fresh ID
   * for a missing or invalid one, no parent for an invalid parent), remember what the MDC and the
   * current context held, write both MDC keys, run the handler, put everything back. The
   * callback does the same scope work. This is the floor under Baton: what it costs over {@code
   * raw} no library can save.
   */
  @Benchmark
  public void minimum(RawState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(minimumSend(s.producer, sent));
    ConsumerRecord<String, String> record = toConsumerRecord(sent, offset++);
    minimumHandle(record, bh);
  }

  /**
   * {@code minimum}'s send: the record's own valid ID, or the current correlation, or a fresh ID;
   * its headers; a wrapped callback.
   */
  static Future<RecordMetadata> minimumSend(Producer<String, String> producer, ProducerRecord<String, String> sent) {
    Headers headers = sent.headers();
    String kept = validId(headers.lastHeader(Baton.ID_KEY));
    String id;
    String parent;
    if (kept != null) {
      id = kept;
      parent = validId(headers.lastHeader(Baton.PARENT_KEY));
    } else {
      String[] current = MINIMUM_CONTEXT.get();
      id = current[0] != null ? current[0] : newUuidV4();
      parent = current[1]; // set and cleared with the ID, so null when there is none
      headers.add(Baton.ID_KEY, id.getBytes(StandardCharsets.UTF_8));
      if (parent != null) {
        headers.add(Baton.PARENT_KEY, parent.getBytes(StandardCharsets.UTF_8));
      }
    }
    return producer.send(sent, (metadata, exception) -> {
      String[] context = MINIMUM_CONTEXT.get();
      String previous = context[0];
      String previousParentInContext = context[1];
      String previousId = MDC.get(Baton.ID_KEY);
      String previousParent = MDC.get(Baton.PARENT_KEY);
      context[0] = id;
      context[1] = parent;
      boolean writeId = !id.equals(previousId); // already there: leave the MDC alone
      boolean writeParent = !Objects.equals(parent, previousParent);
      if (writeId) {
        MDC.put(Baton.ID_KEY, id);
      }
      if (writeParent) {
        restore(Baton.PARENT_KEY, parent);
      }
      try {
        NOOP_CALLBACK.onCompletion(metadata, exception);
      } finally {
        context[0] = previous;
        context[1] = previousParentInContext;
        if (writeId) {
          restore(Baton.ID_KEY, previousId);
        }
        if (writeParent) {
          restore(Baton.PARENT_KEY, previousParent);
        }
      }
    });
  }

  /** {@code minimum}'s handling: both headers checked and copied, the handler run in their scope. */
  void minimumHandle(ConsumerRecord<String, String> record, Blackhole bh) {
    Headers headers = record.headers();
    String inbound = validId(headers.lastHeader(Baton.ID_KEY));
    String recordId = inbound != null ? inbound : newUuidV4();
    String recordParent = inbound != null ? validId(headers.lastHeader(Baton.PARENT_KEY)) : null;
    String[] context = MINIMUM_CONTEXT.get();
    String previous = context[0];
    String previousParentInContext = context[1];
    String previousId = MDC.get(Baton.ID_KEY);
    String previousParent = MDC.get(Baton.PARENT_KEY);
    context[0] = recordId;
    context[1] = recordParent;
    boolean writeId = !recordId.equals(previousId);
    boolean writeParent = !Objects.equals(recordParent, previousParent);
    if (writeId) {
      MDC.put(Baton.ID_KEY, recordId);
    }
    if (writeParent) {
      restore(Baton.PARENT_KEY, recordParent);
    }
    try {
      handle(record, PLAIN_LOG, bh);
    } finally {
      context[0] = previous;
      context[1] = previousParentInContext;
      if (writeId) {
        restore(Baton.ID_KEY, previousId);
      }
      if (writeParent) {
        restore(Baton.PARENT_KEY, previousParent);
      }
    }
  }

  /**
   * A header's value as a String when it is a valid ID, else null: the bytes checked against a
   * table first (the fastest check measured here, the one Baton uses too), then copied once, since
   * a valid ID is ASCII.
   */
  static String validId(Header header) {
    byte[] value = header == null ? null : header.value();
    if (value == null || value.length < 16 || value.length > 64) {
      return null;
    }
    int refused = 0;
    for (byte b : value) {
      refused |= ID_REFUSED[b & 0xFF];
    }
    return refused == 0 ? new String(value, StandardCharsets.ISO_8859_1) : null;
  }

  /** 1 for every byte outside [A-Za-z0-9_-]. */
  static final byte[] ID_REFUSED = new byte[256];

  static {
    for (int b = 0; b < ID_REFUSED.length; b++) {
      ID_REFUSED[b] = (byte) (Correlation.isValidId(String.valueOf((char) b).repeat(16)) ? 0 : 1);
    }
  }

  /** {@code minimum}, sending inside a correlation (the floor under {@code batonInScope}). */
  @Benchmark
  public void minimumInScope(MinimumInScopeState s, Blackhole bh) {
    minimum(s.raw, bh);
  }

  /** {@code minimum}'s current correlation, ID and parent: one holder per thread, as Baton keeps it. */
  static final ThreadLocal<String[]> MINIMUM_CONTEXT = ThreadLocal.withInitial(() -> new String[2]);

  /** A UUID v4 string the fastest way the JDK offers (what Baton does too). */
  static String newUuidV4() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    return new java.util.UUID(
            (random.nextLong() & ~0xF000L) | 0x4000L,
            (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L)
        .toString();
  }

  static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  // The two halves of baton and minimum, each alone: less code per compiled method than the whole
  // message, so they vary less from fork to fork and show which half a change moved.

  /** Baton's send half: a fresh record through the wrapped producer, callback run in its scope. */
  @Benchmark
  public void produceBaton(BatonState s, Blackhole bh) {
    bh.consume(s.producer.send(newProducerRecord(), NOOP_CALLBACK));
  }

  /** The minimum's send half. */
  @Benchmark
  public void produceMinimum(RawState s, Blackhole bh) {
    bh.consume(minimumSend(s.producer, newProducerRecord()));
  }

  /** Baton's handling half, of one record with a valid ID, delivered again and again. */
  @Benchmark
  public void consumeBaton(BatonState s, Blackhole bh) {
    try (CorrelationScope scope = s.kafka.open(s.delivered)) {
      handle(s.delivered, PLAIN_LOG, bh);
    }
  }

  /** The minimum's handling half, of the same record. */
  @Benchmark
  public void consumeMinimum(ConsumedState s, Blackhole bh) {
    minimumHandle(s.delivered, bh);
  }

  @Benchmark
  public void otel(OtelState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    s.fakeConsumer.next = toConsumerRecord(sent, offset++);
    s.ops++;
    // The process span starts in the iterator's next() (made current, parent = traceparent
    // header) and ends in the following hasNext(), i.e. when the loop body is done.
    for (ConsumerRecord<String, String> record : s.consumer.poll(Duration.ZERO)) {
      handle(record, OTEL_LOG, bh);
    }
  }

  @Benchmark
  public void brave(BraveState s, Blackhole bh) {
    ProducerRecord<String, String> sent = newProducerRecord();
    bh.consume(s.producer.send(sent, NOOP_CALLBACK));
    ConsumerRecord<String, String> record = toConsumerRecord(sent, offset++);
    Span span = s.kafkaTracing.nextSpan(record).name("process").start();
    try (SpanInScope ws = s.tracer.withSpanInScope(span)) {
      handle(record, PLAIN_LOG, bh);
    } finally {
      span.finish();
    }
  }

  /**
   * Once per trial, whichever benchmark runs: the minimum really carries its context. A fresh
   * record gets a valid ID header, which the handler runs with; a forwarded record keeps its one
   * ID header, and the handler runs with its ID and parent; the MDC is put back each time.
   */
  @Setup(Level.Trial)
  public void checkMinimum(Blackhole bh) {
    boolean logging = logLine;
    logLine = true; // so that the handler's log line shows MdcSink the MDC it ran with
    try {
      String before = MDC.get(Baton.ID_KEY);
      ProducerRecord<String, String> sent = newProducerRecord();
      minimumSend(new NoopProducer(), sent);
      String id = lastHeader(sent.headers(), Baton.ID_KEY);
      require(Correlation.isValidId(id), "minimum: no valid correlation_id header: " + id);
      Map<String, String> mdc = MdcSink.capture(() -> minimumHandle(toConsumerRecord(sent, 0), bh));
      require(mdc != null && id.equals(mdc.get(Baton.ID_KEY)), "minimum: handler MDC " + mdc + " lacks " + id);
      require(Objects.equals(before, MDC.get(Baton.ID_KEY)), "minimum: MDC not restored");

      String forwardedId = newUuidV4();
      String parent = newUuidV4();
      ProducerRecord<String, String> forwarded = newProducerRecord();
      forwarded.headers()
          .add(Baton.ID_KEY, forwardedId.getBytes(StandardCharsets.UTF_8))
          .add(Baton.PARENT_KEY, parent.getBytes(StandardCharsets.UTF_8));
      minimumSend(new NoopProducer(), forwarded);
      require(forwarded.headers().toArray().length == 2, "minimum: forwarded record's headers changed");
      mdc = MdcSink.capture(() -> minimumHandle(toConsumerRecord(forwarded, 0), bh));
      require(mdc != null && forwardedId.equals(mdc.get(Baton.ID_KEY)) && parent.equals(mdc.get(Baton.PARENT_KEY)),
          "minimum: handler MDC " + mdc + " lacks " + forwardedId + " / " + parent);
      require(Objects.equals(before, MDC.get(Baton.ID_KEY)) && MDC.get(Baton.PARENT_KEY) == null,
          "minimum: MDC not restored after the forwarded record");
    } finally {
      logLine = logging;
    }
  }

  // ---------------------------------------------------------------- contender states

  /** No propagation: the same fake clients, unwrapped. */
  @State(Scope.Thread)
  public static class RawState {
    final NoopProducer producer = new NoopProducer();
    final FakeConsumer consumer = new FakeConsumer();
  }

  /** Baton-wrapped producer; sends outside any correlation, so each starts a fresh root. */
  @State(Scope.Thread)
  public static class BatonState extends ConsumedState {
    KafkaCorrelation kafka;
    Producer<String, String> producer;

    @Setup(Level.Trial)
    public void setUp() {
      kafka = KafkaCorrelation.create();
      producer = kafka.producer(new NoopProducer());
      checkBaton(kafka, producer, null);
    }
  }

  /** One record as Baton's producer would have sent it, for the handling halves. */
  @State(Scope.Thread)
  public static class ConsumedState {
    final ConsumerRecord<String, String> delivered;

    public ConsumedState() {
      ProducerRecord<String, String> sent = newProducerRecord();
      KafkaCorrelation.create().producer(new NoopProducer()).send(sent);
      delivered = toConsumerRecord(sent, 0);
    }
  }

  /** Sends happen inside a Baton scope opened once on the benchmark thread for the whole trial. */
  @State(Scope.Thread)
  public static class BatonInScopeState {
    KafkaCorrelation kafka;
    Producer<String, String> producer;
    Correlation outerCorrelation;
    CorrelationScope outer;
    Thread owner;

    @Setup(Level.Trial)
    public void setUp() {
      kafka = KafkaCorrelation.create();
      producer = kafka.producer(new NoopProducer());
      owner = Thread.currentThread();
      outerCorrelation = Correlation.newRoot();
      outer = Baton.open(outerCorrelation);
      checkBaton(kafka, producer, outerCorrelation.id());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      // Scope.Thread trial setup/teardown run on the benchmark thread; make sure of it.
      require(Thread.currentThread() == owner, "batonInScope: teardown on another thread");
      require(Baton.current().equals(Optional.of(outerCorrelation)), "batonInScope: outer scope lost");
      outer.close();
      require(MDC.get(Baton.ID_KEY) == null, "batonInScope: MDC not cleared");
    }
  }

  /** A correlation current (and in the MDC) on the benchmark thread for the whole trial. */
  @State(Scope.Thread)
  public static class MinimumInScopeState {
    final RawState raw = new RawState();

    @Setup(Level.Trial)
    public void setUp() {
      String id = newUuidV4();
      MINIMUM_CONTEXT.get()[0] = id;
      MDC.put(Baton.ID_KEY, id);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      MINIMUM_CONTEXT.get()[0] = null;
      MDC.remove(Baton.ID_KEY);
    }
  }

  /** One message, checked: header written, same ID in the MDC while handling, restored after. */
  static void checkBaton(KafkaCorrelation kafka, Producer<String, String> producer, String expectedId) {
    String before = MDC.get(Baton.ID_KEY);
    ProducerRecord<String, String> sent = newProducerRecord();
    producer.send(sent, NOOP_CALLBACK);
    String id = lastHeader(sent.headers(), Baton.ID_KEY);
    require(id != null, "baton: no correlation_id header");
    require(expectedId == null || expectedId.equals(id), "baton: header " + id + " != " + expectedId);
    ConsumerRecord<String, String> record = toConsumerRecord(sent, 0);
    try (CorrelationScope scope = kafka.open(record)) {
      require(id.equals(MDC.get(Baton.ID_KEY)), "baton: MDC " + MDC.get(Baton.ID_KEY) + " != " + id);
    }
    require(Objects.equals(before, MDC.get(Baton.ID_KEY)), "baton: MDC not restored");
  }

  /** OpenTelemetry's kafka-clients library instrumentation over the same fake clients. */
  @State(Scope.Thread)
  public static class OtelState {
    /** Keeps the BatchSpanProcessor's "dropped N span(s)" JUL warnings off stderr (we count). */
    static final java.util.logging.Logger BSP_LOG =
        java.util.logging.Logger.getLogger(BatchSpanProcessor.class.getName());

    /**
     * batch: BatchSpanProcessor with default settings (queue 2048, batches of 512, exported on its
     * own thread; spans beyond the queue are dropped). simple: SimpleSpanProcessor, every span
     * converted to SpanData and exported on the ending thread (all span cost on the benchmark
     * thread, nothing dropped).
     */
    @Param({"batch", "simple"})
    public String spanProcessor;

    OpenTelemetrySdk sdk;
    DroppingExporter exporter;
    Producer<String, String> producer;
    FakeConsumer fakeConsumer;
    Consumer<String, String> consumer;
    long ops;

    @Setup(Level.Trial)
    public void setUp() {
      BSP_LOG.setLevel(java.util.logging.Level.SEVERE);
      exporter = new DroppingExporter();
      SpanProcessor processor = "batch".equals(spanProcessor)
          ? BatchSpanProcessor.builder(exporter).build()
          : SimpleSpanProcessor.create(exporter);
      SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
          .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn())
          .addSpanProcessor(processor)
          .build();
      sdk = OpenTelemetrySdk.builder()
          .setTracerProvider(tracerProvider)
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build(); // not registered globally; no MeterProvider (metrics are no-ops)
      KafkaTelemetry telemetry = KafkaTelemetry.create(sdk);
      producer = telemetry.wrap(new NoopProducer());
      fakeConsumer = new FakeConsumer();
      consumer = telemetry.wrap((Consumer<String, String>) fakeConsumer);
      check();
      sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      require(exporter.spans.sum() == 2, "otel: exported " + exporter.spans.sum() + " spans, expected 2");
      exporter.spans.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
      long exported = exporter.spans.sum();
      System.err.printf("%n[otel/%s] %d messages, %d spans ended, %d exported, %d dropped (%.1f%%)%n",
          spanProcessor, ops, 2 * ops, exported, 2 * ops - exported,
          ops == 0 ? 0.0 : 100.0 * (2 * ops - exported) / (2 * ops));
    }

    void check() {
      ProducerRecord<String, String> sent = newProducerRecord();
      producer.send(sent, NOOP_CALLBACK);
      String traceparent = lastHeader(sent.headers(), "traceparent");
      require(traceparent != null, "otel: no traceparent header");
      String traceId = traceparent.substring(3, 35);
      fakeConsumer.next = toConsumerRecord(sent, 0);
      int seen = 0;
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ZERO)) {
        seen++;
        io.opentelemetry.api.trace.SpanContext current =
            io.opentelemetry.api.trace.Span.current().getSpanContext();
        require(current.isValid() && current.getTraceId().equals(traceId),
            "otel: current span " + current + " is not in trace " + traceId);
        require(!traceparent.substring(36, 52).equals(current.getSpanId()), "otel: no process span");
        Map<String, String> mdc = MdcSink.capture(() -> OTEL_LOG.info("check"));
        require(mdc != null && traceId.equals(mdc.get("trace_id")),
            "otel: logging event MDC " + mdc + " lacks trace_id " + traceId + " (logback.xml?)");
      }
      require(seen == 1, "otel: records seen " + seen);
      require(!io.opentelemetry.api.trace.Span.current().getSpanContext().isValid(),
          "otel: process span still current after the loop");
    }
  }

  /** Brave's KafkaTracing over the same fake producer, MDC through MDCScopeDecorator. */
  @State(Scope.Thread)
  public static class BraveState {
    Tracing tracing;
    Tracer tracer;
    KafkaTracing kafkaTracing;
    Producer<String, String> producer;

    @Setup(Level.Trial)
    public void setUp() {
      tracing = Tracing.newBuilder()
          .localServiceName("bench")
          .sampler(Sampler.ALWAYS_SAMPLE)
          // NOT SpanHandler.NOOP: Brave skips it and, with no handler, installs LogSpanHandler.
          .addSpanHandler(new DroppingSpanHandler())
          .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder()
              .addScopeDecorator(MDCScopeDecorator.get())
              .build())
          .build();
      tracer = tracing.tracer();
      kafkaTracing = KafkaTracing.create(tracing);
      producer = kafkaTracing.producer(new NoopProducer());
      check();
    }

    void check() {
      ProducerRecord<String, String> sent = newProducerRecord();
      producer.send(sent, NOOP_CALLBACK);
      String b3 = lastHeader(sent.headers(), "b3");
      require(b3 != null, "brave: no b3 header");
      String traceId = b3.substring(0, b3.indexOf('-'));
      ConsumerRecord<String, String> record = toConsumerRecord(sent, 0);
      Span span = kafkaTracing.nextSpan(record).name("process").start();
      try (SpanInScope ws = tracer.withSpanInScope(span)) {
        TraceContext context = span.context();
        require(context.traceIdString().equals(traceId), "brave: trace " + context.traceIdString() + " != " + traceId);
        require(traceId.equals(MDC.get("traceId")), "brave: MDC traceId " + MDC.get("traceId"));
      } finally {
        span.finish();
      }
      require(MDC.get("traceId") == null, "brave: MDC not restored");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      tracing.close();
    }
  }

  // ---------------------------------------------------------------- fakes and sinks

  /** Completes every send at once, on the calling thread. */
  public static final class NoopProducer implements Producer<String, String> {
    static final RecordMetadata METADATA = new RecordMetadata(TP, 0L, 0, 0L, 3, 5);
    static final Future<RecordMetadata> DONE = CompletableFuture.completedFuture(METADATA);

    @Override public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
      return DONE;
    }
    @Override public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
      if (callback != null) {
        callback.onCompletion(METADATA, null);
      }
      return DONE;
    }
    @Override public void initTransactions() {}
    @Override public void beginTransaction() {}
    @Override public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {}
    @Override public void commitTransaction() {}
    @Override public void abortTransaction() {}
    @Override public void registerMetricForSubscription(KafkaMetric metric) {}
    @Override public void unregisterMetricFromSubscription(KafkaMetric metric) {}
    @Override public void flush() {}
    @Override public List<PartitionInfo> partitionsFor(String topic) {
      return List.of();
    }
    @Override public Map<MetricName, ? extends Metric> metrics() {
      return Map.of();
    }
    @Override public Uuid clientInstanceId(Duration timeout) {
      return Uuid.ZERO_UUID;
    }
    @Override public void close() {}
    @Override public void close(Duration timeout) {}
  }

  /** Each poll returns the one record put in {@link #next} (the OTel consumer API needs a poll). */
  @SuppressWarnings("deprecation") // close(Duration) is deprecated in kafka-clients 4.x
  public static final class FakeConsumer implements Consumer<String, String> {
    @SuppressWarnings("removal") // both public constructors are deprecated for removal in 4.x
    static final ConsumerGroupMetadata GROUP =
        new ConsumerGroupMetadata("orders-consumer", 1, "member-1", Optional.empty());
    ConsumerRecord<String, String> next;

    @Override public ConsumerRecords<String, String> poll(Duration timeout) {
      ConsumerRecord<String, String> record = next;
      next = null;
      return record == null
          ? ConsumerRecords.empty()
          : new ConsumerRecords<>(Map.of(TP, List.of(record)), Map.of());
    }
    @Override public ConsumerGroupMetadata groupMetadata() {
      return GROUP;
    }
    @Override public Map<MetricName, ? extends Metric> metrics() {
      return Map.of();
    }
    @Override public Set<TopicPartition> assignment() {
      return Set.of(TP);
    }
    @Override public Set<String> subscription() {
      return Set.of(TOPIC);
    }
    @Override public void subscribe(Collection<String> topics) {}
    @Override public void subscribe(Collection<String> topics, ConsumerRebalanceListener callback) {}
    @Override public void assign(Collection<TopicPartition> partitions) {}
    @Override public void subscribe(Pattern pattern, ConsumerRebalanceListener callback) {}
    @Override public void subscribe(Pattern pattern) {}
    @Override public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener callback) {}
    @Override public void subscribe(SubscriptionPattern pattern) {}
    @Override public void unsubscribe() {}
    @Override public void commitSync() {}
    @Override public void commitSync(Duration timeout) {}
    @Override public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {}
    @Override public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {}
    @Override public void commitAsync() {}
    @Override public void commitAsync(OffsetCommitCallback callback) {}
    @Override public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {}
    @Override public void registerMetricForSubscription(KafkaMetric metric) {}
    @Override public void unregisterMetricFromSubscription(KafkaMetric metric) {}
    @Override public void seek(TopicPartition partition, long offset) {}
    @Override public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {}
    @Override public void seekToBeginning(Collection<TopicPartition> partitions) {}
    @Override public void seekToEnd(Collection<TopicPartition> partitions) {}
    @Override public long position(TopicPartition partition) {
      return 0L;
    }
    @Override public long position(TopicPartition partition, Duration timeout) {
      return 0L;
    }
    @Override public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
      return Map.of();
    }
    @Override public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
      return Map.of();
    }
    @Override public Uuid clientInstanceId(Duration timeout) {
      return Uuid.ZERO_UUID;
    }
    @Override public List<PartitionInfo> partitionsFor(String topic) {
      return List.of();
    }
    @Override public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
      return List.of();
    }
    @Override public Map<String, List<PartitionInfo>> listTopics() {
      return Map.of();
    }
    @Override public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
      return Map.of();
    }
    @Override public Set<TopicPartition> paused() {
      return Set.of();
    }
    @Override public void pause(Collection<TopicPartition> partitions) {}
    @Override public void resume(Collection<TopicPartition> partitions) {}
    @Override public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
      return Map.of();
    }
    @Override public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
      return Map.of();
    }
    @Override public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
      return Map.of();
    }
    @Override public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
      return Map.of();
    }
    @Override public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
      return Map.of();
    }
    @Override public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
      return Map.of();
    }
    @Override public OptionalLong currentLag(TopicPartition topicPartition) {
      return OptionalLong.empty();
    }
    @Override public void enforceRebalance() {}
    @Override public void enforceRebalance(String reason) {}
    @Override public void close() {}
    @Override public void close(Duration timeout) {}
    @Override public void close(CloseOptions option) {}
    @Override public void wakeup() {}
  }

  /** An exporter that accepts and drops every batch (BatchSpanProcessor still queues and drains). */
  static final class DroppingExporter implements SpanExporter {
    final java.util.concurrent.atomic.LongAdder spans = new java.util.concurrent.atomic.LongAdder();

    @Override public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return CompletableResultCode.ofSuccess();
    }
    @Override public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }
    @Override public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Records every span fully, then drops it. */
  static final class DroppingSpanHandler extends SpanHandler {
    @Override public boolean end(TraceContext context, MutableSpan span, Cause cause) {
      return true;
    }
  }

  /**
   * Logback appender that reads every MDC entry of each event (what a pattern with %X/%mdc or a
   * JSON encoder would do) and writes nothing. Referenced from logback.xml.
   */
  public static final class MdcSink extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static long chars;
    static volatile boolean capturing;
    static volatile Map<String, String> captured;

    @Override
    protected void append(ILoggingEvent event) {
      Map<String, String> mdc = event.getMDCPropertyMap();
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        chars += e.getKey().length() + e.getValue().length();
      }
      if (capturing) {
        captured = Map.copyOf(mdc);
      }
    }

    static synchronized Map<String, String> capture(Runnable logging) {
      captured = null;
      capturing = true;
      try {
        logging.run();
      } finally {
        capturing = false;
      }
      return captured;
    }
  }

  static String lastHeader(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
