package io.baton.kafka.streams;

import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** Supplies {@link CorrelatingProcessor}s; the stores are the delegate's own. */
final class CorrelatingProcessorSupplier<KIn, VIn, KOut, VOut>
    implements WrappedProcessorSupplier<KIn, VIn, KOut, VOut> {

  private final ProcessorSupplier<KIn, VIn, KOut, VOut> delegate;
  private final String name;
  private final StreamsCorrelation streams;

  CorrelatingProcessorSupplier(
      ProcessorSupplier<KIn, VIn, KOut, VOut> delegate, String name, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.name = name;
    this.streams = streams;
  }

  @Override
  public Processor<KIn, VIn, KOut, VOut> get() {
    return new CorrelatingProcessor<>(delegate.get(), name, streams);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return delegate.stores();
  }
}
