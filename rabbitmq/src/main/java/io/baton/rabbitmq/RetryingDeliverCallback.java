package io.baton.rabbitmq;

import static io.baton.rabbitmq.RabbitRetryPolicy.ATTEMPTS_HEADER;
import static io.baton.rabbitmq.RabbitRetryPolicy.ATTEMPT_MDC_KEY;
import static io.baton.rabbitmq.RabbitRetryPolicy.EXCEPTION_CLASS_HEADER;
import static io.baton.rabbitmq.RabbitRetryPolicy.EXCEPTION_MESSAGE_HEADER;
import static io.baton.rabbitmq.RabbitRetryPolicy.ORIGINAL_QUEUE_HEADER;
import static io.baton.rabbitmq.RabbitRetryPolicy.RETRY_HOPS_HEADER;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.MessageHandler;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a delivery (manual acknowledgement) inside its correlation, with in-place attempts; when
 * they all fail, republishes it to the retry queue, or after the last hop to the parking queue,
 * and acknowledges it only once the broker confirmed the copy is on that queue. A republish that
 * is returned (no such queue), refused (nack) or not confirmed in time leaves the delivery
 * unacknowledged and requeued; so does an interrupt (shutdown is not a failure). Nothing here
 * closes the consuming channel: republishes go through a confirm-mode channel of this callback's
 * own, so that a confirm's fate never depends on, nor kills, the channel the user consumes on.
 */
final class RetryingDeliverCallback implements DeliverCallback {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.rabbitmq.retry");

  /** Header keying a {@code basic.return} to the republish it answers. */
  static final String REPUBLISH_ID_HEADER = "baton_republish_id";

  /** The pause before a delivery whose republish failed is requeued, so a missing queue does not spin. */
  static final long REQUEUE_PAUSE_MILLIS = 1_000;

  /** Counters read back from headers are bounded; a forged one only moves a message to parking sooner. */
  private static final int MAX_COUNT = 1_000_000;

  private static final List<String> OUR_HEADERS = List.of(ATTEMPTS_HEADER, RETRY_HOPS_HEADER,
      ORIGINAL_QUEUE_HEADER, EXCEPTION_CLASS_HEADER, EXCEPTION_MESSAGE_HEADER, REPUBLISH_ID_HEADER);

  private final RabbitCorrelation rabbit;
  private final MessageHandler<Delivery> handler;
  private final Channel channel;
  private final RabbitRetryPolicy policy;
  private final int totalAttempts;

  /** Republish IDs the broker returned (mandatory, unroutable); written on the connection's thread. */
  private final Set<String> returned = ConcurrentHashMap.newKeySet();
  private final Object publishing = new Object();
  private Channel publisher; // guarded by publishing
  private int publisherNumber; // guarded by publishing; reclaimed after a connection recovery

  private RetryingDeliverCallback(
      RabbitCorrelation rabbit, MessageHandler<Delivery> handler, Channel channel, RabbitRetryPolicy policy) {
    this.rabbit = rabbit;
    this.handler = handler;
    this.channel = channel;
    this.policy = policy;
    this.totalAttempts = (int) Math.min(Integer.MAX_VALUE, (long) policy.attempts() * (policy.retryHops() + 1));
  }

  /** The callback, once the queues it republishes to are known to exist. */
  static RetryingDeliverCallback create(
      RabbitCorrelation rabbit, MessageHandler<Delivery> handler, Channel channel, RabbitRetryPolicy policy)
      throws IOException {
    RetryingDeliverCallback callback = new RetryingDeliverCallback(rabbit, handler, channel, policy);
    if (policy.retryHops() > 0) {
      callback.requireQueue(policy.retryQueue(), "retry");
    }
    callback.requireQueue(policy.parkingQueue(), "parking");
    synchronized (callback.publishing) {
      callback.publisher(); // opened now, on a healthy connection, not in a recovery's midst
    }
    return callback;
  }

  /**
   * The consuming channel's connection, asked each time: with automatic recovery a channel answers
   * the connection it runs on now, which recovery replaces.
   */
  private Connection connection() throws IOException {
    Connection connection = channel.getConnection();
    if (connection == null) {
      throw new IOException("The channel has no connection: " + channel);
    }
    return connection;
  }

  /** A passive declare, on a throwaway channel: a missing queue closes the channel it is asked on. */
  private void requireQueue(String queue, String role) throws IOException {
    Channel check = connection().createChannel();
    if (check == null) {
      throw new IOException("No channel available to check the " + role + " queue '" + queue + "'");
    }
    try {
      check.queueDeclarePassive(queue);
    } catch (IOException e) {
      if (notFound(e)) {
        throw new IllegalStateException("The " + role + " queue '" + queue + "' of " + policy
            + " does not exist; declare it (policy.declareTopology(channel)) before building the"
            + " retrying callback", e);
      }
      throw e;
    } finally {
      closeQuietly(check);
    }
  }

