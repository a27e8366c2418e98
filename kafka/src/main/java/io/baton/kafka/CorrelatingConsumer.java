package io.baton.kafka;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Normalizes the correlation headers of every polled record, so that each carries exactly one
 * valid ID, which whatever it is forwarded to keeps.
 *
 * <p>Abstract: the methods whose types only kafka-clients 4.x has ({@code CloseOptions}, {@code
 * SubscriptionPattern}) are in {@link CorrelatingConsumer4}; on 3.x the wrapper is {@code
 * CorrelatingConsumer3}, compiled against 3.9 (see the module's pom), so that reflecting over
 * every method of the wrapper (Spring AOP, CGLIB, Mockito spies) finds no type 3.x lacks.
 */
abstract class CorrelatingConsumer<K, V> implements Consumer<K, V> {

  /** The wrapper for the kafka-clients on the class path. */
  @SuppressWarnings("unchecked")
  static <K, V> CorrelatingConsumer<K, V> of(Consumer<K, V> delegate, KafkaCorrelation kafka) {
    if (KAFKA_3 == null) {
      return new CorrelatingConsumer4<>(delegate, kafka);
    }
    try {
      return (CorrelatingConsumer<K, V>) KAFKA_3.newInstance(delegate, kafka);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Baton's kafka-clients 3.x consumer wrapper failed", e);
    }
  }

  /** The 3.x wrapper's constructor when kafka-clients 3.x is on the class path, else null. */
  private static final java.lang.reflect.Constructor<?> KAFKA_3 = kafka3Constructor();

  private static java.lang.reflect.Constructor<?> kafka3Constructor() {
    try {
      Class.forName("org.apache.kafka.clients.consumer.CloseOptions", false,
          CorrelatingConsumer.class.getClassLoader());
      return null; // 4.x
    } catch (ClassNotFoundException e) {
      try {
        return Class.forName("io.baton.kafka.CorrelatingConsumer3")
            .getDeclaredConstructor(Consumer.class, KafkaCorrelation.class);
      } catch (ReflectiveOperationException missing) {
        throw new IllegalStateException("Baton's kafka-clients 3.x consumer wrapper is missing", missing);
      }
    }
  }

  final Consumer<K, V> delegate;
  private final KafkaCorrelation kafka;
  /** Commits the application asked for through this wrapper. */
  private final AtomicLong commitCalls = new AtomicLong();
  private volatile long nextAutoCommitCheck = System.nanoTime();
  private volatile boolean autoCommitSeen;

  CorrelatingConsumer(Consumer<K, V> delegate, KafkaCorrelation kafka) {
    this.delegate = delegate;
    this.kafka = kafka;
  }

  /**
   * Warns once when the consumer commits more often than the application asked it to through this
   * wrapper: {@code enable.auto.commit} is on (a {@code KafkaConsumer} does not expose its
   * configuration, its commit metric tells). Looked at every few seconds at most.
   */
  void warnIfAutoCommitting() {
    long now = System.nanoTime();
    if (autoCommitSeen || now - nextAutoCommitCheck < 0) {
      return;
    }
    nextAutoCommitCheck = now + AUTO_COMMIT_CHECK_NANOS;
    if (commitsMade() > commitCalls.get()) {
      autoCommitSeen = true;
      KafkaCorrelation.LOG.warn("This consumer commits offsets by itself (enable.auto.commit=true): "
          + "set enable.auto.commit=false and call commitSync() after forEach, so that no commit can "
          + "pass a record that is still being handled or retried");
    }
  }

  private static final long AUTO_COMMIT_CHECK_NANOS = TimeUnit.SECONDS.toNanos(3);

  /** The offset commits the client made (its "commit-total" metric); 0 when it has none. */
  private double commitsMade() {
    try {
      for (Map.Entry<MetricName, ? extends Metric> metric : delegate.metrics().entrySet()) {
        if (metric.getKey().name().equals("commit-total")
            && metric.getKey().group().endsWith("coordinator-metrics")
            && metric.getValue().metricValue() instanceof Number total) {
          return total.doubleValue();
        }
      }
    } catch (RuntimeException e) {
      // a consumer without metrics: nothing to tell
    }
    return 0;
  }

  @Override
  public ConsumerRecords<K, V> poll(Duration timeout) {
    return kafka.normalize(delegate.poll(timeout));
  }

  /**
   * kafka-clients 3.x's deprecated {@code poll(long)}: not in the 4.x interface this class is
   * compiled against, but found by the JVM when a 3.x user calls it. It reaches the wrapped
   * consumer's own {@code poll(long)}, which unlike {@code poll(Duration)} waits for metadata and
   * the partition assignment (what {@code poll(0)} before a seek relies on).
   */
  @SuppressWarnings("unchecked")
  public ConsumerRecords<K, V> poll(long timeoutMs) {
    if (POLL_LONG == null) {
      return poll(Duration.ofMillis(timeoutMs));
    }
    ConsumerRecords<K, V> records;
    try {
      records = (ConsumerRecords<K, V>) POLL_LONG.invoke(delegate, timeoutMs);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e); // poll declares no checked exception
    }
    return kafka.normalize(records);
  }

  /** {@code Consumer.poll(long)} when the kafka-clients on the class path (3.x) has it, else null. */
  private static final MethodHandle POLL_LONG = pollLong();

  private static MethodHandle pollLong() {
    try {
      return MethodHandles.publicLookup().findVirtual(
          Consumer.class, "poll", MethodType.methodType(ConsumerRecords.class, long.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  /** kafka-clients 3.x's deprecated {@code committed(TopicPartition)}. */
  public OffsetAndMetadata committed(TopicPartition partition) {
    return delegate.committed(Set.of(partition)).get(partition);
  }

  /** kafka-clients 3.x's deprecated {@code committed(TopicPartition, Duration)}. */
  public OffsetAndMetadata committed(TopicPartition partition, Duration timeout) {
    return delegate.committed(Set.of(partition), timeout).get(partition);
  }

  @Override
  public Set<TopicPartition> assignment() {
    return delegate.assignment();
  }

  @Override
  public Set<String> subscription() {
    return delegate.subscription();
  }

  @Override
  public void subscribe(Collection<String> topics) {
    delegate.subscribe(topics);
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener callback) {
    delegate.subscribe(topics, callback);
  }

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    delegate.assign(partitions);
  }

  @Override
  public void subscribe(Pattern pattern, ConsumerRebalanceListener callback) {
    delegate.subscribe(pattern, callback);
  }

  @Override
  public void subscribe(Pattern pattern) {
    delegate.subscribe(pattern);
  }

  @Override
  public void unsubscribe() {
    delegate.unsubscribe();
  }

  @Override
  public void commitSync() {
    commitCalls.incrementAndGet();
    delegate.commitSync();
  }

  @Override
  public void commitSync(Duration timeout) {
    commitCalls.incrementAndGet();
    delegate.commitSync(timeout);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    commitCalls.incrementAndGet();
    delegate.commitSync(offsets);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    commitCalls.incrementAndGet();
    delegate.commitSync(offsets, timeout);
  }

  @Override
  public void commitAsync() {
    commitCalls.incrementAndGet();
    delegate.commitAsync();
  }

  @Override
  public void commitAsync(OffsetCommitCallback callback) {
    commitCalls.incrementAndGet();
    delegate.commitAsync(callback);
  }

  @Override
  public void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    commitCalls.incrementAndGet();
    delegate.commitAsync(offsets, callback);
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void seek(TopicPartition partition, long offset) {
    delegate.seek(partition, offset);
  }

  @Override
  public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
    delegate.seek(partition, offsetAndMetadata);
  }

  @Override
  public void seekToBeginning(Collection<TopicPartition> partitions) {
    delegate.seekToBeginning(partitions);
  }

  @Override
  public void seekToEnd(Collection<TopicPartition> partitions) {
    delegate.seekToEnd(partitions);
  }

  @Override
  public long position(TopicPartition partition) {
    return delegate.position(partition);
  }

  @Override
  public long position(TopicPartition partition, Duration timeout) {
    return delegate.position(partition, timeout);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
    return delegate.committed(partitions);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(
      Set<TopicPartition> partitions, Duration timeout) {
    return delegate.committed(partitions, timeout);
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    return delegate.partitionsFor(topic, timeout);
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics() {
    return delegate.listTopics();
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
    return delegate.listTopics(timeout);
  }

  @Override
  public Set<TopicPartition> paused() {
    return delegate.paused();
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    delegate.pause(partitions);
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    delegate.resume(partitions);
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch) {
    return delegate.offsetsForTimes(timestampsToSearch);
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
    return delegate.offsetsForTimes(timestampsToSearch, timeout);
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    return delegate.beginningOffsets(partitions);
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return delegate.beginningOffsets(partitions, timeout);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return delegate.endOffsets(partitions);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return delegate.endOffsets(partitions, timeout);
  }

  @Override
  public OptionalLong currentLag(TopicPartition topicPartition) {
    return delegate.currentLag(topicPartition);
  }

  @Override
  public ConsumerGroupMetadata groupMetadata() {
    return delegate.groupMetadata();
  }

  @Override
  public void enforceRebalance() {
    delegate.enforceRebalance();
  }

  @Override
  public void enforceRebalance(String reason) {
    delegate.enforceRebalance(reason);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  @Deprecated
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
