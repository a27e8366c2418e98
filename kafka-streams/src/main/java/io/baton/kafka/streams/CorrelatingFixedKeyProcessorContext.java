package io.baton.kafka.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** {@link CorrelatingProcessorContext} for a {@code FixedKeyProcessor}. */
final class CorrelatingFixedKeyProcessorContext<KForward, VForward>
    extends CorrelatingProcessingContext<FixedKeyProcessorContext<KForward, VForward>>
    implements FixedKeyProcessorContext<KForward, VForward> {

  CorrelatingFixedKeyProcessorContext(
      FixedKeyProcessorContext<KForward, VForward> delegate, String processor, StreamsCorrelation streams) {
    super(delegate, processor, streams);
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record) {
    streams.forwarding(record.headers());
    delegate.forward(record);
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record, String childName) {
    streams.forwarding(record.headers());
    delegate.forward(record, childName);
  }
}
