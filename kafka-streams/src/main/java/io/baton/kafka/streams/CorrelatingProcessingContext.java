package io.baton.kafka.streams;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What the contexts of both kinds of processor share: a punctuator the processor schedules runs in
 * a correlation (see {@link CorrelatingPunctuator}); every other method is delegated. The two
 * subclasses add the {@code forward}s of their kind of record.
 */
abstract class CorrelatingProcessingContext<D extends ProcessingContext> implements ProcessingContext {

  final D delegate;
  final StreamsCorrelation streams;
  private final String processor;

  CorrelatingProcessingContext(D delegate, String processor, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.processor = processor;
    this.streams = streams;
  }

  @Override
  public String applicationId() {
    return delegate.applicationId();
  }

  @Override
  public TaskId taskId() {
    return delegate.taskId();
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return delegate.recordMetadata();
  }

  @Override
  public Serde<?> keySerde() {
    return delegate.keySerde();
  }

  @Override
  public Serde<?> valueSerde() {
    return delegate.valueSerde();
  }

  @Override
  public File stateDir() {
    return delegate.stateDir();
  }

  @Override
  public StreamsMetrics metrics() {
    return delegate.metrics();
  }

  @Override
  public <S extends StateStore> S getStateStore(String name) {
    return delegate.getStateStore(name);
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
    return delegate.schedule(interval, type, streams.punctuator(callback, processor));
  }

  @Override
  public Cancellable schedule(
      Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
    return delegate.schedule(startTime, interval, type, streams.punctuator(callback, processor));
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public Map<String, Object> appConfigs() {
    return delegate.appConfigs();
  }

  @Override
  public Map<String, Object> appConfigsWithPrefix(String prefix) {
    return delegate.appConfigsWithPrefix(prefix);
  }

  @Override
  public long currentSystemTimeMs() {
    return delegate.currentSystemTimeMs();
  }

  @Override
  public long currentStreamTimeMs() {
    return delegate.currentStreamTimeMs();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
