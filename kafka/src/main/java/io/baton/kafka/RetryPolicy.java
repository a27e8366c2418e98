package io.baton.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How {@link KafkaCorrelation#retrying} retries a failing record: attempts in place, then hops
 * through a retry topic, then the dead-letter topic.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.newBuilder()
 *     .attempts(3)          // in place, same correlation, retry_attempt in the MDC
 *     .retryHops(2)         // then up to 2 trips through "<topic>.retry"
 *     .build();             // then "<topic>.DLT"
 * }</pre>
 */
public final class RetryPolicy {

  /** Header: attempts made so far, over all hops. */
  public static final String ATTEMPTS_HEADER = "baton_attempts";

  /** Header: trips through the retry topic so far. */
  public static final String RETRY_HOPS_HEADER = "baton_retry_hops";

  /** Header: the topic the record was first consumed from. */
  public static final String ORIGINAL_TOPIC_HEADER = "baton_original_topic";

  /** Header: the partition the record was first consumed from. */
  public static final String ORIGINAL_PARTITION_HEADER = "baton_original_partition";

  /** Header: the offset the record was first consumed at. */
  public static final String ORIGINAL_OFFSET_HEADER = "baton_original_offset";

  /** Header: class of the exception of the last failed attempt. */
  public static final String EXCEPTION_CLASS_HEADER = "baton_exception_class";

  /** Header: message of that exception, at most 255 characters, made printable ({@code Baton.printable}). */
  public static final String EXCEPTION_MESSAGE_HEADER = "baton_exception_message";

  /** MDC key: the attempt number (1, 2, ...) while a record is handled by the retrying handler. */
  public static final String ATTEMPT_MDC_KEY = "retry_attempt";

  private final int attempts;
  private final int retryHops;
  private final Function<String, String> retryTopic;
  private final Function<String, String> deadLetterTopic;
  private final Duration sendTimeout;

  private RetryPolicy(Builder builder) {
    this.attempts = builder.attempts;
    this.retryHops = builder.retryHops;
    this.retryTopic = builder.retryTopic;
    this.deadLetterTopic = builder.deadLetterTopic;
    this.sendTimeout = builder.sendTimeout;
  }

  /** Three attempts in place, no retry topic, then {@code <topic>.DLT}. */
  public static RetryPolicy defaults() {
    return newBuilder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Attempts in place per delivery of a record, at least 1. */
  public int attempts() {
    return attempts;
  }

  /** How many times a record may go through the retry topic before it is dead-lettered. */
  public int retryHops() {
    return retryHops;
  }

  /** The retry topic for a record first consumed from {@code originalTopic}. */
  public String retryTopic(String originalTopic) {
    return retryTopic.apply(originalTopic);
  }

  /** The dead-letter topic for a record first consumed from {@code originalTopic}. */
  public String deadLetterTopic(String originalTopic) {
    return deadLetterTopic.apply(originalTopic);
  }

  /** How long republishing may take before the handler gives up and throws. */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Configures a {@link RetryPolicy}. */
  public static final class Builder {
    private int attempts = 3;
    private int retryHops;
    private Function<String, String> retryTopic = topic -> topic + ".retry";
    private Function<String, String> deadLetterTopic = topic -> topic + ".DLT";
    private Duration sendTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Attempts in place, at least 1; default 3. */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** Trips through the retry topic before the dead-letter topic; default 0 (none). */
    public Builder retryHops(int retryHops) {
      if (retryHops < 0) {
        throw new IllegalArgumentException("retryHops must not be negative: " + retryHops);
      }
      this.retryHops = retryHops;
      return this;
    }

    /** Names the retry topic from the original topic; default {@code <topic>.retry}. */
    public Builder retryTopic(Function<String, String> naming) {
      this.retryTopic = Objects.requireNonNull(naming, "naming");
      return this;
    }

    /** Names the dead-letter topic from the original topic; default {@code <topic>.DLT}. */
    public Builder deadLetterTopic(Function<String, String> naming) {
      this.deadLetterTopic = Objects.requireNonNull(naming, "naming");
      return this;
    }

    /** How long republishing may take; default 30 seconds. */
    public Builder sendTimeout(Duration sendTimeout) {
      this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout");
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
