package io.baton.kafka.streams;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The context a user's processor is given: a record it forwards keeps a valid ID of its own, and
 * otherwise (a record built fresh, with empty headers) gets the current correlation's; a
 * punctuator it schedules runs in a correlation (see {@link CorrelatingPunctuator}). Delegates
 * every other method.
 */
final class CorrelatingProcessorContext<KForward, VForward>
    extends CorrelatingProcessingContext<ProcessorContext<KForward, VForward>>
    implements ProcessorContext<KForward, VForward> {

  CorrelatingProcessorContext(
      ProcessorContext<KForward, VForward> delegate, String processor, StreamsCorrelation streams) {
    super(delegate, processor, streams);
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(Record<K, V> record) {
    streams.forwarding(record.headers());
    delegate.forward(record);
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(Record<K, V> record, String childName) {
    streams.forwarding(record.headers());
    delegate.forward(record, childName);
  }
}
