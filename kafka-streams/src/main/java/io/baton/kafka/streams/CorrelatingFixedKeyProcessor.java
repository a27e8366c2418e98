package io.baton.kafka.streams;

import io.baton.CorrelationScope;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Runs {@code process} inside the record's correlation; see {@link StreamsCorrelation#open}. */
final class CorrelatingFixedKeyProcessor<KIn, VIn, VOut> implements FixedKeyProcessor<KIn, VIn, VOut> {

  private final FixedKeyProcessor<KIn, VIn, VOut> delegate;
  private final String name;
  private final StreamsCorrelation streams;
  private FixedKeyProcessorContext<KIn, VOut> context;

  CorrelatingFixedKeyProcessor(
      FixedKeyProcessor<KIn, VIn, VOut> delegate, String name, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.name = name;
    this.streams = streams;
  }

  @Override
  public void init(FixedKeyProcessorContext<KIn, VOut> context) {
    this.context = context;
    delegate.init(StreamsCorrelation.isKafkasOwn(delegate)
        ? context
        : new CorrelatingFixedKeyProcessorContext<>(context, name, streams));
  }

  @Override
  public void process(FixedKeyRecord<KIn, VIn> record) {
    try (CorrelationScope scope = streams.open(record.headers())) {
      try {
        delegate.process(record);
      } catch (RuntimeException | Error e) {
        streams.processorFailed(e, name, context);
        throw e;
      }
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
