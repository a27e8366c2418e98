package io.baton.rabbitmq;

import static io.baton.rabbitmq.RetryPolicy.ATTEMPTS_HEADER;
import static io.baton.rabbitmq.RetryPolicy.ATTEMPT_MDC_KEY;
import static io.baton.rabbitmq.RetryPolicy.EXCEPTION_CLASS_HEADER;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import io.baton.CorrelationScope;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a delivery (manual acknowledgement) inside its correlation; on failure republishes it to
 * the retry queue, or after the last attempt to the parking queue, then acknowledges it. If the
 * republish fails the delivery is requeued instead, so nothing is lost.
 */
final class RetryingDeliverCallback implements DeliverCallback {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.rabbitmq.retry");

  private final RabbitCorrelation rabbit;
  private final Channel channel;
  private final DeliveryHandler handler;
  private final RetryPolicy policy;

  RetryingDeliverCallback(
      RabbitCorrelation rabbit, Channel channel, DeliveryHandler handler, RetryPolicy policy) {
    this.rabbit = rabbit;
    this.channel = channel;
    this.handler = handler;
    this.policy = policy;
  }

  @Override
  public void handle(String consumerTag, Delivery delivery) throws IOException {
    AMQP.BasicProperties properties = delivery.getProperties();
    Map<String, Object> headers = properties == null ? null : properties.getHeaders();
    int attempt = previousAttempts(headers) + 1;
    String[] fields = withAttempt(DeliveryFacts.mdcFields(headers), attempt);
    long tag = delivery.getEnvelope().getDeliveryTag();
    try (CorrelationScope scope = rabbit.open(properties, fields)) {
      Exception failure = null;
      try {
        handler.handle(delivery);
      } catch (Exception e) {
        failure = e;
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
      if (failure == null) {
        channel.basicAck(tag, false); // a failed ack is not a failed attempt: the broker redelivers
        return;
      }
      String target = attempt < policy.maxAttempts() ? policy.retryQueue() : policy.parkingQueue();
      rabbit.failureLog().log(CorrelatingConsumer.LOG, failure,
          "Attempt {} of {} failed; sending the message to {}", attempt, policy.maxAttempts(), target);
      republish(delivery, headers, attempt, failure, target, tag);
    }
  }

  private void republish(
      Delivery delivery, Map<String, Object> headers, int attempt, Exception failure, String target, long tag)
      throws IOException {
    Map<String, Object> copy = headers == null ? new HashMap<>() : new HashMap<>(headers);
    copy.put(ATTEMPTS_HEADER, String.valueOf(attempt));
    copy.put(EXCEPTION_CLASS_HEADER, failure.getClass().getName());
    AMQP.BasicProperties base =
        delivery.getProperties() == null ? new AMQP.BasicProperties() : delivery.getProperties();
    try {
      // Through the default exchange, straight to the queue; the correlated channel keeps the ID.
      rabbit.channel(channel).basicPublish("", target, base.builder().headers(copy).build(), delivery.getBody());
      if (channel.getNextPublishSeqNo() > 0) {
        channel.waitForConfirmsOrDie(policy.confirmTimeout().toMillis());
      }
      channel.basicAck(tag, false);
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("Could not send the message to {}; requeueing it", target, e);
      requeue(tag);
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

  private static int previousAttempts(Map<String, Object> headers) {
    String value = headers == null ? null : AmqpHeaders.asText(headers.get(ATTEMPTS_HEADER));
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
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
}