  private static boolean notFound(IOException e) {
    return e.getCause() instanceof ShutdownSignalException
        && ((ShutdownSignalException) e.getCause()).getReason() instanceof AMQP.Channel.Close
        && ((AMQP.Channel.Close) ((ShutdownSignalException) e.getCause()).getReason()).getReplyCode()
            == AMQP.NOT_FOUND;
  }

  @Override
  public void handle(String consumerTag, Delivery delivery) throws IOException {
    AMQP.BasicProperties properties = delivery.getProperties();
    Map<String, Object> headers = properties == null ? null : properties.getHeaders();
    int previous = count(headers, ATTEMPTS_HEADER);
    int hops = Math.min(count(headers, RETRY_HOPS_HEADER), policy.retryHops());
    long tag = delivery.getEnvelope().getDeliveryTag();
    String[] fields = withAttempt(DeliveryFacts.mdcFields(headers), previous + 1);
    try (CorrelationScope scope = rabbit.open(properties, fields)) {
      Exception failure = null;
      for (int i = 0; i < policy.attempts(); i++) {
        int attempt = previous + i + 1;
        if (i > 0 && !pause(policy.backoff().toMillis())) {
          shutdown(attempt, tag);
          return;
        }
        failure = attempt(delivery, attempt, i > 0);
        if (failure == null) {
          channel.basicAck(tag, false); // a failed ack is not a failed attempt: the broker redelivers
          return;
        }
        if (failure instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
          Thread.currentThread().interrupt();
          shutdown(attempt, tag);
          return;
        }
      }
      boolean retry = hops < policy.retryHops();
      String target = retry ? policy.retryQueue() : policy.parkingQueue();
      int made = previous + policy.attempts();
      LOG.warn("{} of {} attempts failed; sending the message to {}", Math.min(made, totalAttempts),
          totalAttempts, target);
      if (republish(delivery, headers, target, made, retry ? hops + 1 : hops, failure)) {
        channel.basicAck(tag, false); // failing, the broker redelivers: a duplicate, never a loss
      } else {
        pause(REQUEUE_PAUSE_MILLIS);
        requeue(tag);
      }
    }
  }

  /** One attempt; the failure (logged once, in this scope), or null. */
  private Exception attempt(Delivery delivery, int attempt, boolean renumber) {
    try (CorrelationScope numbered = renumber ? renumber(attempt) : null) {
      try {
        handler.handle(delivery);
        return null;
      } catch (Exception e) {
        if (!(e instanceof InterruptedException)) {
          rabbit.failureLog().log(CorrelatingConsumer.LOG, e, "Attempt {} of {} failed on queue {}",
              attempt, totalAttempts, Baton.printable(policy.queue()));
        }
        return e;
      } catch (Error e) {
        rabbit.failureLog().log(CorrelatingConsumer.LOG, e, "Attempt {} of {} failed on queue {}",
            attempt, totalAttempts, Baton.printable(policy.queue()));
        throw e; // unacknowledged: the broker redelivers it when the channel closes
      }
    }
  }

  private CorrelationScope renumber(int attempt) {
    return rabbit.propagator().open(Baton.current().orElseThrow(), ATTEMPT_MDC_KEY, Integer.toString(attempt));
  }

  private void shutdown(int attempt, long tag) {
    LOG.info("Interrupted at attempt {}; requeueing the message (not a failure)", attempt);
    requeue(tag);
  }

  /**
   * Publishes the copy with {@code mandatory} through the default exchange and waits for the
   * confirm. The broker sends {@code basic.return} before the confirm of a message no queue took,
   * on the same channel, so by the time the confirm arrives the return listener has run.
   */
  private boolean republish(Delivery delivery, Map<String, Object> headers, String target, int attempts,
      int hops, Exception failure) {
    String republishId = UUID.randomUUID().toString();
    AMQP.BasicProperties base =
        delivery.getProperties() == null ? new AMQP.BasicProperties() : delivery.getProperties();
    AMQP.BasicProperties properties =
        base.builder().headers(diagnostics(headers, attempts, hops, failure, republishId)).build();
    synchronized (publishing) {
      try {
        Channel out = publisher();
        out.basicPublish("", target, true, properties, delivery.getBody());
        boolean acked = out.waitForConfirms(policy.confirmTimeout().toMillis());
        if (returned.remove(republishId)) {
          LOG.error("The broker returned the message: no queue {}; requeueing it", target);
          return false;
        }
        if (!acked) {
          LOG.error("The broker refused the message for {} (nack); requeueing it", target);
          return false;
        }
        LOG.info("Republished the message to {} (confirmed); acknowledging it", target);
        return true;
      } catch (TimeoutException e) {
        LOG.error("No confirm from the broker for {} within {}; requeueing the message", target,
            policy.confirmTimeout());
        discardPublisher(); // a late confirm must not answer the next republish
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.info("Interrupted waiting for the confirm for {}; requeueing the message", target);
        discardPublisher();
        return false;
      } catch (IOException | RuntimeException e) {
        LOG.error("Could not send the message to {}; requeueing it", target, e);
        return false;
      } finally {
        returned.remove(republishId);
      }
    }
  }

