package io.baton.examples;

import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.jms.JmsCorrelation;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The README's JMS quick start: wrap the factory, a listener, failures, a receive loop, the DLQ.
 */
public final class JmsQuickStart {

  private static final Logger log = LoggerFactory.getLogger(JmsQuickStart.class);

  private JmsQuickStart() {}

  /** Wrap the provider's factory once; everything made from it propagates. */
  public static void listen(ConnectionFactory providerFactory) {
    JmsCorrelation jms = JmsCorrelation.create();
    ConnectionFactory factory = jms.connectionFactory(providerFactory);
    JMSContext context = factory.createContext();
    Queue audit = context.createQueue("audit");
    context.createConsumer(audit).setMessageListener(message ->
        log.info("audited"));                         // MDC: correlation_id, delivery_count
    context.createProducer().send(audit, "checkout paid");  // property correlation_id
  }

  /** A failing listener's line from Baton: at WARN instead of ERROR (or off). */
  public static JmsCorrelation failures() {
    JmsCorrelation jms = JmsCorrelation.newBuilder()
        .failureLog(FailureLog.at(Level.WARN))   // or FailureLog.off()
        .build();
    return jms;
  }

  /** A transacted receive loop: rolled back messages come back under the same ID. */
  public static void receiveLoop(ConnectionFactory factory, JmsCorrelation jms, BooleanSupplier running)
      throws Exception {
    try (Connection connection = factory.createConnection()) {
      connection.start();
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = session.createConsumer(session.createQueue("audit"));
      while (running.getAsBoolean()) {
        Message message = consumer.receive(1_000);
        if (message == null) {
          continue;                         // nothing arrived in time; jms.open(null) throws
        }
        try (CorrelationScope scope = jms.open(message)) {
          log.info("auditing");
          session.commit();
        } catch (RuntimeException e) {
          session.rollback();               // after the broker's max attempts: the DLQ
        }
      }
    }
  }

  /** The dead-letter queue: logged under the original ID, with where it came from. */
  public static void deadLetters(JMSContext context) {
    context.createConsumer(context.createQueue("DLQ")).setMessageListener(message ->
        log.warn("audit message gave up"));   // MDC: correlation_id, original_destination
  }
}
