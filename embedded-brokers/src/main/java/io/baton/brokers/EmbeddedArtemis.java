package io.baton.brokers;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One embedded ActiveMQ Artemis per test JVM, persistence off, with an in-VM acceptor and a TCP
 * acceptor on a free localhost port. Every address dead-letters to {@code DLQ} after {@value
 * #MAX_DELIVERY_ATTEMPTS} attempts. Modules that use it add {@code artemis-server} and {@code
 * artemis-jakarta-client} to their test dependencies (optional here).
 */
public final class EmbeddedArtemis {

  public static final int MAX_DELIVERY_ATTEMPTS = 3;
  public static final String DLQ = "DLQ";

  private static EmbeddedActiveMQ server;
  private static int tcpPort;

  private EmbeddedArtemis() {}

  public static synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    tcpPort = freePort();
    Path dataDir = Files.createTempDirectory("baton-artemis");
    Configuration config =
        new ConfigurationImpl()
            .setPersistenceEnabled(false)
            .setSecurityEnabled(false)
            .setJournalDirectory(dataDir.resolve("journal").toString())
            .setBindingsDirectory(dataDir.resolve("bindings").toString())
            .setLargeMessagesDirectory(dataDir.resolve("large").toString())
            .setPagingDirectory(dataDir.resolve("paging").toString())
            .addAcceptorConfiguration("in-vm", "vm://0")
            .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + tcpPort);
    config.addAddressSetting(
        "#",
        new AddressSettings()
            .setDeadLetterAddress(SimpleString.of(DLQ))
            .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
            .setRedeliveryDelay(0)
            .setAutoCreateQueues(true)
            .setAutoCreateAddresses(true)
            .setAutoCreateDeadLetterResources(false));
    config.addQueueConfiguration(
        QueueConfiguration.of(DLQ).setAddress(DLQ).setRoutingType(RoutingType.ANYCAST));
    server = new EmbeddedActiveMQ().setConfiguration(config);
    server.start();
    EmbeddedActiveMQ started = server;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        started.stop();
      } catch (Exception e) {
        // the JVM is going away
      }
    }));
  }

  /** A plain (unwrapped) Artemis connection factory over the in-VM acceptor. */
  public static ActiveMQConnectionFactory inVm() throws Exception {
    start();
    return new ActiveMQConnectionFactory("vm://0");
  }

  /** A plain (unwrapped) Artemis connection factory over TCP. */
  public static ActiveMQConnectionFactory tcp() throws Exception {
    start();
    return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + tcpPort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
