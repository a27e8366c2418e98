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
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** End to end through embedded ActiveMQ Artemis: what the handler's log lines carry. */
class JmsCorrelationIT {

  private static final Logger log = LoggerFactory.getLogger("audit-consumer");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final JmsCorrelation jms = JmsCorrelation.create();

  private static String queueName() {
    return "audit-" + UUID.randomUUID();
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(30, TimeUnit.SECONDS);
    assertThat(item).as("a message within 30 s").isNotNull();
    return item;
  }

  @Test
  void classic_api_listener_over_tcp_logs_under_the_senders_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.tcp());
    Correlation order = Correlation.newRoot();
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (Connection connection = factory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName());
      session.createConsumer(queue).setMessageListener(message -> {
        log.info("audited");
        seen.add("done");
      });
      connection.start();
      try (CorrelationScope scope = Baton.open(order)) {
        session.createProducer(queue).send(session.createTextMessage("checkout paid"));
      }
      next(seen);
    }

    CapturedLine line = logs.withMessage("audited").get(0);
    assertThat(line.correlationId()).isEqualTo(order.id());
    assertThat(line.mdc()).containsEntry("delivery_count", "1");
  }

  @Test
  void simplified_api_carries_a_child_and_its_parent() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Correlation order = Correlation.newRoot();
    Correlation child;
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (JMSContext context = factory.createContext()) {
      Queue queue = context.createQueue(queueName());
      context.createConsumer(queue).setMessageListener(message -> {
        log.info("audited child");
        seen.add("done");
      });
      try (CorrelationScope scope = Baton.open(order);
          CorrelationScope spawned = Baton.openChild()) {
        child = Baton.current().orElseThrow();
        context.createProducer().send(queue, "refund requested");
      }
      next(seen);
    }

    CapturedLine line = logs.withMessage("audited child").get(0);
    assertThat(line.correlationId()).isEqualTo(child.id());
    assertThat(line.parentCorrelationId()).isEqualTo(order.id());
  }

  @Test
  void one_jms_producer_reused_across_requests_sends_each_requests_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Correlation first = Correlation.newRoot();
    Correlation second = Correlation.of("second-request-000000001", first.id());
    Correlation third = Correlation.newRoot();
    try (JMSContext context = factory.createContext()) {
      Queue queue = context.createQueue(queueName());
      var producer = context.createProducer();
      try (CorrelationScope scope = Baton.open(first)) {
        producer.send(queue, "first");
      }
      try (CorrelationScope scope = Baton.open(second)) {
        producer.send(queue, Map.of("n", 2));
      }
      try (CorrelationScope scope = Baton.open(third)) {
        producer.send(queue, context.createTextMessage("third"));
      }
      JMSConsumer consumer = context.createConsumer(queue);
      for (Correlation expected : List.of(first, second, third)) {
        Message message = consumer.receive(10_000);
        assertThat(jms.extract(message)).isEqualTo(expected);
      }
    }
  }

  @Test
  void a_valid_id_the_caller_set_on_a_jms_producer_is_kept() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    try (JMSContext context = factory.createContext()) {
      Queue queue = context.createQueue(queueName());
      var producer = context.createProducer().setProperty("correlation_id", "set-by-the-caller-0001");
      try (CorrelationScope scope = Baton.openNew()) {
        producer.send(queue, "forwarded");
      }
      assertThat(context.createConsumer(queue).receive(10_000).getStringProperty("correlation_id"))
          .isEqualTo("set-by-the-caller-0001");
    }
  }

  @Test
  void a_valid_id_the_caller_set_on_a_jms_producer_survives_a_message_send() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    try (JMSContext context = factory.createContext()) {
      Queue queue = context.createQueue(queueName());
      var producer = context.createProducer().setProperty("correlation_id", "set-by-the-caller-0001");
      try (CorrelationScope scope = Baton.openNew()) {
        producer.send(queue, context.createTextMessage("a message"));
        producer.send(queue, "a body");
      }
      JMSConsumer consumer = context.createConsumer(queue);
      assertThat(consumer.receive(10_000).getStringProperty("correlation_id")).isEqualTo("set-by-the-caller-0001");
      assertThat(consumer.receive(10_000).getStringProperty("correlation_id")).isEqualTo("set-by-the-caller-0001");
      assertThat(producer.getStringProperty("correlation_id")).isEqualTo("set-by-the-caller-0001");
    }
  }

  @Test
  void a_jms_producer_forwards_a_received_message_after_a_body_send_with_the_messages_own_id()
      throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Correlation order = Correlation.newRoot();
    Correlation receipt = Correlation.newRoot();
    Correlation reminder = Correlation.newRoot();
    try (JMSContext context = factory.createContext()) {
      Queue inbox = context.createQueue(queueName());
      Queue outbox = context.createQueue(queueName());
      var producer = context.createProducer();
      try (CorrelationScope scope = Baton.open(order)) {
        producer.send(inbox, context.createTextMessage("order"));
      }
      Message received = context.createConsumer(inbox).receive(10_000);

      try (CorrelationScope scope = Baton.open(receipt)) {
        producer.send(outbox, "receipt");    // a body: the correlation goes on the producer
        producer.send(outbox, received);     // read-only: must not take the producer's correlation
      }
      try (CorrelationScope scope = Baton.open(reminder)) {
        producer.send(outbox, "reminder");
      }

      JMSConsumer out = context.createConsumer(outbox);
      for (Correlation expected : List.of(receipt, order, reminder)) {
        Message message = out.receive(10_000);
        assertThat(jms.extract(message)).isEqualTo(expected);
      }
      assertThat(producer.getPropertyNames()).as("the producer after the last body send")
          .contains("correlation_id");
    }
  }

  @Test
  void a_message_object_sent_again_as_other_work_carries_that_works_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Correlation orderA = Correlation.newRoot();
    Correlation orderB = Correlation.of("order-b-child-000000001", "order-b-root-0000000001");
    try (Connection connection = factory.createConnection();
        JMSContext context = factory.createContext()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(queueName());
      Queue inbox = session.createQueue(queueName());
      MessageProducer classic = session.createProducer(queue);
      var simplified = context.createProducer();
      TextMessage template = session.createTextMessage("reminder");      // reused for every order
      TextMessage callers = session.createTextMessage("the caller's own ID");
      callers.setStringProperty("correlation_id", "set-by-the-caller-0001");
      try (CorrelationScope scope = Baton.open(orderA)) {
        classic.send(template);
        classic.send(template);                                           // a retry: same work
        simplified.send(queue, callers);
        simplified.send(inbox, template);                                 // to be forwarded
      }
      try (CorrelationScope scope = Baton.open(orderB)) {
        classic.send(template);
        simplified.send(queue, template);
        simplified.send(queue, callers);
      }
      template.setStringProperty("correlation_id", "set-by-the-caller-0002");  // now it is theirs
      try (CorrelationScope scope = Baton.open(orderA)) {
        simplified.send(queue, template);
      }
      try (CorrelationScope scope = Baton.openNew()) {
        Message received = session.createConsumer(inbox).receive(10_000);   // a forward of A's
        Queue outbox = session.createQueue(queueName());
        session.createProducer(null).send(outbox, received);
        simplified.send(outbox, received);
        MessageConsumer forwarded = session.createConsumer(outbox);
        assertThat(jms.extract(forwarded.receive(10_000))).isEqualTo(orderA);
        assertThat(jms.extract(forwarded.receive(10_000))).isEqualTo(orderA);
      }

      MessageConsumer consumer = session.createConsumer(queue);
      List<Correlation> expected = List.of(orderA, orderA, Correlation.of("set-by-the-caller-0001", null),
          orderB, orderB, Correlation.of("set-by-the-caller-0001", null));
      for (Correlation correlation : expected) {
        assertThat(jms.extract(consumer.receive(10_000))).isEqualTo(correlation);
      }
      assertThat(jms.extract(consumer.receive(10_000)).id()).isEqualTo("set-by-the-caller-0002");
      assertThat(consumer.receive(200)).isNull();
    }
  }

  @Test
  void receive_loop_opens_each_message_by_hand_and_no_context_gives_a_fresh_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    try (JMSContext context = factory.createContext()) {
      Queue queue = context.createQueue(queueName());
      context.createProducer().send(queue, "no context");
      Message message = context.createConsumer(queue).receive(10_000);

      String sent = message.getStringProperty("correlation_id");
      assertThat(sent).matches(Correlation::isValidId);
      try (CorrelationScope scope = jms.open(message)) {
        log.info("received by hand");
      }
      assertThat(logs.withMessage("received by hand").get(0).correlationId()).isEqualTo(sent);
    }
  }

  @Test
  void hostile_and_non_string_properties_are_delivered_with_fresh_ids_and_sanitized_warnings()
      throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("invalid", "not valid");
    values.put("oversized", "y".repeat(100_000));
    values.put("crlf", "c3a8f2d1-9b24\r\n2026-11-21 INFO forged");
    values.put("int", 42);
    values.put("boolean", true);
    ConnectionFactory raw = EmbeddedArtemis.inVm();
    String name = queueName();
    try (JMSContext context = raw.createContext()) {
      Queue queue = context.createQueue(name);
      for (Map.Entry<String, Object> value : values.entrySet()) {
        TextMessage message = context.createTextMessage("body-" + value.getKey());
        message.setObjectProperty("correlation_id", value.getValue());
        context.createProducer().send(queue, message);
      }
    }
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    try (JMSContext context = jms.connectionFactory(raw).createContext()) {
      context.createConsumer(context.createQueue(name)).setMessageListener(message -> {
        try {
          String body = ((TextMessage) message).getText();
          log.info("hostile {}", body);
          bodies.add(body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      for (int i = 0; i < values.size(); i++) {
        next(bodies);
      }
    }

    for (String key : values.keySet()) {
      assertThat(logs.withMessage("hostile body-" + key).get(0).correlationId()).as(key)
          .matches(Correlation::isValidId);
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(values.size());
    assertThat(warnings).allSatisfy(w -> assertThat(w.message()).doesNotContain("\r", "\n", " INFO forged"));
  }

  @Test
  void forwarding_a_received_message_keeps_its_id_and_fixes_a_bad_one_without_losing_properties()
      throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Correlation order = Correlation.newRoot();
    try (Connection connection = factory.createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue inbox = session.createQueue(queueName());
      Queue outbox = session.createQueue(queueName());
      MessageProducer producer = session.createProducer(null);
      try (CorrelationScope scope = Baton.open(order)) {
        producer.send(inbox, session.createTextMessage("good"));
      }
      TextMessage bad = session.createTextMessage("bad");
      bad.setStringProperty("tenant", "acme");
      bad.setStringProperty("JMSXGroupID", "order-42");
      bad.setIntProperty("JMSXGroupSeq", 3);
      ConnectionFactory raw = EmbeddedArtemis.inVm();
      try (JMSContext plain = raw.createContext()) {
        bad.setStringProperty("correlation_id", "bad id");
        plain.createProducer().send(plain.createQueue(inbox.getQueueName()), bad);
      }

      MessageConsumer consumer = session.createConsumer(inbox);
      Message good = consumer.receive(10_000);
      Message received = consumer.receive(10_000);
      Correlation fresh;
      try (CorrelationScope scope = jms.open(received)) {
        fresh = Baton.current().orElseThrow();
        producer.send(outbox, good);       // read-only, valid ID: kept as it is
        producer.send(outbox, received);   // read-only, invalid ID: the handler's fresh ID
      }

      MessageConsumer out = session.createConsumer(outbox);
      assertThat(jms.extract(out.receive(10_000)).id()).isEqualTo(order.id());
      Message forwarded = out.receive(10_000);
      assertThat(forwarded.getStringProperty("correlation_id")).isEqualTo(fresh.id());
      assertThat(forwarded.getStringProperty("tenant")).isEqualTo("acme");
      assertThat(forwarded.getStringProperty("JMSXGroupID")).isEqualTo("order-42");
      assertThat(forwarded.getIntProperty("JMSXGroupSeq")).isEqualTo(3);
      assertThat(((TextMessage) forwarded).getText()).isEqualTo("bad");
    }
  }

  @Test
  void forwarding_a_read_only_message_whose_property_jms_cannot_set_again_loses_nothing_and_logs_no_name()
      throws Exception {
    String inbox = queueName();
    String outbox = queueName();
    String hostileName = "tenant\r\n2026-12-01 INFO forged";
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    try (Connection connection = factory.createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer in = session.createConsumer(session.createQueue(inbox));
      MessageConsumer out = session.createConsumer(session.createQueue(outbox));
      // a core-protocol sender may use property names that no JMS client can set
      try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://0");
          ClientSessionFactory sessions = locator.createSessionFactory();
          ClientSession core = sessions.createSession()) {
        ClientMessage message = core.createMessage(false);
        message.setRoutingType(RoutingType.ANYCAST);
        message.putStringProperty(hostileName, "acme");
        message.putStringProperty("correlation_id", "bad id");
        core.createProducer(inbox).send(message);
      }
      Message received = in.receive(10_000);
      assertThat(Collections.list(received.getPropertyNames())).contains(hostileName);

      try (CorrelationScope scope = jms.open(received)) {
        session.createProducer(null).send(session.createQueue(outbox), received);
      }
      Message forwarded = out.receive(10_000);
      assertThat(Collections.list(forwarded.getPropertyNames())).as("no property lost")
          .contains(hostileName);
      assertThat(forwarded.getObjectProperty(hostileName)).isEqualTo("acme");
    }
    List<CapturedLine> baton = logs.lines(line -> line.logger().startsWith("io.baton"));
    assertThat(baton).isNotEmpty().allSatisfy(line ->
        assertThat(line.message()).doesNotContain("\r", "\n", "forged", "tenant"));
    assertThat(baton).anySatisfy(line ->
        assertThat(line.message()).startsWith("Could not write correlation_id"));
  }

  @Test
  void jms_correlation_id_is_left_to_request_reply_unless_the_fallback_is_on() throws Exception {
    String requestReplyId = "reply-to-order-000000042";
    try (JMSContext context = EmbeddedArtemis.inVm().createContext()) {
      Queue queue = context.createQueue(queueName());
      TextMessage request = context.createTextMessage("request");
      request.setJMSCorrelationID(requestReplyId);
      context.createProducer().send(queue, request);
      Message received = context.createConsumer(queue).receive(10_000);

      assertThat(jms.extract(received).id()).isNotEqualTo(requestReplyId);
      JmsCorrelation fallback = JmsCorrelation.newBuilder().readJmsCorrelationId(true).build();
      assertThat(fallback.extract(received).id()).isEqualTo(requestReplyId);
    }
    try (JMSContext context = jms.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      Queue queue = context.createQueue(queueName());
      TextMessage reply = context.createTextMessage("reply");
      reply.setJMSCorrelationID("short-req-1");
      context.createProducer().send(queue, reply);
      assertThat(context.createConsumer(queue).receive(10_000).getJMSCorrelationID())
          .as("never touched by Baton").isEqualTo("short-req-1");
    }
  }

  @Test
  void an_async_sends_completion_listener_logs_under_the_senders_id() throws Exception {
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.tcp());
    Correlation order = Correlation.newRoot();
    java.util.concurrent.CountDownLatch completed = new java.util.concurrent.CountDownLatch(1);
    try (Connection connection = factory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = session.createProducer(session.createQueue(queueName()));
      try (CorrelationScope scope = Baton.open(order)) {
        producer.send(session.createTextMessage("async"), new jakarta.jms.CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            log.info("async send completed");
            completed.countDown();
          }

          @Override
          public void onException(Message message, Exception exception) {
            log.error("async send failed");
            completed.countDown();
          }
        });
      }
      assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
    }

    CapturedLine line = logs.withMessage("async send completed").get(0);
    assertThat(line.correlationId()).isEqualTo(order.id());
    assertThat(line.thread()).isNotEqualTo(Thread.currentThread().getName());
  }
}
