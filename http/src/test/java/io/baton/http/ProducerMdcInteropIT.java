package io.baton.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import io.baton.testing.Brokers;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Interop with an edge Baton did not build: outside any Baton scope, every broker module's
 * producer sends a valid ID (and parent) that another filter put in the MDC under {@code
 * correlation_id}, instead of a fresh root; an invalid one is ignored, a current scope wins, and
 * {@code readMdc(false)} turns it off.
 */
class ProducerMdcInteropIT {

  private static final CorrelationPropagator NO_MDC = CorrelationPropagator.newBuilder().readMdc(false).build();

  /** Sends one message through a wrapped producer; returns "<correlation_id>|<parent>" as delivered. */
  interface Broker {
    String send(boolean readMdc) throws Exception;
  }

  @AfterEach
  void clearOtherFiltersMdc() {
    MDC.remove(Baton.ID_KEY);
    MDC.remove(Baton.PARENT_KEY);
  }

  private final Broker kafka = readMdc -> {
    KafkaCorrelation correlation = readMdc ? KafkaCorrelation.create()
        : KafkaCorrelation.newBuilder().propagator(NO_MDC).build();
    MockProducer<String, String> mock = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    try (Producer<String, String> producer = correlation.producer(mock)) {
      producer.send(new ProducerRecord<>("orders", "A-1", "order"));
    }
    ProducerRecord<String, String> sent = mock.history().get(0);
    return text(sent.headers().lastHeader(Baton.ID_KEY)) + "|" + text(sent.headers().lastHeader(Baton.PARENT_KEY));
  };

  private final Broker rabbit = readMdc -> {
    Brokers.require(Brokers.answers("127.0.0.1", 5672), "RabbitMQ on 127.0.0.1:5672");
    RabbitCorrelation correlation = readMdc ? RabbitCorrelation.create()
        : RabbitCorrelation.newBuilder().propagator(NO_MDC).build();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(5672);
    try (Connection connection = factory.newConnection("baton-http-interop")) {
      Channel plain = connection.createChannel();
      String queue = plain.queueDeclare("baton-interop-" + UUID.randomUUID(), false, true, true, null).getQueue();
      correlation.channel(connection.createChannel()).basicPublish("", queue, null, "order".getBytes(StandardCharsets.UTF_8));
      GetResponse got = null;
      for (int i = 0; i < 100 && got == null; i++) {
        got = plain.basicGet(queue, true);
        if (got == null) {
          Thread.sleep(50);
        }
      }
      assertThat(got).as("the message on " + queue).isNotNull();
      Map<String, Object> headers = got.getProps().getHeaders();
      return text(headers.get(Baton.ID_KEY)) + "|" + text(headers.get(Baton.PARENT_KEY));
    }
  };

  private final Broker jms = readMdc -> {
    JmsCorrelation correlation = readMdc ? JmsCorrelation.create()
        : JmsCorrelation.newBuilder().propagator(NO_MDC).build();
    try (JMSContext plain = EmbeddedArtemis.inVm().createContext();
        JMSContext wrapped = correlation.connectionFactory(EmbeddedArtemis.inVm()).createContext()) {
      jakarta.jms.Queue queue = plain.createQueue("interop-" + UUID.randomUUID());
      wrapped.createProducer().send(queue, "order");
      Message got = plain.createConsumer(queue).receive(30_000);
      assertThat(got).isNotNull();
      return got.getStringProperty(Baton.ID_KEY) + "|" + got.getStringProperty(Baton.PARENT_KEY);
    }
  };

  private static String text(Object value) {
    if (value instanceof Header) {
      return new String(((Header) value).value(), StandardCharsets.UTF_8);
    }
    return value == null ? null : value.toString();
  }

  private void assertInterop(Broker broker) throws Exception {
    String id = EdgeContract.valid();
    String parent = EdgeContract.valid();

    // another edge filter's ID, and its parent
    MDC.put(Baton.ID_KEY, id);
    MDC.put(Baton.PARENT_KEY, parent);
    assertThat(broker.send(true)).isEqualTo(id + "|" + parent);

    // turned off: a fresh root
    String off = broker.send(false);
    assertThat(off.split("\\|")[0]).matches(Correlation::isValidId).isNotEqualTo(id);
    assertThat(off).endsWith("|null");

    // a current Baton scope wins over the MDC it replaced... and the MDC is back afterwards
    Correlation order = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(order)) {
      assertThat(broker.send(true)).isEqualTo(order.id() + "|null");
    }
    assertThat(MDC.get(Baton.ID_KEY)).isEqualTo(id);

    // an invalid value in the MDC is not taken (no parent without its ID either)
    MDC.put(Baton.ID_KEY, "not a valid id\r\n");
    String invalid = broker.send(true);
    assertThat(invalid.split("\\|")[0]).matches(Correlation::isValidId);
    assertThat(invalid).endsWith("|null");
  }

  @Test
  void kafka_producer_takes_a_valid_id_another_filter_put_in_the_mdc() throws Exception {
    assertInterop(kafka);
  }

  @Test
  void rabbitmq_channel_takes_a_valid_id_another_filter_put_in_the_mdc() throws Exception {
    assertInterop(rabbit);
  }

  @Test
  void jms_producer_takes_a_valid_id_another_filter_put_in_the_mdc() throws Exception {
    assertInterop(jms);
  }
}
