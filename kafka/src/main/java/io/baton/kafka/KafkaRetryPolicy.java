package io.baton.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link KafkaCorrelation#retrying} retries a failing record: attempts in place (with a
 * backoff between them), then hops through the retry topic (each handled again only after the
 * retry delay), then the dead-letter topic. Where a record goes is decided by this policy and the
 * topic the record was consumed from, never by the record's headers.
 *
 * <pre>{@code
 * KafkaRetryPolicy policy = KafkaRetryPolicy.newBuilder()
 *     .attempts(3)                          // in place, per delivery
 *     .backoff(Duration.ofMillis(200))      // between those attempts
 *     .retryHops(2)                         // then up to 2 trips through "orders.retry"
 *     .retryDelay(Duration.ofSeconds(30))   // each handled 30 s after it was republished
 *     .build();                             // then "orders.DLT"
 * }</pre>
 */
public final class KafkaRetryPolicy {

  /** Header: attempts made so far, over all hops. */
  public static final String ATTEMPTS_HEADER = "baton_attempts";

  /** Header: trips through the retry topic so far. */
  public static final String RETRY_HOPS_HEADER = "baton_retry_hops";

  /** Header: the topic the record was first consumed from (as this policy derives it). */
  public static final String ORIGINAL_TOPIC_HEADER = "baton_original_topic";

  /** Header: the partition the record was first consumed from. */
  public static final String ORIGINAL_PARTITION_HEADER = "baton_original_partition";

  /** Header: the offset the record was first consumed at. */
  public static final String ORIGINAL_OFFSET_HEADER = "baton_original_offset";

  /** Header: class of the exception of the last failed attempt. */
  public static final String EXCEPTION_CLASS_HEADER = "baton_exception_class";

  /** Header: message of that exception, at most 255 characters, made printable ({@code Baton.printable}). */
  public static final String EXCEPTION_MESSAGE_HEADER = "baton_exception_message";

  /** MDC key: the attempt number, counted across all hops from 1, while the handler runs. */
  public static final String ATTEMPT_MDC_KEY = "retry_attempt";

  private final int attempts;
  private final int retryHops;
  private final Duration backoff;
  private final Duration retryDelay;
  private final String retrySuffix;
  private final String deadLetterSuffix;
  private final Duration sendTimeout;

  private KafkaRetryPolicy(Builder builder) {
    this.attempts = builder.attempts;
    this.retryHops = builder.retryHops;
    this.backoff = builder.backoff;
    this.retryDelay = builder.retryDelay;
    this.retrySuffix = builder.retrySuffix;
    this.deadLetterSuffix = builder.deadLetterSuffix;
    this.sendTimeout = builder.sendTimeout;
  }

  /**
   * Three attempts in place, no backoff, no retry topic, then {@code <topic>.DLT}.
   *
   * @return the default policy
   */
  public static KafkaRetryPolicy defaults() {
    return newBuilder().build();
  }

  /**
   * A builder starting from {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Attempts in place per delivery of a record, at least 1.
   *
   * @return the number of attempts
   */
  public int attempts() {
    return attempts;
  }

  /**
   * How many times a record is republished to the retry topic before the dead-letter topic.
   *
   * @return the number of retry hops
   */
  public int retryHops() {
    return retryHops;
  }

  /**
   * The pause between two in-place attempts.
   *
   * @return the backoff, zero for none
   */
  public Duration backoff() {
    return backoff;
  }

  /**
   * How long after its republish a record on the retry topic is handled again.
   *
   * @return the retry delay, zero for none
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * How long a republish may take to be acknowledged by the broker.
   *
   * @return the send timeout
   */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /**
   * The retry topic of records first consumed from {@code originalTopic}.
   *
   * @param originalTopic the topic the record was first consumed from
   * @return the retry topic's name
   */
  public String retryTopic(String originalTopic) {
    return originalTopic + retrySuffix;
  }

