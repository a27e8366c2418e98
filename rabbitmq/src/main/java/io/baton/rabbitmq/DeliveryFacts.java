package io.baton.rabbitmq;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the broker says about a delivery, for the MDC. For a dead-lettered message: {@code
 * death_count}, {@code death_reason}, {@code death_queue}, from the {@code x-death} table
 * (RabbitMQ 3.x and 4.x; the newest death first), falling back to {@code x-last-death-*} / {@code
 * x-first-death-*}. On a quorum queue: {@code delivery_count}, the delivery's number as JMS's {@code
 * JMSXDeliveryCount} counts it (2 on the first redelivery), from {@code x-delivery-count}, which
 * counts the earlier deliveries and is absent on the first. Anything of an unexpected
 * shape is ignored; core makes the values printable and bounded when it puts them in the MDC,
 * since a publisher can forge these headers.
 */
final class DeliveryFacts {

  static final String DELIVERY_COUNT_KEY = "delivery_count";
  static final String COUNT_KEY = "death_count";
  static final String REASON_KEY = "death_reason";
  static final String QUEUE_KEY = "death_queue";

  private DeliveryFacts() {}

  /** MDC fields (key, value pairs) for {@code headers}; empty for a first, never-dead delivery. */
  static String[] mdcFields(Map<String, Object> headers) {
    if (headers == null || headers.isEmpty()) {
      return NONE;
    }
    String[] deaths = deathFields(headers);
    Object deliveryCount = headers.get("x-delivery-count");
    if (!(deliveryCount instanceof Number)) {
      return deaths;
    }
    String[] all = Arrays.copyOf(deaths, deaths.length + 2);
    all[deaths.length] = DELIVERY_COUNT_KEY;
    long earlier = Math.max(0, ((Number) deliveryCount).longValue());
    all[deaths.length + 1] = String.valueOf(earlier == Long.MAX_VALUE ? earlier : earlier + 1);
    return all;
  }

  private static String[] deathFields(Map<String, Object> headers) {
    String count = null;
    String reason = null;
    String queue = null;
    Object deaths = headers.get("x-death");
    if (deaths instanceof List && !((List<?>) deaths).isEmpty()) {
      Object newest = ((List<?>) deaths).get(0);
      if (newest instanceof Map) {
        Map<?, ?> death = (Map<?, ?>) newest;
        Object n = death.get("count");
        count = n instanceof Number ? String.valueOf(((Number) n).longValue()) : null;
        reason = AmqpCarrier.asText(death.get("reason"));
        queue = AmqpCarrier.asText(death.get("queue"));
      }
    }
    if (reason == null) {
      reason = firstText(headers, "x-last-death-reason", "x-first-death-reason");
    }
    if (queue == null) {
      queue = firstText(headers, "x-last-death-queue", "x-first-death-queue");
    }
    if (count == null && reason == null && queue == null) {
      return NONE;
    }
    return new String[] {COUNT_KEY, count, REASON_KEY, reason, QUEUE_KEY, queue};
  }

  private static final String[] NONE = {};

  private static String firstText(Map<String, Object> headers, String... keys) {
    for (String key : keys) {
      String value = AmqpCarrier.asText(headers.get(key));
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
