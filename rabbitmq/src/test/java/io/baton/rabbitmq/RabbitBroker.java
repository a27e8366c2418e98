package io.baton.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import io.baton.testing.Brokers;
import java.util.concurrent.ExecutorService;

/**
 * The RabbitMQ server on 127.0.0.1:5672 (Debian's rabbitmq-server; .ci/run installs and starts
 * it). Missing, it skips the tests locally and fails them with CI=true.
 */
final class RabbitBroker {

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private RabbitBroker() {}

  static void require() {
    Brokers.require(Brokers.answers(HOST, PORT), "RabbitMQ on " + HOST + ":" + PORT);
  }

  static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setAutomaticRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(500);
    // A handler that throws is logged, not a reason to close the channel.
    factory.setExceptionHandler(new ForgivingExceptionHandler());
    return factory;
  }

  static Connection connect() throws Exception {
    return factory().newConnection("baton-it");
  }

  static Connection connect(ExecutorService consumerThreads) throws Exception {
    return factory().newConnection(consumerThreads, "baton-it");
  }
}