  /**
   * The dead-letter topic of records first consumed from {@code originalTopic}.
   *
   * @param originalTopic the topic the record was first consumed from
   * @return the dead-letter topic's name
   */
  public String deadLetterTopic(String originalTopic) {
    return originalTopic + deadLetterSuffix;
  }

  /** Whether {@code topic} is a retry topic under this policy. */
  boolean isRetryTopic(String topic) {
    return topic.length() > retrySuffix.length() && topic.endsWith(retrySuffix);
  }

  /** The topic a record consumed from {@code topic} was first consumed from. */
  String originalTopic(String topic) {
    return isRetryTopic(topic) ? topic.substring(0, topic.length() - retrySuffix.length()) : topic;
  }

  @Override
  public String toString() {
    return "KafkaRetryPolicy{attempts=" + attempts + ", retryHops=" + retryHops + ", backoff="
        + backoff + ", retryDelay=" + retryDelay + ", retryTopic=<topic>" + retrySuffix
        + ", deadLetterTopic=<topic>" + deadLetterSuffix + ", sendTimeout=" + sendTimeout + "}";
  }

  /** Configures a {@link KafkaRetryPolicy}. */
  public static final class Builder {
    private int attempts = 3;
    private int retryHops;
    private Duration backoff = Duration.ZERO;
    private Duration retryDelay = Duration.ZERO;
    private String retrySuffix = ".retry";
    private String deadLetterSuffix = ".DLT";
    private Duration sendTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Attempts in place per delivery, at least 1; default 3.
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
     * Republishes to the retry topic before the dead-letter topic; default 0 (none).
     *
     * @param retryHops the number of republishes to the retry topic
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
     * The pause between in-place attempts; default none. The polling thread waits it out, so keep
     * {@code attempts × (handling time + backoff) + sendTimeout} under the consumer's {@code
     * max.poll.interval.ms}.
     *
     * @param backoff the pause between attempts
     * @return this builder
     */
    public Builder backoff(Duration backoff) {
      this.backoff = nonNegative(backoff, "backoff");
      return this;
    }

    /**
     * How long after it was republished a record on the retry topic is handled again; default
     * none. {@link KafkaCorrelation#forEach} does not wait for it: it pauses that partition only,
     * until then, and goes on with the others.
     *
     * @param retryDelay the delay before a retried record is handled
     * @return this builder
     */
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelay = nonNegative(retryDelay, "retryDelay");
      return this;
    }

    /**
     * The retry topic's name is the original topic's plus this; default {@code ".retry"}.
     *
     * @param suffix appended to the original topic's name
     * @return this builder
     */
    public Builder retryTopicSuffix(String suffix) {
      this.retrySuffix = suffix(suffix);
      return this;
    }

    /**
     * The dead-letter topic's name is the original topic's plus this; default {@code ".DLT"}.
     *
     * @param suffix appended to the original topic's name
     * @return this builder
     */
    public Builder deadLetterTopicSuffix(String suffix) {
      this.deadLetterSuffix = suffix(suffix);
      return this;
    }

    /**
     * How long a republish may take to be acknowledged; default 30 seconds.
     *
     * @param sendTimeout the longest wait for the broker's acknowledgement
     * @return this builder
     */
    public Builder sendTimeout(Duration sendTimeout) {
      this.sendTimeout = nonNegative(sendTimeout, "sendTimeout");
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public KafkaRetryPolicy build() {
      if (retrySuffix.equals(deadLetterSuffix)) {
        throw new IllegalArgumentException("the retry and dead-letter suffixes must differ: " + retrySuffix);
      }
      return new KafkaRetryPolicy(this);
    }

    private static Duration nonNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + duration);
      }
      return duration;
    }

    private static String suffix(String suffix) {
      Objects.requireNonNull(suffix, "suffix");
      if (suffix.isEmpty()) {
        throw new IllegalArgumentException("a topic suffix must not be empty");
      }
      return suffix;
    }
  }
}
