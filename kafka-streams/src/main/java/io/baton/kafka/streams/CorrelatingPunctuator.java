package io.baton.kafka.streams;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import org.apache.kafka.streams.processor.Punctuator;

/**
 * Runs each punctuation in a fresh child of the correlation the punctuator was scheduled in, or in
 * a fresh root when it was scheduled outside any (in {@code init}): a punctuation is work of its
 * own, done again and again, as each run of a wrapped {@code scheduleAtFixedRate} or each fire of
 * a repeating Quartz trigger is; its parent says which record scheduled it. What it forwards
 * carries its ID.
 */
final class CorrelatingPunctuator implements Punctuator {

  private final Punctuator delegate;
  private final Correlation scheduledIn;
  private final String processor;
  private final StreamsCorrelation streams;

  CorrelatingPunctuator(
      Punctuator delegate, Correlation scheduledIn, String processor, StreamsCorrelation streams) {
    this.delegate = delegate;
    this.scheduledIn = scheduledIn;
    this.processor = processor;
    this.streams = streams;
  }

  @Override
  public void punctuate(long timestamp) {
    Correlation run = scheduledIn == null
        ? streams.propagator().newRoot()
        : streams.propagator().newChild(scheduledIn);
    try (CorrelationScope scope = streams.propagator().open(run)) {
      try {
        delegate.punctuate(timestamp);
      } catch (RuntimeException | Error e) {
        streams.failureLog.log(StreamsCorrelation.LOG, e, "Punctuator of processor {} failed",
            Baton.printable(processor));
        throw e;
      }
    }
  }
}