  private Map<String, Object> diagnostics(
      Map<String, Object> headers, int attempts, int hops, Exception failure, String republishId) {
    Map<String, Object> copy = new HashMap<>();
    if (headers != null) {
      headers.forEach((key, value) -> {
        if (OUR_HEADERS.stream().noneMatch(ours -> ours.equalsIgnoreCase(key))) {
          copy.put(key, value);
        }
      });
    }
    copy.put(ATTEMPTS_HEADER, String.valueOf(attempts));
    copy.put(RETRY_HOPS_HEADER, String.valueOf(hops));
    copy.put(ORIGINAL_QUEUE_HEADER, policy.queue());
    copy.put(EXCEPTION_CLASS_HEADER, failure.getClass().getName());
    if (failure.getMessage() != null) {
      copy.put(EXCEPTION_MESSAGE_HEADER, Baton.printable(failure.getMessage()));
    }
    copy.put(REPUBLISH_ID_HEADER, republishId);
    return copy;
  }

  /**
   * This callback's confirm-mode channel, opened again after it was lost. It is opened on the
   * connection the consuming channel runs on now (with automatic recovery, the one recovery put
   * in place), so it is not itself recovered: a new one is opened on first use after a recovery,
   * under the channel number it had, which no recovered channel can hold, so that it never takes
   * the number of a channel recovery has yet to reopen.
   */
  private Channel publisher() throws IOException {
    if (publisher != null && publisher.isOpen()) {
      return publisher;
    }
    discardPublisher();
    Connection connection = connection();
    Channel created = publisherNumber > 0 ? connection.createChannel(publisherNumber) : null;
    if (created == null) {
      created = connection.createChannel();
    }
    if (created == null) {
      throw new IOException("No channel available for republishing");
    }
    created.confirmSelect();
    created.addReturnListener(returnedMessage -> {
      Map<String, Object> headers = returnedMessage.getProperties() == null
          ? null : returnedMessage.getProperties().getHeaders();
      String id = headers == null ? null : AmqpCarrier.asText(headers.get(REPUBLISH_ID_HEADER));
      if (id != null) {
        returned.add(id);
      }
    });
    publisherNumber = created.getChannelNumber();
    publisher = rabbit.channel(created);
    return publisher;
  }

  private void discardPublisher() {
    if (publisher != null) {
      closeQuietly(publisher); // also takes it out of automatic recovery
      publisher = null;
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      if (channel.isOpen()) {
        channel.close();
      } else {
        channel.abort();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      // closing is best effort: the connection closes it in the end
    }
  }

  /** Gives the delivery back; on a closed channel the broker requeues it anyway. */
  private void requeue(long tag) {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.basicNack(tag, false, true);
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not requeue the message; the broker will when the channel closes", e);
    }
  }

  /** Sleeps; false when interrupted (the flag is set again). */
  private static boolean pause(long millis) {
    if (millis <= 0) {
      return !Thread.currentThread().isInterrupted();
    }
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int count(Map<String, Object> headers, String name) {
    Object raw = headers == null ? null : headers.get(name);
    if (raw instanceof Number) {
      return (int) Math.max(0, Math.min(MAX_COUNT, ((Number) raw).longValue()));
    }
    String value = AmqpCarrier.asText(raw);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Math.min(MAX_COUNT, Integer.parseInt(value.trim())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String[] withAttempt(String[] fields, int attempt) {
    String[] all = new String[fields.length + 2];
    System.arraycopy(fields, 0, all, 0, fields.length);
    all[fields.length] = ATTEMPT_MDC_KEY;
    all[fields.length + 1] = Integer.toString(attempt);
    return all;
  }

  @Override
  public String toString() {
    return "Retrying(" + policy + ")";
  }
}
