package io.baton.jms;

import io.baton.brokers.EmbeddedArtemis;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Redelivery, the dead-letter queue and concurrent sessions on embedded Artemis. */
class JmsRedeliveryIT {

  private static final Logger log = LoggerFactory.getLogger("audit-consumer");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final JmsCorrelation jms = JmsCorrelation.create();

  @Test
  void transacted_rollbacks_keep_the_id_then_the_dlq_consumer_logs_it_with_the_origin()
      throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    String name = "audit-" + UUID.randomUUID();
    Correlation order = Correlation.newRoot();
    try (Connection connection = factory.createConnection()) {
      connection.start();
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      Queue queue = session.createQueue(name);
      try (CorrelationScope scope = Baton.open(order)) {
        session.createProducer(queue).send(session.createTextMessage("audit order"));
        session.commit();
      }

      MessageConsumer consumer = session.createConsumer(queue);
      for (int attempt = 1; attempt <= EmbeddedArtemis.MAX_DELIVERY_ATTEMPTS; attempt++) {
        Message message = consumer.receive(10_000);
        assertThat(message).isNotNull();
        try (CorrelationScope scope = jms.open(message)) {
          log.info("auditing, rolling back");
        }
        session.rollback();
      }
      assertThat(consumer.receive(500)).as("moved to the DLQ").isNull();

      Session dlqSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      CountDownLatch dead = new CountDownLatch(1);
      dlqSession.createConsumer(dlqSession.createQueue(EmbeddedArtemis.DLQ)).setMessageListener(message -> {
        try {
          if ("audit order".equals(((TextMessage) message).getText())) {
            log.warn("dead letter");
            dead.countDown();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(dead.await(30, TimeUnit.SECONDS)).isTrue();
    }

    List<CapturedLine> attempts = logs.withMessage("auditing, rolling back");
    assertThat(attempts).extracting(CapturedLine::correlationId).containsOnly(order.id());
    assertThat(attempts).extracting(line -> line.mdc().get("delivery_count")).containsExactly("1", "2", "3");
    CapturedLine dead = logs.withMessage("dead letter").get(0);
    assertThat(dead.correlationId()).isEqualTo(order.id());
    assertThat(dead.mdc()).containsEntry("original_destination", name);
  }

  @Test
  void client_acknowledge_recover_redelivers_under_the_same_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.tcp());
    Correlation order = Correlation.newRoot();
    try (Connection connection = factory.createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue queue = session.createQueue("audit-" + UUID.randomUUID());
      try (CorrelationScope scope = Baton.open(order)) {
        session.createProducer(queue).send(session.createTextMessage("audit"));
      }
      MessageConsumer consumer = session.createConsumer(queue);
      for (int attempt = 1; attempt <= 2; attempt++) {
        Message message = consumer.receive(10_000);
        try (CorrelationScope scope = jms.open(message)) {
          log.info("attempt {}", attempt);
        }
        if (attempt == 1) {
          session.recover();
        } else {
          message.acknowledge();
        }
      }
    }

    assertThat(logs.withMessage("attempt ")).extracting(CapturedLine::correlationId).containsOnly(order.id());
    assertThat(logs.withMessage("attempt 2").get(0).mdc()).containsEntry("delivery_count", "2");
  }

  @Test
  void four_sessions_five_thousand_messages_ten_percent_throwing_never_mix_ids() throws Exception {
    int messages = 5_000;
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    String name = "load-" + UUID.randomUUID();
    Map<String, String> idByBody = new ConcurrentHashMap<>();
    Map<String, Boolean> done = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(messages);
    List<String> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();
    Connection plain = null;
    try (Connection connection = factory.createConnection()) {
      Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = sender.createProducer(sender.createQueue(name));
      for (int i = 0; i < messages; i++) {
        try (CorrelationScope scope = Baton.openNew()) {
          idByBody.put("m" + i, Baton.current().orElseThrow().id());
          producer.send(sender.createTextMessage("m" + i));
        }
      }
      // Consumers on a plain connection, the handler wrapped with messageListener(...), so the
      // thread's MDC can be checked right after each message's scope has closed.
      MessageListener handler = jms.messageListener(message -> {
        String body;
        try {
          body = ((TextMessage) message).getText();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        log.info("processing {}", body);
        boolean fails = Integer.parseInt(body.substring(1)) % 10 == 0;
        if (fails && !"3".equals(MDC.get("delivery_count"))) {
          throw new IllegalStateException("handler failed for " + body); // redelivered
        }
        if (done.putIfAbsent(body, true) == null) {
          finished.countDown();
        }
      });
      // No client-side prefetch: when a listener throws, the session recovers and every buffered
      // message would be counted as redelivered too, pushing innocent ones past the DLQ limit.
      org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory unbuffered = EmbeddedArtemis.inVm();
      unbuffered.setConsumerWindowSize(0);
      plain = unbuffered.createConnection();
      for (int s = 0; s < 4; s++) {
        Session session = plain.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createQueue(name)).setMessageListener(message -> {
          try {
            handler.onMessage(message);
          } finally {
            if (MDC.get("correlation_id") != null || MDC.get("delivery_count") != null) {
              leaks.add(Thread.currentThread().getName());
            }
          }
        });
      }
      plain.start();
      assertThat(finished.await(120, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (plain != null) {
        plain.close();
      }
    }

    assertThat(leaks).isEmpty();
    List<CapturedLine> lines = logs.withMessage("processing m");
    assertThat(lines.size()).isEqualTo(messages + 2 * messages / 10);
    for (CapturedLine line : lines) {
      String body = line.message().substring("processing ".length());
      assertThat(line.correlationId()).as(body).isEqualTo(idByBody.get(body));
    }
    assertThat(lines.stream().map(CapturedLine::thread).distinct().count()).isGreaterThan(1);
    // Baton's failure line for each failed attempt: the failed message's own ID, never a neighbour's
    List<CapturedLine> failures =
        logs.lines(line -> line.logger().equals("io.baton.jms") && line.throwable() != null);
    assertThat(failures).hasSize(2 * messages / 10);
    for (CapturedLine failure : failures) {
      String body = failure.throwable().getMessage().substring("handler failed for ".length());
      assertThat(failure.correlationId()).as(body).isEqualTo(idByBody.get(body));
    }
  }
}
