package io.baton.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Failures of listener code and Baton's warnings about a message, on embedded Artemis: every line
 * a support engineer needs carries the message's ID and its delivery count.
 */
class JmsFailureIT {

  private static final Logger log = LoggerFactory.getLogger("audit-consumer");

  /** Artemis's own "Unhandled exception thrown from onMessage" line (AMQ132001). */
  private static final String ARTEMIS_JMS_CLIENT = "org.apache.activemq.artemis.jms.client";

  /** Artemis's own line about a throwing CompletionListener. */
  private static final String ARTEMIS_EXECUTOR = "org.apache.activemq.artemis.utils.actors.OrderedExecutor";

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static String queueName() {
    return "failing-" + UUID.randomUUID();
  }

  private List<CapturedLine> batonFailures() {
    return logs.lines(line -> line.logger().equals("io.baton.jms") && line.throwable() != null);
  }

  private static <T> List<T> await(Supplier<List<T>> lines, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (lines.get().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(lines.get()).as("within 30 s").hasSizeGreaterThanOrEqualTo(count);
    return lines.get();
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(30, TimeUnit.SECONDS);
    assertThat(item).as("within 30 s").isNotNull();
    return item;
  }

  @Test
  void a_throwing_classic_listener_is_logged_on_every_delivery_under_the_messages_id_and_count()
      throws Exception {
    JmsCorrelation jms = JmsCorrelation.create();
    Correlation order = Correlation.newRoot();
    Correlation payment;
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    try (Connection connection = jms.connectionFactory(EmbeddedArtemis.inVm()).createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName());
      session.createConsumer(queue).setMessageListener(message -> {
        IllegalStateException failure = new IllegalStateException("audit store down");
        thrown.add(failure);
        throw failure;                          // AUTO_ACKNOWLEDGE: Artemis redelivers
      });
      connection.start();
      try (CorrelationScope scope = Baton.open(order);
          CorrelationScope child = Baton.openChild()) {
        payment = Baton.current().orElseThrow();
        session.createProducer(queue).send(session.createTextMessage("payment"));
      }
      await(this::batonFailures, EmbeddedArtemis.MAX_DELIVERY_ATTEMPTS);
      await(() -> logs.lines(line -> line.logger().equals(ARTEMIS_JMS_CLIENT)),
          EmbeddedArtemis.MAX_DELIVERY_ATTEMPTS);
    }

    List<CapturedLine> failures = batonFailures();
    assertThat(failures).extracting(CapturedLine::correlationId).containsOnly(payment.id());
    assertThat(failures).extracting(CapturedLine::parentCorrelationId).containsOnly(order.id());
    assertThat(failures).extracting(line -> line.mdc().get("delivery_count"))
        .containsExactly("1", "2", "3");
    assertThat(failures).extracting(CapturedLine::level).containsOnly("ERROR");
    assertThat(failures).allSatisfy(line ->
        assertThat(line.message()).startsWith("Message listener failed on a message from"));
    assertThat(failures).extracting(CapturedLine::throwable).as("once each, the listener's own")
        .containsExactlyElementsOf(thrown);
    // Artemis got each exception unchanged, and logs it again outside any correlation
    List<CapturedLine> provider = logs.lines(line -> line.logger().equals(ARTEMIS_JMS_CLIENT));
    assertThat(provider).extracting(CapturedLine::throwable).containsExactlyElementsOf(thrown);
    assertThat(provider).allSatisfy(line -> {
      assertThat(line.message()).startsWith("AMQ132001: Unhandled exception thrown from onMessage");
      assertThat(line.correlationId()).isNull();         // what the README tells users to silence
    });
  }

