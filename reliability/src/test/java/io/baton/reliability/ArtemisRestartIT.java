package io.baton.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.CorrelationScope;
import io.baton.jms.JmsCorrelation;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** A persistent Artemis is stopped and restarted mid-stream: persisted messages keep their IDs. */
class ArtemisRestartIT {

  private static final int MESSAGES = 500;

  @TempDir Path data;

  private EmbeddedActiveMQ start(int port) throws Exception {
    Configuration config =
        new ConfigurationImpl()
            .setPersistenceEnabled(true)
            .setSecurityEnabled(false)
            .setJournalDirectory(data.resolve("journal").toString())
            .setBindingsDirectory(data.resolve("bindings").toString())
            .setLargeMessagesDirectory(data.resolve("large").toString())
            .setPagingDirectory(data.resolve("paging").toString())
            .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
    return new EmbeddedActiveMQ().setConfiguration(config).start();
  }

  private static Map<String, String> consume(ConnectionFactory factory, JmsCorrelation jms, int count)
      throws Exception {
    Map<String, String> received = new HashMap<>();
    try (Connection connection = connect(factory)) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = session.createConsumer(session.createQueue("ledger"));
      for (int i = 0; i < count; i++) {
        Message message = consumer.receive(10_000);
        assertThat(message).as("message %d of %d", i, count).isNotNull();
        try (CorrelationScope scope = jms.open(message)) {
          received.put(message.getStringProperty("key"), MDC.get("correlation_id"));
        }
      }
    }
    return received;
  }

  /** A client coming back to a restarted broker: retries until it accepts connections again. */
  private static Connection connect(ConnectionFactory factory) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return factory.createConnection();
      } catch (jakarta.jms.JMSException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  void persisted_messages_are_consumed_under_their_ids_after_a_broker_restart() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JmsCorrelation jms = JmsCorrelation.create();
    ConnectionFactory factory = jms.connectionFactory(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port));
    Map<String, String> sent = new HashMap<>();
    Map<String, String> received = new HashMap<>();

    EmbeddedActiveMQ broker = start(port);
    try (Connection connection = factory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue("ledger");
      MessageProducer producer = session.createProducer(queue);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (int i = 0; i < MESSAGES; i++) {
        try (CorrelationScope scope = Baton.openNew()) {
          String key = "entry-" + i;
          sent.put(key, Baton.current().orElseThrow().id());
          Message message = session.createTextMessage("booked");
          message.setStringProperty("key", key);
          producer.send(message);
        }
      }
    }
    received.putAll(consume(factory, jms, MESSAGES / 2));
    broker.stop();

    broker = start(port);
    try {
      ConnectionFactory afterRestart =
          jms.connectionFactory(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port));
      received.putAll(consume(afterRestart, jms, MESSAGES - MESSAGES / 2));
    } finally {
      broker.stop();
    }

    assertThat(received).hasSize(MESSAGES).isEqualTo(sent);
  }
}
