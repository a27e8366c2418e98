package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.baton.Correlation;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.brokers.EmbeddedKafka;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.testing.Brokers;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import jakarta.jms.JMSContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge to the workers: an HTTP request handled behind the filter sends through a wrapped
 * producer, and the consumer on the real broker logs under the ID the HTTP response returned.
 */
class EdgeToBrokersIT {

  private static final Logger worker = LoggerFactory.getLogger("worker");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final HttpCorrelation http = HttpCorrelation.create();
  private HttpServer server;

  private URI serve(HttpHandler handler) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/checkout", exchange -> {
      EdgeContract.API.info("checkout received");
      handler.handle(exchange);
      JdkServerIT.send(exchange, 202, HttpCorrelation.JSON, "{\"status\":\"accepted\"}");
    }).getFilters().add(http.serverFilter());
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/checkout");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void assertTrail(String id, String consumed) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (logs.withMessage(consumed).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(id).matches(Correlation::isValidId);
    assertThat(logs.withMessage("checkout received")).singleElement()
        .satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
    List<CapturedLine> worked = logs.withMessage(consumed);
    assertThat(worked).singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(id));
  }

  @Test
  void kafka_consumer_logs_under_the_id_the_http_response_returned() throws Exception {
    String topic = "orders-" + UUID.randomUUID();
    EmbeddedKafka.createTopics(topic);
    KafkaCorrelation kafka = KafkaCorrelation.create();
    try (Producer<String, String> producer = kafka.producer(EmbeddedKafka.rawProducer());
        Consumer<String, String> consumer = kafka.consumer(EmbeddedKafka.rawConsumer(topic))) {
      URI checkout = serve(exchange -> {
        try {
          producer.send(new ProducerRecord<>(topic, "A-1", "order")).get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      String id = Calls.curl(checkout).id();

      EmbeddedKafka.pollUntil(consumer, records -> {
        try {
          kafka.forEach(consumer, records, record -> worker.info("kafka consumed"));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, 1);
      assertTrail(id, "kafka consumed");
    }
  }

  @Test
  void rabbitmq_consumer_logs_under_the_id_the_http_response_returned() throws Exception {
    Brokers.require(Brokers.answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672");
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(5672);
    try (Connection connection = factory.newConnection("baton-http-it")) {
      Channel channel = rabbit.channel(connection.createChannel());
      String queue = channel.queueDeclare("baton-http-" + UUID.randomUUID(), false, true, true, null).getQueue();
      channel.basicConsume(queue, true, (tag, delivery) -> worker.info("rabbitmq consumed"), tag -> {});
      URI checkout = serve(exchange ->
          channel.basicPublish("", queue, null, "order".getBytes(StandardCharsets.UTF_8)));

      String id = Calls.jdk(checkout).id();

      assertTrail(id, "rabbitmq consumed");
    }
  }

  @Test
  void jms_listener_logs_under_the_id_the_http_response_returned() throws Exception {
    JmsCorrelation jms = JmsCorrelation.create();
    jakarta.jms.ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    try (JMSContext listening = factory.createContext(); JMSContext sending = factory.createContext()) {
      jakarta.jms.Queue audit = listening.createQueue("audit-" + UUID.randomUUID());
      listening.createConsumer(audit).setMessageListener(message -> worker.info("jms consumed"));
      URI checkout = serve(exchange -> {
        synchronized (sending) { // a JMSContext is for one thread at a time
          sending.createProducer().send(audit, "checkout paid");
        }
      });

      String id = Calls.jdk(checkout, "X-Correlation-ID", EdgeContract.valid()).id();

      assertTrail(id, "jms consumed");
    }
  }
}