  @Test
  void a_throwing_simplified_api_listener_is_logged_at_the_chosen_level_under_the_messages_id()
      throws Exception {
    JmsCorrelation jms = JmsCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build();
    Correlation order = Correlation.newRoot();
    BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    try (JMSContext context = jms.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      Queue queue = context.createQueue(queueName());
      context.createConsumer(queue).setMessageListener(message -> {
        if ("1".equals(MDC.get("delivery_count"))) {
          throw new IllegalStateException("first attempt fails");
        }
        log.info("audited on attempt {}", MDC.get("delivery_count"));
        handled.add("done");
      });
      try (CorrelationScope scope = Baton.open(order)) {
        context.createProducer().send(queue, "order");
      }
      next(handled);
    }

    CapturedLine failure = await(this::batonFailures, 1).get(0);
    assertThat(batonFailures()).as("one failed attempt, one line").hasSize(1);
    assertThat(failure.level()).isEqualTo("WARN");
    assertThat(failure.correlationId()).isEqualTo(order.id());
    assertThat(failure.mdc()).containsEntry("delivery_count", "1");
    assertThat(failure.throwable()).hasMessage("first attempt fails");
    CapturedLine success = logs.withMessage("audited on attempt").get(0);
    assertThat(success.correlationId()).isEqualTo(order.id());
    assertThat(success.mdc()).containsEntry("delivery_count", "2");
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void a_wrapped_listener_with_the_failure_log_off_writes_no_line_yet_the_failure_reopens_its_id()
      throws Exception {
    JmsCorrelation jms = JmsCorrelation.newBuilder().failureLog(FailureLog.off()).build();
    Correlation order = Correlation.newRoot();
    BlockingQueue<Throwable> thrown = new LinkedBlockingQueue<>();
    MessageListener handler = jms.messageListener(message -> {
      throw new IllegalArgumentException("rejected");
    });
    ConnectionFactory raw = EmbeddedArtemis.inVm();
    try (Connection connection = raw.createConnection();
        JMSContext sender = jms.connectionFactory(raw).createContext()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName());
      // a plain consumer: what reaches the provider is seen here, after Baton's scope closed
      session.createConsumer(queue).setMessageListener(message -> {
        try {
          handler.onMessage(message);
        } catch (RuntimeException e) {
          thrown.add(e);
          try (CorrelationScope scope = Baton.openFailed(e)) {
            log.error("audit gave up", e);
          }
          throw e;
        }
      });
      connection.start();
      try (CorrelationScope scope = Baton.open(order)) {
        sender.createProducer().send(queue, "order");
      }
      assertThat(next(thrown)).hasMessage("rejected");
      await(() -> logs.withMessage("audit gave up"), 1);
    }

    assertThat(batonFailures()).isEmpty();
    CapturedLine mine = logs.withMessage("audit gave up").get(0);
    assertThat(mine.correlationId()).isEqualTo(order.id());
    assertThat(mine.mdc()).containsEntry("delivery_count", "1");
  }

