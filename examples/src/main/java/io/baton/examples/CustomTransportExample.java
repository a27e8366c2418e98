package io.baton.examples;

import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's "your own transport" example: any message with headers can carry the ID. */
public final class CustomTransportExample {

  private static final Logger log = LoggerFactory.getLogger(CustomTransportExample.class);

  /** A message of some in-house transport. */
  public static final class Envelope {
    private final Map<String, String> headers = new HashMap<>();
    private final String body;

    public Envelope(String body) {
      this.body = body;
    }

    public String header(String name) {
      return headers.get(name);
    }

    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    public String body() {
      return body;
    }
  }

  private static final CorrelationPropagator propagator = CorrelationPropagator.create();

  private CustomTransportExample() {}

  /** Producing: the envelope leaves with the current correlation (or a fresh one). */
  public static Envelope send(String body) {
    Envelope envelope = new Envelope(body);
    propagator.inject(envelope, Envelope::header, Envelope::setHeader);
    return envelope;
  }

  /** Consuming: the handler logs under the envelope's correlation. */
  public static void receive(Envelope envelope) {
    try (CorrelationScope scope = propagator.open(envelope, Envelope::header)) {
      log.info("handling {}", envelope.body());
    }
  }
}
