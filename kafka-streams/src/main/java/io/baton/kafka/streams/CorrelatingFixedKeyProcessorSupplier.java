package io.baton.kafka.streams;

import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** Supplies {@link CorrelatingFixedKeyProcessor}s; the stores are the delegate's own. */
final class CorrelatingFixedKeyProcessorSupplier<KIn, VIn, VOut>
    implements WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> {

  private final FixedKeyProcessorSupplier<KIn, VIn, VOut> delegate;
  private final String name;
  private final StreamsCorrelation streams;

  CorrelatingFixedKeyProcessorSupplier(
      FixedKeyProcessorSupplier<KIn, VIn, VOut> delegate, String name, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.name = name;
    this.streams = streams;
  }

  @Override
  public FixedKeyProcessor<KIn, VIn, VOut> get() {
    return new CorrelatingFixedKeyProcessor<>(delegate.get(), name, streams);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return delegate.stores();
  }
}
