package io.baton.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ExceptionHandler;
import com.rabbitmq.client.GetResponse;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.MessageHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Correlation for the RabbitMQ Java client: wrap the channel you already have.
 *
 * <pre>{@code
 * RabbitCorrelation rabbit = RabbitCorrelation.create();
 * Channel channel = rabbit.channel(connection.createChannel());
 * channel.basicPublish("notifications", "email", props, body);  // headers: correlation_id
 * channel.basicConsume("email", false, (tag, delivery) -> {
 *   log.info("sending mail");                                    // MDC: the message's ID
 * }, tag -> {});
 * }</pre>
 *
 * <p>The AMQP {@code correlationId} property belongs to request/reply and is never written; it can
 * be read as a fallback when the header is missing ({@link Builder#readCorrelationIdProperty}).
 */
public final class RabbitCorrelation {

  private final CorrelationPropagator propagator;
  private final boolean readCorrelationIdProperty;
  private final FailureLog failureLog;

  private RabbitCorrelation(Builder builder) {
    this.propagator = builder.propagator;
    this.readCorrelationIdProperty = builder.readCorrelationIdProperty;
    this.failureLog = builder.failureLog;
  }

  /**
   * With the default {@link CorrelationPropagator}.
   *
   * @return an instance with the defaults
   */
  public static RabbitCorrelation create() {
    return new Builder().build();
  }

  /**
   * A builder, to choose header names, aliases, MDC keys, the ID generator, the fallback or how
   * failures are logged.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * A channel whose every {@code basicPublish} writes {@code correlation_id} / {@code
   * parent_correlation_id} into a copy of the message's headers (keeping a valid ID already
   * there; the caller's properties are never mutated) and whose every {@code basicConsume} runs
   * each delivery in its own correlation scope. Delegates every other method; survives automatic
   * connection recovery. Wrapping twice returns the same wrapper.
   *
   * @param channel the channel to publish and consume on
   * @return the correlating channel, or {@code channel} itself when it is already one
   */
  public Channel channel(Channel channel) {
    Objects.requireNonNull(channel, "channel");
    if (channel instanceof CorrelatingChannel) {
      return channel;
    }
    return new CorrelatingChannel(channel, this);
  }

  /**
   * A consumer that handles each delivery inside the message's correlation.
   *
   * @param consumer the consumer to run deliveries through
   * @return the correlating consumer, or {@code consumer} itself when it is already one
   */
  public Consumer consumer(Consumer consumer) {
    Objects.requireNonNull(consumer, "consumer");
    if (consumer instanceof CorrelatingConsumer) {
      return consumer;
    }
    return new CorrelatingConsumer(consumer, this);
  }

  /**
   * A callback that handles each delivery inside the message's correlation.
   *
   * @param callback the callback to run deliveries through
   * @return the correlating callback, or {@code callback} itself when it already opens the scope
   */
  public DeliverCallback deliverCallback(DeliverCallback callback) {
    Objects.requireNonNull(callback, "callback");
    if (callback instanceof CorrelatingDeliverCallback
        || callback instanceof RetryingDeliverCallback) {
      return callback; // already opens the delivery's scope
    }
    return new CorrelatingDeliverCallback(callback, this);
  }

  /**
   * Opens the delivery's correlation for its handling: {@code correlation_id}, {@code
   * parent_correlation_id}, for a dead-lettered message {@code death_count}, {@code death_reason}
   * and {@code death_queue}, and on a quorum queue's redelivery {@code delivery_count}
   * ({@code x-delivery-count} + 1, as JMS counts) in the MDC. A warning about the message's IDs (a value of the wrong type, an
   * invalid one) is logged under the correlation it is then handled with, with the same fields.
   *
   * @param delivery the delivery about to be handled
   * @return the scope to close after handling the delivery
   */
  public CorrelationScope open(Delivery delivery) {
    return open(delivery.getProperties());
  }

  /**
   * Like {@link #open(Delivery)}, for {@code basicGet}.
   *
   * @param response the message {@code basicGet} returned
   * @return the scope to close after handling the message
   */
  public CorrelationScope open(GetResponse response) {
    return open(response.getProps());
  }

  /**
   * Like {@link #open(Delivery)}, from the message's properties (null counts as no headers).
   *
   * @param properties the message's properties; may be {@code null}
   * @return the scope to close after handling the message
   */
  public CorrelationScope open(AMQP.BasicProperties properties) {
    Map<String, Object> headers = properties == null ? null : properties.getHeaders();
    return open(properties, DeliveryFacts.mdcFields(headers));
  }

  /** Opens the message's correlation with {@code mdcFields}, warnings included. */
  CorrelationScope open(AMQP.BasicProperties properties, String... mdcFields) {
    Map<String, Object> headers = properties == null ? null : properties.getHeaders();
    return propagator.open(
        new AmqpCarrier(headers), AmqpCarrier.GETTER, fallbackId(properties), mdcFields);
  }

  private String fallbackId(AMQP.BasicProperties properties) {
    return readCorrelationIdProperty && properties != null ? properties.getCorrelationId() : null;
  }

  /**
   * The correlation a message carries (a fresh root when it carries none, or an invalid one).
   *
   * @param properties the message's properties; may be {@code null}
   * @return the message's correlation, or a fresh root
   */
  public Correlation extract(AMQP.BasicProperties properties) {
    AmqpCarrier headers = new AmqpCarrier(properties == null ? null : properties.getHeaders());
    return propagator.extract(headers, AmqpCarrier.GETTER, fallbackId(properties));
  }

  /**
   * amqp-client's exception handler {@code delegate}, made to log a consumer's failure under the
   * failed delivery's correlation: its {@code handleConsumerException} runs inside {@link
   * io.baton.Baton#openFailed(Throwable)}; every other method is delegated as it is.
   *
   * <pre>{@code
   * factory.setExceptionHandler(rabbit.exceptionHandler(factory.getExceptionHandler()));
   * }</pre>
   *
   * @param delegate the exception handler that logs the failure
   * @return the correlating exception handler, or {@code delegate} itself when it is already one
   */
  public ExceptionHandler exceptionHandler(ExceptionHandler delegate) {
    Objects.requireNonNull(delegate, "delegate");
    if (delegate instanceof CorrelatingExceptionHandler) {
      return delegate;
    }
    return new CorrelatingExceptionHandler(delegate);
  }

  /**
   * A deliver callback for worker services (consume with {@code autoAck=false}): each delivery is
   * handled inside its correlation, with {@code retry_attempt} in the MDC, and acknowledged after
   * the handler returned. When the handler throws it is tried again in place ({@link
   * RabbitRetryPolicy.Builder#attempts}, with {@link RabbitRetryPolicy.Builder#backoff} between),
   * then the message is republished, with the same body, properties and headers (so the same ID)
   * plus the {@code baton_*} diagnostic headers, to the retry queue, or after the last hop to the
   * parking queue, and acknowledged once the broker confirmed the copy is on that queue. A
   * republish that fails (no such queue, refused, not confirmed in time, connection lost) and an
   * interrupt leave the delivery requeued, never acknowledged: nothing is lost, and the consuming
   * channel stays open.
   *
   * <pre>{@code
   * RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder().queue("email").retryHops(3).build();
   * policy.declareTopology(channel);
   * channel.basicConsume("email", false, rabbit.retrying(delivery -> send(delivery), channel, policy),
   *     tag -> {});
   * }</pre>
   *
   * <p>Republishes go through a confirm-mode channel the callback opens on {@code channel}'s
   * connection (closed with it); acknowledgements go through {@code channel}, which must be the
   * one the callback consumes on.
   *
   * @param handler the user's handling of one delivery
   * @param channel the channel the callback consumes on
   * @param policy attempts, queues, backoff and timeouts
   * @return the retrying callback, to give to {@code basicConsume}
   * @throws IllegalStateException when the retry queue (with {@code retryHops > 0}) or the parking
   *     queue does not exist
   * @throws IOException when the broker cannot be asked
   */
  public DeliverCallback retrying(
      MessageHandler<Delivery> handler, Channel channel, RabbitRetryPolicy policy) throws IOException {
    return RetryingDeliverCallback.create(
        this,
        Objects.requireNonNull(handler, "handler"),
        Objects.requireNonNull(channel, "channel"),
        Objects.requireNonNull(policy, "policy"));
  }

  /**
   * The correlation this instance applies.
   *
   * @return the propagator
   */
  public CorrelationPropagator propagator() {
    return propagator;
  }

  /** How failures of the user's code are logged. */
  FailureLog failureLog() {
    return failureLog;
  }

  /**
   * Properties for publishing: a copy with the correlation headers written, or {@code
   * properties} itself when it already carries a valid ID. Never mutates its argument.
   */
  AMQP.BasicProperties inject(AMQP.BasicProperties properties) {
    AmqpCarrier headers = new AmqpCarrier(properties == null ? null : properties.getHeaders());
    propagator.inject(headers, AmqpCarrier.GETTER, AmqpCarrier.SETTER);
    headers.canonicalize(propagator.idHeader());
    headers.canonicalize(propagator.parentHeader());
    if (!headers.changed()) {
      return properties;
    }
    AMQP.BasicProperties base = properties == null ? new AMQP.BasicProperties() : properties;
    return base.builder().headers(headers.current()).build();
  }

  /** Configures a {@link RabbitCorrelation}. */
  public static final class Builder {
    private CorrelationPropagator propagator = CorrelationPropagator.create();
    private boolean readCorrelationIdProperty;
    private FailureLog failureLog = FailureLog.defaults();

    private Builder() {}

    /**
     * Header names, aliases, MDC keys and ID generator; default {@link CorrelationPropagator#create()}.
     *
     * @param propagator the propagator to apply
     * @return this builder
     */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * Whether a message without the correlation header may be correlated by its AMQP {@code
     * correlationId} property (when that is a valid ID). Off by default: that property belongs to
     * request/reply.
     *
     * @param read whether to fall back to the {@code correlationId} property
     * @return this builder
     */
    public Builder readCorrelationIdProperty(boolean read) {
      this.readCorrelationIdProperty = read;
      return this;
    }

    /**
     * How a failure of the code Baton runs for a delivery (a consumer, a deliver callback, a
     * retried handler) is logged: one line with the stack trace on logger {@code
     * io.baton.rabbitmq}, under the delivery's correlation, before the exception leaves its scope.
     * Default {@link FailureLog#defaults()} (ERROR); {@link FailureLog#off()} when your handlers
     * log their own failures.
     *
     * @param failureLog how delivery failures are logged
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
    public RabbitCorrelation build() {
      return new RabbitCorrelation(this);
    }
  }
}
