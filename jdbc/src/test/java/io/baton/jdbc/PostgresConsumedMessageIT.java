package io.baton.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.brokers.EmbeddedKafka;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.testing.Brokers;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker consumes a message through a Baton-wrapped client and records it in PostgreSQL through
 * the wrapped pool: the handler's log line and the server's own log line for that statement carry
 * the ID the message was sent with.
 */
class PostgresConsumedMessageIT {

  private static final Logger log = LoggerFactory.getLogger("payment-worker");
  private static HikariDataSource pool;
  private static DataSource payments;

  @RegisterExtension final LogCapture logs = new LogCapture();
  private Postgres.ServerLog serverLog;

  @BeforeAll
  static void database() throws SQLException {
    Postgres.require();
    HikariConfig config = new HikariConfig();
    config.setDataSource(Postgres.dataSource());
    config.setMaximumPoolSize(2);
    config.setPoolName("payments");
    pool = new HikariDataSource(config);
    payments = JdbcCorrelation.create().dataSource(pool);
    try (Connection connection = pool.getConnection(); Statement ddl = connection.createStatement()) {
      ddl.execute("create table if not exists baton_it_payments (order_id text, note text)");
    }
  }

  @AfterAll
  static void close() {
    if (pool != null) {
      pool.close();
    }
  }

  @BeforeEach
  void markTheLog() throws SQLException {
    serverLog = Postgres.ServerLog.fromNow();
  }

  /** The worker's handling of one message: a log line, then one row. */
  private static void recordPayment(String order, String marker) {
    log.info("recording payment for {}", order);
    try (Connection connection = payments.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "insert into baton_it_payments (order_id, note) values (?, '" + marker + "')")) {
      insert.setString(1, order);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertTrail(Correlation sent, String order, String marker) throws Exception {
    CapturedLine handled = logs.withMessage("recording payment for " + order).get(0);
    assertThat(handled.correlationId()).isEqualTo(sent.id());
    List<String> serverLines = serverLog.statementLines(marker);
    assertThat(serverLines).as("PostgreSQL's log lines for the insert")
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" app=" + sent.id() + " ").contains("insert into baton_it_payments"));
    // And the other way round, as support searches: the ID alone finds the insert.
    assertThat(serverLog.linesWith(" app=" + sent.id() + " ")).as("PostgreSQL's lines under the ID")
        .anySatisfy(line -> assertThat(line).contains(marker).contains("insert into baton_it_payments"));
  }

  @Test
  void kafka_record_handled_through_the_wrapped_consumer_is_logged_by_postgresql_under_its_id() throws Exception {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    String topic = EmbeddedKafka.topics("payments").get(0);
    Correlation sent = Correlation.newRoot();
    String marker = Postgres.marker();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        CorrelationScope scope = Baton.open(sent)) {
      producer.send(new ProducerRecord<>(topic, "K-1", "pay 10 EUR")).get(30, TimeUnit.SECONDS);
    }

    try (Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      EmbeddedKafka.pollUntil(consumer, records -> {
        try {
          kafka.forEach(consumer, records, record -> recordPayment(record.key(), marker));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, 1);
    }

    assertTrail(sent, "K-1", marker);
  }

  @Test
  void jms_message_handled_by_a_wrapped_listener_is_logged_by_postgresql_under_its_id() throws Exception {
    JmsCorrelation jms = JmsCorrelation.create();
    Correlation sent = Correlation.newRoot();
    String marker = Postgres.marker();
    BlockingQueue<String> done = new LinkedBlockingQueue<>();
    try (JMSContext context = jms.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      Queue queue = context.createQueue("payments-" + UUID.randomUUID());
      context.createConsumer(queue).setMessageListener(message -> {
        recordPayment("J-1", marker);
        done.add("J-1");
      });
      try (CorrelationScope scope = Baton.open(sent)) {
        context.createProducer().send(queue, "pay 20 EUR");
      }
      assertThat(done.poll(30, TimeUnit.SECONDS)).as("handled within 30 s").isEqualTo("J-1");
    }

    assertTrail(sent, "J-1", marker);
  }

  @Test
  void rabbitmq_delivery_handled_through_the_wrapped_channel_is_logged_by_postgresql_under_its_id() throws Exception {
    Brokers.require(Brokers.answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672");
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(5672);
    factory.setUsername("guest");
    factory.setPassword("guest");
    Correlation sent = Correlation.newRoot();
    String marker = Postgres.marker();
    BlockingQueue<String> done = new LinkedBlockingQueue<>();
    try (com.rabbitmq.client.Connection connection = factory.newConnection("baton-jdbc-it")) {
      Channel channel = rabbit.channel(connection.createChannel());
      String queue = channel.queueDeclare("", false, true, true, null).getQueue();
      channel.basicConsume(queue, true, (tag, delivery) -> {
        recordPayment("R-1", marker);
        done.add("R-1");
      }, tag -> {});
      try (CorrelationScope scope = Baton.open(sent)) {
        channel.basicPublish("", queue, null, "pay 30 EUR".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(done.poll(30, TimeUnit.SECONDS)).as("handled within 30 s").isEqualTo("R-1");
    }

    assertTrail(sent, "R-1", marker);
  }
}
