package io.baton.rabbitmq;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Retries for one work queue, with a TTL-delayed retry queue that dead-letters back to it and a
 * parking queue for messages that used up their attempts:
 *
 * <pre>
 *   work  --handler fails--&gt;  work.retry (x-message-ttl, dead-letters to "work")  --TTL--&gt;  work
 *   work  --attempt N fails--&gt;  work.parking
 * </pre>
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.forQueue("work").maxAttempts(4).build();
 * policy.declareTopology(channel, Duration.ofSeconds(5));    // work.retry and work.parking
 * channel.basicConsume("work", false, rabbit.retrying(channel, delivery -> send(delivery), policy),
 *     tag -> {});
 * }</pre>
 *
 * <p>Republished messages keep body, properties and headers (so the same {@code
 * correlation_id}) and carry one {@value #ATTEMPTS_HEADER} header, replaced on every retry.
 */
public final class RetryPolicy {

  /** Header: attempts made so far. */
  public static final String ATTEMPTS_HEADER = "baton_attempts";

  /** Header: class of the exception of the last failed attempt. */
  public static final String EXCEPTION_CLASS_HEADER = "baton_exception_class";

  /** MDC key: the attempt number (1, 2, ...) while the handler runs. */
  public static final String ATTEMPT_MDC_KEY = "retry_attempt";

  private final String queue;
  private final int maxAttempts;
  private final String retryQueue;
  private final String parkingQueue;
  private final Duration confirmTimeout;

  private RetryPolicy(Builder builder) {
    this.queue = builder.queue;
    this.maxAttempts = builder.maxAttempts;
    this.retryQueue = builder.retryQueue == null ? queue + ".retry" : builder.retryQueue;
    this.parkingQueue = builder.parkingQueue == null ? queue + ".parking" : builder.parkingQueue;
    this.confirmTimeout = builder.confirmTimeout;
  }

  /** A builder for retries of messages consumed from {@code queue}. */
  public static Builder forQueue(String queue) {
    return new Builder(Objects.requireNonNull(queue, "queue"));
  }

  /** The work queue. */
  public String queue() {
    return queue;
  }

  /** Attempts in all, the first delivery included; default 3. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Where a failed message waits before it goes back to the work queue; default {@code <queue>.retry}. */
  public String retryQueue() {
    return retryQueue;
  }

  /** Where a message goes after its last attempt; default {@code <queue>.parking}. */
  public String parkingQueue() {
    return parkingQueue;
  }

  /** How long to wait for publisher confirms, when the channel is in confirm mode. */
  public Duration confirmTimeout() {
    return confirmTimeout;
  }

  /**
   * Declares (idempotently, durable) the retry queue, whose messages expire after {@code delay}
   * and dead-letter back to the work queue through the default exchange, and the parking queue.
   */
  public void declareTopology(Channel channel, Duration delay) throws IOException {
    channel.queueDeclare(
        retryQueue,
        true,
        false,
        false,
        Map.of(
            "x-message-ttl", delay.toMillis(),
            "x-dead-letter-exchange", "",
            "x-dead-letter-routing-key", queue));
    channel.queueDeclare(parkingQueue, true, false, false, null);
  }

  /** Configures a {@link RetryPolicy}. */
  public static final class Builder {
    private final String queue;
    private int maxAttempts = 3;
    private String retryQueue;
    private String parkingQueue;
    private Duration confirmTimeout = Duration.ofSeconds(30);

    private Builder(String queue) {
      this.queue = queue;
    }

    /** Attempts in all, at least 1; default 3. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The retry queue; default {@code <queue>.retry}. */
    public Builder retryQueue(String retryQueue) {
      this.retryQueue = Objects.requireNonNull(retryQueue, "retryQueue");
      return this;
    }

    /** The parking queue; default {@code <queue>.parking}. */
    public Builder parkingQueue(String parkingQueue) {
      this.parkingQueue = Objects.requireNonNull(parkingQueue, "parkingQueue");
      return this;
    }

    /** How long to wait for publisher confirms (confirm-mode channels only); default 30 s. */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
