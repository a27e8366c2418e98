package io.baton.kafka.streams;

import io.baton.CorrelationScope;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Runs {@code process} inside the record's correlation; see {@link StreamsCorrelation#open}. */
final class CorrelatingProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

  private final Processor<KIn, VIn, KOut, VOut> delegate;
  private final String name;
  private final StreamsCorrelation streams;
  private ProcessorContext<KOut, VOut> context;

  CorrelatingProcessor(
      Processor<KIn, VIn, KOut, VOut> delegate, String name, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.name = name;
    this.streams = streams;
  }

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    this.context = context;
    delegate.init(StreamsCorrelation.isKafkasOwn(delegate)
        ? context
        : new CorrelatingProcessorContext<>(context, name, streams));
  }

  @Override
  public void process(Record<KIn, VIn> record) {
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
