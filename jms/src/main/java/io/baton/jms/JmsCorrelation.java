package io.baton.jms;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import jakarta.jms.CompletionListener;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlation for Jakarta JMS (any provider): wrap the connection factory you already have.
 *
 * <pre>{@code
 * JmsCorrelation jms = JmsCorrelation.create();
 * ConnectionFactory factory = jms.connectionFactory(new ActiveMQConnectionFactory(url));
 * try (JMSContext context = factory.createContext()) {
 *   context.createProducer().send(audit, "checkout paid");   // property correlation_id
 *   context.createConsumer(audit).setMessageListener(message ->
 *       log.info("audited"));                                 // MDC: the message's correlation_id
 * }
 * }</pre>
 *
 * <p>Connections, sessions, producers and consumers from the factory (classic API), and {@code
 * JMSContext}, {@code JMSProducer} and {@code JMSConsumer} (simplified API), are wrapped in turn.
 * {@code JMSCorrelationID} is left to request/reply; reading it as a fallback is an option. A
 * listener that throws is logged once inside the message's correlation, then the exception goes
 * to the provider unchanged ({@link Builder#failureLog}).
 */
public final class JmsCorrelation {

  /** MDC key: {@code JMSXDeliveryCount}, the attempt number, while a message is handled. */
  public static final String DELIVERY_COUNT_KEY = "delivery_count";

  /** MDC key: the destination a dead-lettered message came from, when the provider says. */
  public static final String ORIGINAL_DESTINATION_KEY = "original_destination";

  /** Properties providers use for a dead-lettered message's origin (ActiveMQ Artemis). */
  private static final String[] ORIGINAL_DESTINATION_PROPERTIES = {"_AMQ_ORIG_QUEUE", "_AMQ_ORIG_ADDRESS"};

  /** Where Baton's own lines about JMS messages go: failures of listeners, forwarding trouble. */
  static final Logger LOG = LoggerFactory.getLogger("io.baton.jms");

  private final CorrelationPropagator propagator;
  private final boolean readJmsCorrelationId;
  private final FailureLog failureLog;
  private final StampedMessages stamped = new StampedMessages();

  private JmsCorrelation(Builder builder) {
    this.propagator = builder.propagator;
    this.readJmsCorrelationId = builder.readJmsCorrelationId;
    this.failureLog = builder.failureLog;
  }

  /**
   * With the default {@link CorrelationPropagator}.
   *
   * @return an instance with the defaults
   */
  public static JmsCorrelation create() {
    return new Builder().build();
  }

  /**
   * A builder, to choose property names, MDC keys, the ID generator or the fallback.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A connection factory whose connections, sessions, producers, consumers, contexts, JMS
   * producers and JMS consumers are wrapped: every send writes the string properties {@code
   * correlation_id} / {@code parent_correlation_id} (keeping a valid ID already on the message),
   * and every message listener runs each message in its own scope. Wrapping twice returns the same
   * wrapper.
   *
   * @param factory the connection factory to connect through
   * @return the correlating factory, or {@code factory} itself when it is already one
   */
  public ConnectionFactory connectionFactory(ConnectionFactory factory) {
    Objects.requireNonNull(factory, "factory");
    if (factory instanceof CorrelatingConnectionFactory) {
      return factory;
    }
    return new CorrelatingConnectionFactory(factory, this);
  }

  /**
   * A listener that handles each message inside its correlation, for listeners set elsewhere. A
   * failure of {@code listener} is logged once inside that correlation (see {@link
   * Builder#failureLog}) and rethrown unchanged to the provider.
   *
   * @param listener the listener to run messages through
   * @return the correlating listener, or {@code listener} itself when it is already one
   */
  public MessageListener messageListener(MessageListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener instanceof CorrelatingMessageListener) {
      return listener;
    }
    return new CorrelatingMessageListener(listener, this);
  }

  /**
   * Opens the message's correlation for its handling ({@code receive()} loops): {@code
   * correlation_id}, {@code parent_correlation_id}, {@code delivery_count} and, for a
   * dead-lettered message, {@code original_destination} in the MDC.
   *
   * <pre>{@code
   * Message message = consumer.receive(1_000);
   * if (message != null) {                     // null: nothing arrived in time
   *   try (CorrelationScope scope = jms.open(message)) {
   *     handle(message);
   *   }
   * }
   * }</pre>
   *
   * @param message the received message about to be handled
   * @return the scope to close after handling the message
   * @throws NullPointerException for a null message (what {@code receive(timeout)} returns when
   *     nothing arrived), as {@code KafkaCorrelation} and {@code RabbitCorrelation} do: there is
   *     no message to correlate, so skip it
   */
  public CorrelationScope open(Message message) {
    requireMessage(message);
    // the fields go in with the extraction, so that a warning about the message's values is
    // logged under the ID and the delivery count the message is then handled with
    return propagator.open(
        message,
        JmsCarrier.GETTER,
        fallback(message),
        DELIVERY_COUNT_KEY,
        JmsCarrier.text(message, "JMSXDeliveryCount"),
        ORIGINAL_DESTINATION_KEY,
        originalDestination(message));
  }

  /**
   * The correlation a message carries (a fresh root when it carries none, or an invalid one).
   *
   * @param message the received message
   * @return the message's correlation, or a fresh root
   * @throws NullPointerException for a null message, as {@link #open(Message)}
   */
  public Correlation extract(Message message) {
    requireMessage(message);
    return propagator.extract(message, JmsCarrier.GETTER, fallback(message));
  }

  /**
   * The correlation this instance applies.
   *
   * @return the propagator
   */
  public CorrelationPropagator propagator() {
    return propagator;
  }

  /**
   * Writes the current correlation into {@code message} unless it has a valid one: a retry, or a
   * forward of a received message, keeps its ID, and so does an ID the caller set. An ID Baton
   * itself wrote on an earlier send of this same object is replaced when another correlation is
   * current now: the object is being reused for other work.
   *
   * @return the correlation the message is sent with; null for a null message (the provider
   *     rejects it)
   */
  Correlation inject(Message message) {
    if (message == null) {
      return null;
    }
    String present = JmsCarrier.text(message, propagator.idHeader());
    if (present != null && present.equals(stamped.get(message))) {
      Correlation current = Baton.current().orElse(null);
      if (current != null && !current.id().equals(present)) {
        propagator.write(message, JmsCarrier.SETTER, current);
        stamped.put(message, current.id());
        return current;
      }
    }
    Correlation sent = propagator.inject(message, JmsCarrier.GETTER, JmsCarrier.SETTER);
    if (!sent.id().equals(present)) {
      stamped.put(message, sent.id());
    }
    return sent;
  }

  CompletionListener completionListener(CompletionListener listener) {
    return completionListener(listener, null);
  }

  /** {@code listener}, run in {@code sent} (or, when null, in each completed message's own). */
  CompletionListener completionListener(CompletionListener listener, Correlation sent) {
    if (listener == null || listener instanceof CorrelatingCompletionListener) {
      return listener;
    }
    return new CorrelatingCompletionListener(listener, this, sent);
  }

  /** How failures of listeners are logged. */
  FailureLog failureLog() {
    return failureLog;
  }

  /** Where a message was sent to, fit for a log line (never a property value). */
  static String destination(Message message) {
    try {
      Object destination = message.getJMSDestination();
      return destination == null ? "an unknown destination" : Baton.printable(destination.toString());
    } catch (Exception e) {
      return "an unknown destination";
    }
  }

  private static void requireMessage(Message message) {
    Objects.requireNonNull(message,
        "message is null (receive(timeout) returns null when nothing arrived: skip it)");
  }

  private String fallback(Message message) {
    return readJmsCorrelationId ? jmsCorrelationId(message) : null;
  }

  private static String originalDestination(Message message) {
    for (String property : ORIGINAL_DESTINATION_PROPERTIES) {
      String value = JmsCarrier.text(message, property);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String jmsCorrelationId(Message message) {
    try {
      return message.getJMSCorrelationID();
    } catch (Exception e) {
      return null;
    }
  }

  /** Configures a {@link JmsCorrelation}. */
  public static final class Builder {
    private CorrelationPropagator propagator = CorrelationPropagator.create();
    private boolean readJmsCorrelationId;
    private FailureLog failureLog = FailureLog.defaults();

    private Builder() {}

    /**
     * Property names, MDC keys and ID generator; default {@link CorrelationPropagator#create()}.
     *
     * @param propagator the propagator to apply
     * @return this builder
     */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * Whether a message without the correlation property may be correlated by its {@code
     * JMSCorrelationID} (when that is a valid ID). Off by default: it belongs to request/reply.
     *
     * @param read whether to fall back to the {@code JMSCorrelationID}
     * @return this builder
     */
    public Builder readJmsCorrelationId(boolean read) {
      this.readJmsCorrelationId = read;
      return this;
    }

    /**
     * How a failure of your listener code is logged: an exception thrown from a {@code
     * MessageListener} or a {@code CompletionListener} that Baton runs is logged once by the
     * logger {@code io.baton.jms}, with its stack trace, under the message's correlation (and
     * {@code delivery_count}), then rethrown unchanged to the provider. Default {@link
     * FailureLog#defaults()} (ERROR); {@link FailureLog#off()} when your listeners log their own
     * failures.
     *
     * @param failureLog how listener failures are logged
     * @return this builder
     */
    public Builder failureLog(FailureLog failureLog) {
      this.failureLog = Objects.requireNonNull(failureLog, "failureLog");
      return this;
    }

    /**
     * The configured instance.
     *
     * @return the configured instance
     */
    public JmsCorrelation build() {
      return new JmsCorrelation(this);
    }
  }
}