  @Test
  void a_throwing_completion_listener_is_logged_under_the_sent_messages_id() throws Exception {
    JmsCorrelation jms = JmsCorrelation.create();
    Correlation order = Correlation.newRoot();
    Correlation receipt = Correlation.newRoot();
    BlockingQueue<Throwable> thrown = new LinkedBlockingQueue<>();
    CompletionListener throwing = new CompletionListener() {
      @Override
      public void onCompletion(Message message) {
        IllegalStateException failure = new IllegalStateException("completion bookkeeping failed");
        thrown.add(failure);
        throw failure;
      }

      @Override
      public void onException(Message message, Exception exception) {
        log.error("send failed", exception);
      }
    };
    try (Connection connection = jms.connectionFactory(EmbeddedArtemis.tcp()).createConnection();
        JMSContext context = jms.connectionFactory(EmbeddedArtemis.tcp()).createContext()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName());
      MessageProducer producer = session.createProducer(queue);
      try (CorrelationScope scope = Baton.open(order);
          CorrelationScope child = Baton.openChild()) {
        producer.send(session.createTextMessage("async"), throwing);   // classic API
      }
      Throwable first = next(thrown);
      await(this::batonFailures, 1);
      try (CorrelationScope scope = Baton.open(receipt)) {
        context.createProducer().setAsync(throwing).send(queue, "async body");  // simplified API
      }
      Throwable second = next(thrown);
      await(this::batonFailures, 2);

      List<CapturedLine> failures = batonFailures();
      assertThat(failures.get(0).parentCorrelationId()).isEqualTo(order.id());
      assertThat(failures.get(0).correlationId()).isNotNull().isNotEqualTo(order.id());
      assertThat(failures.get(0).throwable()).isSameAs(first);
      assertThat(failures.get(1).correlationId()).isEqualTo(receipt.id());
      assertThat(failures.get(1).throwable()).isSameAs(second);
      assertThat(failures).allSatisfy(line -> {
        assertThat(line.level()).isEqualTo("ERROR");
        assertThat(line.message()).startsWith("Completion listener failed on a message sent to");
        assertThat(line.thread()).isNotEqualTo(Thread.currentThread().getName());
      });
      // Artemis's own copy, the one the README names
      await(() -> logs.lines(line -> line.logger().equals(ARTEMIS_EXECUTOR)), 2);
      assertThat(logs.lines(line -> line.logger().equals(ARTEMIS_EXECUTOR)))
          .extracting(CapturedLine::throwable).containsExactly(first, second);
    }
  }

  @Test
  void warnings_about_a_wrong_type_or_invalid_value_carry_the_id_and_count_the_listener_ran_with()
      throws Exception {
    Map<String, Object> correlationIds = new java.util.LinkedHashMap<>();
    correlationIds.put("integer", 42);
    correlationIds.put("invalid", "not valid");
    String name = queueName();
    ConnectionFactory raw = EmbeddedArtemis.inVm();
    try (JMSContext plain = raw.createContext()) {
      Queue queue = plain.createQueue(name);
      for (Map.Entry<String, Object> value : correlationIds.entrySet()) {
        TextMessage message = plain.createTextMessage(value.getKey());
        message.setObjectProperty("correlation_id", value.getValue());
        plain.createProducer().send(queue, message);
      }
      TextMessage badParent = plain.createTextMessage("bad parent");
      badParent.setStringProperty("correlation_id", "valid-id-with-a-bad-parent");
      badParent.setIntProperty("parent_correlation_id", 7);
      plain.createProducer().send(queue, badParent);
    }
    JmsCorrelation jms = JmsCorrelation.create();
    Map<String, String> idInListener = new ConcurrentHashMap<>();
    BlockingQueue<String> done = new LinkedBlockingQueue<>();
    try (JMSContext context = jms.connectionFactory(raw).createContext()) {
      context.createConsumer(context.createQueue(name)).setMessageListener(message -> {
        try {
          String body = ((TextMessage) message).getText();
          idInListener.put(body, MDC.get("correlation_id"));
          done.add(body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      for (int i = 0; i < 3; i++) {
        next(done);
      }
    }

    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0).message())
        .isEqualTo("Replaced invalid correlation_id (a value of type Integer) with a fresh correlation ID");
    assertThat(warnings.get(0).correlationId()).isEqualTo(idInListener.get("integer"));
    assertThat(warnings.get(1).message()).startsWith("Replaced invalid correlation_id (9 characters");
    assertThat(warnings.get(1).correlationId()).isEqualTo(idInListener.get("invalid"));
    assertThat(warnings.get(2).message()).startsWith("Dropped invalid parent_correlation_id");
    assertThat(warnings.get(2).correlationId()).isEqualTo("valid-id-with-a-bad-parent")
        .isEqualTo(idInListener.get("bad parent"));
    assertThat(warnings).allSatisfy(w -> {
      assertThat(w.level()).isEqualTo("WARN");
      assertThat(w.mdc()).containsEntry("delivery_count", "1");
      assertThat(w.thread()).isNotEqualTo(Thread.currentThread().getName());
    });
  }

  @Test
  void in_a_receive_loop_the_warning_carries_the_messages_fresh_id_not_the_previous_one()
      throws Exception {
    String name = queueName();
    ConnectionFactory raw = EmbeddedArtemis.inVm();
    try (JMSContext plain = raw.createContext()) {
      TextMessage message = plain.createTextMessage("wrong type");
      message.setIntProperty("correlation_id", 42);
      plain.createProducer().send(plain.createQueue(name), message);
    }
    JmsCorrelation jms = JmsCorrelation.create();
    Correlation previous = Correlation.newRoot();
    String handledWith;
    try (JMSContext context = jms.connectionFactory(raw).createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        CorrelationScope batch = Baton.open(previous)) {
      Message message = context.createConsumer(context.createQueue(name)).receive(10_000);
      try (CorrelationScope scope = jms.open(message)) {
        handledWith = MDC.get("correlation_id");
        message.acknowledge();
      }
    }

    CapturedLine warning = logs.fromLogger("io.baton").get(0);
    assertThat(warning.message()).contains("a value of type Integer");
    assertThat(warning.correlationId()).isEqualTo(handledWith).isNotEqualTo(previous.id());
    assertThat(warning.parentCorrelationId()).isNull();
    assertThat(warning.mdc()).containsEntry("delivery_count", "1");
  }
}
