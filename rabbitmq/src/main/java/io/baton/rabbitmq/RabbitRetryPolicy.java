package io.baton.rabbitmq;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link RabbitCorrelation#retrying} retries a failing delivery of one work queue: {@link
 * Builder#attempts attempts} in place (with {@link Builder#backoff backoff} between them), then up
 * to {@link Builder#retryHops retryHops} trips through a TTL-delayed retry queue that dead-letters
 * back to the work queue, then the parking queue. Attempts in all: {@code attempts × (retryHops +
 * 1)}.
 *
 * <pre>
 *   email  --attempts fail--&gt;  email.retry (x-message-ttl = retryDelay, dead-letters to "email")  --TTL--&gt;  email
 *   email  --attempts of the last hop fail--&gt;  email.parking
 * </pre>
 *
 * <pre>{@code
 * RabbitRetryPolicy policy = RabbitRetryPolicy.newBuilder()
 *     .queue("email")
 *     .attempts(2).backoff(Duration.ofMillis(200))     // in place
 *     .retryHops(3).retryDelay(Duration.ofSeconds(30)) // then through email.retry
 *     .build();                                        // then email.parking
 * policy.declareTopology(channel);
 * channel.basicConsume("email", false, rabbit.retrying(handler, channel, policy), tag -> {});
 * }</pre>
 *
 * <p>Where a delivery goes is decided by this policy alone; the {@code baton_*} headers are
 * diagnostic data, except the two counters ({@value #ATTEMPTS_HEADER}, {@value
 * #RETRY_HOPS_HEADER}), which are read back, bounded, to know how far the message has come.
 */
public final class RabbitRetryPolicy {

  /** Header: attempts made so far, over all hops. */
  public static final String ATTEMPTS_HEADER = "baton_attempts";

  /** Header: trips through the retry queue so far. */
  public static final String RETRY_HOPS_HEADER = "baton_retry_hops";

  /** Header: the work queue the message failed on (this policy's {@link #queue()}). */
  public static final String ORIGINAL_QUEUE_HEADER = "baton_original_queue";

  /** Header: class of the exception of the last failed attempt. */
  public static final String EXCEPTION_CLASS_HEADER = "baton_exception_class";

  /** Header: message of that exception, at most 255 characters, made printable ({@code Baton.printable}). */
  public static final String EXCEPTION_MESSAGE_HEADER = "baton_exception_message";

  /** MDC key: the attempt number (1, 2, ...), counted over all hops, while the handler runs. */
  public static final String ATTEMPT_MDC_KEY = "retry_attempt";

  private final String queue;
  private final int attempts;
  private final int retryHops;
  private final Duration backoff;
  private final Duration retryDelay;
  private final String retryQueue;
  private final String parkingQueue;
  private final Duration confirmTimeout;

  private RabbitRetryPolicy(Builder builder) {
    this.queue = builder.queue;
    this.attempts = builder.attempts;
    this.retryHops = builder.retryHops;
    this.backoff = builder.backoff;
    this.retryDelay = builder.retryDelay;
    this.retryQueue = builder.retryQueue == null ? queue + ".retry" : builder.retryQueue;
    this.parkingQueue = builder.parkingQueue == null ? queue + ".parking" : builder.parkingQueue;
    this.confirmTimeout = builder.confirmTimeout;
  }

  /**
   * A builder; {@link Builder#queue} is required.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The work queue.
   *
   * @return the work queue's name
   */
  public String queue() {
    return queue;
  }

  /**
   * Attempts in place per delivery; default 1.
   *
   * @return the number of attempts
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Trips through the retry queue before the parking queue; default 2.
   *
   * @return the number of retry hops
   */
  public int retryHops() {
    return retryHops;
  }

  /**
   * The pause between in-place attempts; default none.
   *
   * @return the backoff, zero for none
   */
  public Duration backoff() {
    return backoff;
  }

  /**
   * How long a message waits in the retry queue (its {@code x-message-ttl}); default 5 s.
   *
   * @return the retry delay
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * Where a failed message waits before it goes back to the work queue; default {@code <queue>.retry}.
   *
   * @return the retry queue's name
   */
  public String retryQueue() {
    return retryQueue;
  }

  /**
   * Where a message goes after its last attempt; default {@code <queue>.parking}.
   *
   * @return the parking queue's name
   */
  public String parkingQueue() {
    return parkingQueue;
  }

  /**
   * How long a republish waits for the broker's confirm; default 10 s.
   *
   * @return the confirm timeout
   */
  public Duration confirmTimeout() {
    return confirmTimeout;
  }

  /**
   * Declares (idempotently, durable) the retry queue, whose messages expire after {@link
   * #retryDelay()} and dead-letter back to the work queue through the default exchange, and the
   * parking queue. The work queue is yours to declare.
   *
   * @param channel the channel to declare the queues on
   * @throws IOException when a declaration fails, e.g. a queue exists with other arguments
   */
  public void declareTopology(Channel channel) throws IOException {
    channel.queueDeclare(
        retryQueue,
        true,
        false,
        false,
        Map.of(
            "x-message-ttl", retryDelay.toMillis(),
            "x-dead-letter-exchange", "",
            "x-dead-letter-routing-key", queue));
    channel.queueDeclare(parkingQueue, true, false, false, null);
  }

  @Override
  public String toString() {
    return "RabbitRetryPolicy{queue=" + queue + ", attempts=" + attempts + ", retryHops=" + retryHops
        + ", backoff=" + backoff + ", retryDelay=" + retryDelay + ", retryQueue=" + retryQueue
        + ", parkingQueue=" + parkingQueue + "}";
  }

  /** Configures a {@link RabbitRetryPolicy}. */
  public static final class Builder {
    private String queue;
    private int attempts = 1;
    private int retryHops = 2;
    private Duration backoff = Duration.ZERO;
    private Duration retryDelay = Duration.ofSeconds(5);
    private String retryQueue;
    private String parkingQueue;
    private Duration confirmTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * The work queue the handler consumes; required.
     *
     * @param queue the work queue's name
     * @return this builder
     */
    public Builder queue(String queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * Attempts in place per delivery, at least 1; default 1.
     *
     * @param attempts the number of attempts per delivery
     * @return this builder
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * Trips through the retry queue before the parking queue, at least 0; default 2.
     *
     * @param retryHops the number of trips through the retry queue
     * @return this builder
     */
    public Builder retryHops(int retryHops) {
      if (retryHops < 0) {
        throw new IllegalArgumentException("retryHops must not be negative: " + retryHops);
      }
      this.retryHops = retryHops;
      return this;
    }

    /**
     * The pause between in-place attempts (not after the last); default none.
     *
     * @param backoff the pause between attempts
     * @return this builder
     */
    public Builder backoff(Duration backoff) {
      this.backoff = nonNegative(backoff, "backoff");
      return this;
    }

    /**
     * How long a message waits in the retry queue: its TTL, set by {@link #declareTopology}; default 5 s.
     *
     * @param retryDelay the time a message spends in the retry queue
     * @return this builder
     */
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelay = nonNegative(retryDelay, "retryDelay");
      return this;
    }

    /**
     * The retry queue; default {@code <queue>.retry}.
     *
     * @param retryQueue the retry queue's name
     * @return this builder
     */
    public Builder retryQueue(String retryQueue) {
      this.retryQueue = Objects.requireNonNull(retryQueue, "retryQueue");
      return this;
    }

    /**
     * The parking queue; default {@code <queue>.parking}.
     *
     * @param parkingQueue the parking queue's name
     * @return this builder
     */
    public Builder parkingQueue(String parkingQueue) {
      this.parkingQueue = Objects.requireNonNull(parkingQueue, "parkingQueue");
      return this;
    }

    /**
     * How long a republish waits for the broker's confirm, at least 1 ms; default 10 s.
     *
     * @param confirmTimeout the longest wait for the broker's confirm
     * @return this builder
     */
    public Builder confirmTimeout(Duration confirmTimeout) {
      if (nonNegative(confirmTimeout, "confirmTimeout").toMillis() < 1) {
        throw new IllegalArgumentException("confirmTimeout must be at least 1 ms: " + confirmTimeout);
      }
      this.confirmTimeout = confirmTimeout;
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public RabbitRetryPolicy build() {
      if (queue == null) {
        throw new IllegalStateException("RabbitRetryPolicy needs the work queue: .queue(\"email\")");
      }
      return new RabbitRetryPolicy(this);
    }

    private static Duration nonNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + duration);
      }
      return duration;
    }
  }
}
