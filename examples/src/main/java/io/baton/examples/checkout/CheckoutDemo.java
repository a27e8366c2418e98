package io.baton.examples.checkout;

import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.MessageHandler;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.brokers.EmbeddedKafka;
import io.baton.brokers.Tcp;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.baton.http.HttpCorrelation;
import io.baton.jdbc.JdbcCorrelation;
import io.baton.jms.JmsCorrelation;
import io.baton.kafka.KafkaCorrelation;
import io.baton.kafka.KafkaRetryPolicy;
import io.baton.quartz.FirePolicy;
import io.baton.quartz.QuartzCorrelation;
import io.baton.rabbitmq.RabbitCorrelation;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checkout story: an HTTP request becomes a Kafka record, a payment with a retry and a dead
 * letter, a RabbitMQ e-mail with a dead-letter exchange, a JMS audit record that rolls back to the
 * DLQ, and scheduled Quartz jobs, all on real brokers, all logging under the order's ID. At the end
 * it prints what support would see for the order that failed.
 */
public final class CheckoutDemo {

  private static final Logger api = LoggerFactory.getLogger("api");
  private static final Logger payments = LoggerFactory.getLogger("payment-worker");
  private static final Logger dlt = LoggerFactory.getLogger("payment-dlt");
  private static final Logger database = LoggerFactory.getLogger("payments-db");
  private static final Logger fraud = LoggerFactory.getLogger("fraud-check");
  private static final Logger loyalty = LoggerFactory.getLogger("loyalty");
  private static final Logger email = LoggerFactory.getLogger("email-worker");
  private static final Logger emailDlq = LoggerFactory.getLogger("email-dlq");
  private static final Logger audit = LoggerFactory.getLogger("audit");
  private static final Logger auditDlq = LoggerFactory.getLogger("audit-dlq");
  private static final Logger demo = LoggerFactory.getLogger("demo");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a run produced: the HTTP answers, and the ID of the order that failed. */
  public record Result(Map<String, Response> responses, String failedOrderId, Path logFile, Path html, boolean rabbit) {}

  /** One HTTP answer. */
  public record Response(int status, String correlationHeader, String body) {}

  private final DemoConfig config;
  private final PrintStream out;
  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private final JmsCorrelation jms = JmsCorrelation.create();
  private final QuartzCorrelation quartz = QuartzCorrelation.create();
  private final HttpCorrelation http = HttpCorrelation.create();
  private final ExecutorService fanOut = Baton.wrap(Executors.newFixedThreadPool(2));
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch reconciled = new CountDownLatch(3);
  private final CountDownLatch auditDeadLetters = new CountDownLatch(1);
  private final CountDownLatch emailDeadLetters = new CountDownLatch(1);

  private Producer<String, String> producer;
  private DataSource paymentsDb;
  private Scheduler scheduler;
  private Channel notifications;
  private jakarta.jms.ConnectionFactory auditFactory;

  CheckoutDemo(DemoConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /** Runs the story with embedded defaults and prints the support view. */
  public static void main(String[] args) throws Exception {
    Path log = Path.of(args.length > 0 ? args[0] : "target/baton-demo/baton-demo.json");
    Result result = run(DemoConfig.fromEnvironment(log), System.out);
    System.out.printf("%nJSON log: %s%nTrail picture: %s%n", result.logFile(), result.html());
    System.exit(0); // embedded brokers keep non-daemon threads
  }

  /** Runs the whole story once. */
  public static Result run(DemoConfig config, PrintStream out) throws Exception {
    CheckoutDemo story = new CheckoutDemo(config, out);
    FileAppender<ILoggingEvent> json = DemoLogging.jsonFile(config.logFile());
    try {
      return story.play();
    } finally {
      story.stop();
      DemoLogging.stop(json);
    }
  }

  private Result play() throws Exception {
    out.println("== Starting brokers (Kafka KRaft in process, Artemis embedded, RabbitMQ local) ...");
    String bootstrap = startKafka();
    ActiveMQConnectionFactory audit = config.jmsBrokerUrl() != null
        ? new ActiveMQConnectionFactory(config.jmsBrokerUrl()) : EmbeddedArtemis.inVm();
    // No client-side prefetch: a rollback must only bring back the message that was refused, not
    // count every buffered one as redelivered too.
    audit.setConsumerWindowSize(0);
    auditFactory = jms.connectionFactory(audit);
    boolean rabbitUp = startRabbit();
    startScheduler();
    startAudit();
    out.println("== Payments database: " + startPaymentsDatabase());
    startPaymentWorker(bootstrap);
    startDeadLetterHandler(bootstrap);
    HttpServer server = startApi();
    closing.add(() -> server.stop(0));

    out.println("== Sending orders: one with an ID, one without, one with an invalid ID, one bad request");
    URI checkout = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/checkout");
    Map<String, Response> responses = new LinkedHashMap<>();
    String clientId = "web-" + Correlation.newRoot().id().replace("-", "");
    responses.put("A-1001", post(checkout, "{\"order\":\"A-1001\",\"amount\":\"25.00\",\"card\":\"ok\"}", clientId));
    responses.put("B-1002", post(checkout, "{\"order\":\"B-1002\",\"amount\":\"12.50\",\"card\":\"flaky\"}", null));
    responses.put("C-1003", post(checkout, "{\"order\":\"C-1003\",\"amount\":\"99.00\",\"card\":\"declined\"}", "not a valid id!"));
    responses.put("bad-request", post(checkout, "{\"amount\":\"5.00\"}", null));
    for (Map.Entry<String, Response> response : responses.entrySet()) {
      out.printf("   %-12s -> HTTP %d, X-Correlation-ID: %s%n",
          response.getKey(), response.getValue().status(), response.getValue().correlationHeader());
    }

    boolean done = reconciled.await(60, TimeUnit.SECONDS)
        & auditDeadLetters.await(60, TimeUnit.SECONDS)
        & (!rabbitUp || emailDeadLetters.await(60, TimeUnit.SECONDS));
    if (!done) {
      out.println("!! not every hop finished within a minute; the trail below shows what did");
    }
    Thread.sleep(500); // the last lines reach the file

    String failed = responses.get("C-1003").correlationHeader();
    out.printf("%n== What support sees for the order that failed%n");
    out.printf("The customer's receipt page said: \"Something went wrong. Reference: %s\"%n", failed);
    out.printf("Ask the user for this ID: %s%n%n", failed);
    List<Trail.Event> events = Trail.read(List.of(config.logFile()));
    List<Trail.Event> trail = Trail.trail(events, failed);
    out.print(Trail.timeline(trail, failed));
    Path html = config.logFile().resolveSibling("trail-" + failed + ".html");
    Files.writeString(html, Trail.html(trail, failed));
    return new Result(responses, failed, config.logFile(), html, rabbitUp);
  }

  // --- the HTTP edge

  private HttpServer startApi() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/checkout", this::checkout).getFilters().add(http.serverFilter());
    server.start();
    return server;
  }

  /**
   * Runs inside the request's correlation: the filter took a valid inbound X-Correlation-ID, made
   * one when missing, replaced an invalid one, and put it on the response.
   */
  private void checkout(HttpExchange exchange) throws IOException {
    JsonNode order;
    try {
      order = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      order = null;
    }
    if (order == null || !order.hasNonNull("order") || !order.hasNonNull("amount")) {
      api.warn("rejected a checkout without an order or amount");
      respond(exchange, 400, HttpCorrelation.errorBody("invalid_request", "order and amount are required"));
      return;
    }
    String id = order.get("order").asString();
    api.info("checkout received for order {} ({} EUR)", id, order.get("amount").asString());
    producer.send(new ProducerRecord<>("orders", id, order.toString()),
        (metadata, e) -> api.info("order {} handed to Kafka ({})", id, e == null ? metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset() : e.toString()));
    respond(exchange, 202, "{\"order\":\"" + id + "\",\"status\":\"accepted\",\"correlation_id\":\""
        + Baton.current().orElseThrow().id() + "\"}");
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", HttpCorrelation.JSON);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream stream = exchange.getResponseBody()) {
      stream.write(bytes);
    }
  }

  private static Response post(URI uri, String body, String correlationId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (correlationId != null) {
      request.header("X-Correlation-ID", correlationId);
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().firstValue("X-Correlation-ID").orElse(null), response.body());
  }

  // --- Kafka: orders, payments, retries, the DLT

  private String startKafka() throws Exception {
    String bootstrap = config.kafkaBootstrapServers();
    if (bootstrap == null) {
      bootstrap = EmbeddedKafka.bootstrapServers();
      try {
        EmbeddedKafka.createTopics("orders", "orders.DLT");
      } catch (Exception e) {
        // a second run in the same JVM: the topics are there
      }
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producer = kafka.producer(new KafkaProducer<>(props));
    closing.add(producer);
    return bootstrap;
  }

  private Consumer<String, String> consumer(String bootstrap, String group, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the poll loop commits after forEach
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Consumer<String, String> consumer = kafka.consumer(new KafkaConsumer<>(props));
    consumer.subscribe(List.of(topic));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(50));
    }
    return consumer;
  }

  private void startPaymentWorker(String bootstrap) {
    Consumer<String, String> consumer = consumer(bootstrap, "payment-worker", "orders");
    MessageHandler<ConsumerRecord<String, String>> handler = kafka.retrying(
        record -> pay(record.key(), JSON.readTree(record.value())), producer,
        KafkaRetryPolicy.newBuilder().attempts(2).build());
    pollLoop("payment-worker", consumer, handler);
  }

  private final Map<String, Integer> providerCalls = new java.util.concurrent.ConcurrentHashMap<>();

  /** The payment provider is flaky: one card times out once, one is always declined. */
  private void pay(String order, JsonNode body) throws Exception {
    String card = body.get("card").asString();
    int call = providerCalls.merge(order, 1, Integer::sum);
    payments.info("charging {} EUR for order {} (attempt {})", body.get("amount").asString(), order, call);
    recordAttempt(order, body.get("amount").asString(), call);
    if (card.equals("flaky") && call == 1) {
      throw new IOException("payment provider timed out");
    }
    if (card.equals("declined")) {
      throw new IllegalStateException("card declined by issuer");
    }
    payments.info("payment captured for order {}", order);
    // Fan out: both tasks run on other threads under this order's correlation.
    List<Callable<Void>> checks = List.of(
        () -> {
          try (CorrelationScope child = Baton.openChild()) {
            fraud.info("fraud score for order {}: 0.02 (spawned work, its own ID)", order);
          }
          return null;
        },
        () -> {
          loyalty.info("credited loyalty points for order {}", order);
          return null;
        });
    for (var done : fanOut.invokeAll(checks)) {
      done.get();
    }
    notifyByEmail(order, "receipt for order " + order);
    auditRecord("payment captured for order " + order);
    scheduleReconcile(order, FirePolicy.AUTO);
  }

  // --- the payments database: each attempt is a row, written through Baton's DataSource

  /** H2 in memory, or PostgreSQL at {@code JDBC_URL}; a pool in front of Baton's wrapper. */
  private String startPaymentsDatabase() throws SQLException {
    HikariConfig pool = new HikariConfig();
    boolean embedded = config.jdbcUrl() == null;
    pool.setJdbcUrl(embedded ? "jdbc:h2:mem:payments-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1"
        : config.jdbcUrl());
    if (!embedded) {
      pool.setUsername(System.getenv().getOrDefault("JDBC_USER", "baton"));
      pool.setPassword(System.getenv().getOrDefault("JDBC_PASSWORD", "baton"));
      pool.addDataSourceProperty("ApplicationName", "checkout-demo"); // the sessions' own name
    }
    pool.setPoolName("payments-db");
    pool.setMaximumPoolSize(2);
    HikariDataSource hikari = new HikariDataSource(pool);
    closing.add(hikari);
    paymentsDb = JdbcCorrelation.create().dataSource(hikari);
    try (java.sql.Connection connection = paymentsDb.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute("create table if not exists payment_attempts"
          + " (order_id varchar(32), attempt int, amount varchar(16), at timestamp default current_timestamp)");
    }
    return embedded ? "H2 in memory (set JDBC_URL for PostgreSQL)" : "PostgreSQL at " + config.jdbcUrl();
  }

  /** One row per attempt; the database session carries the order's correlation ID meanwhile. */
  private void recordAttempt(String order, String amount, int attempt) throws SQLException {
    long start = System.nanoTime();
    try (java.sql.Connection connection = paymentsDb.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "insert into payment_attempts (order_id, attempt, amount) values (?, ?, ?)")) {
      insert.setString(1, order);
      insert.setInt(2, attempt);
      insert.setString(3, amount);
      insert.executeUpdate();
      database.info("recorded attempt {} of order {} in payment_attempts ({} ms; session application_name {})",
          attempt, order, String.format("%.1f", (System.nanoTime() - start) / 1e6),
          connection.getClientInfo("ApplicationName"));
    }
  }

  private void startDeadLetterHandler(String bootstrap) {
    Consumer<String, String> consumer = consumer(bootstrap, "payment-dlt", "orders.DLT");
    pollLoop("payment-dlt", consumer, record -> {
      String exception = new String(record.headers().lastHeader(KafkaRetryPolicy.EXCEPTION_CLASS_HEADER).value(), StandardCharsets.UTF_8);
      dlt.error("payment failed for good for order {} after {} attempts ({})", record.key(),
          new String(record.headers().lastHeader(KafkaRetryPolicy.ATTEMPTS_HEADER).value(), StandardCharsets.UTF_8), exception);
      try {
        notifyByEmail(record.key(), "payment failed for order " + record.key());
        auditRecord("payment failed for order " + record.key());
        scheduleReconcile(record.key(), FirePolicy.CHILD);
      } catch (Exception e) {
        throw new IllegalStateException("dead-letter follow-up failed", e);
      }
    });
  }

  private void pollLoop(String name, Consumer<String, String> consumer,
      MessageHandler<ConsumerRecord<String, String>> handler) {
    Thread thread = new Thread(() -> {
      try {
        while (running.get()) {
          kafka.forEach(consumer, consumer.poll(Duration.ofMillis(100)), handler);
          consumer.commitSync();
        }
      } catch (Exception e) {
        // logged by Baton under the record's ID; the loop stops, as an uncaught exception did
      } finally {
        consumer.close();
      }
    }, name);
    thread.start();
    closing.add(() -> thread.join(5_000));
  }

  // --- RabbitMQ: e-mail, a dead-letter exchange

  /**
   * RabbitMQ: the server at {@code RABBITMQ_URI} (default localhost) if one answers, else a
   * Testcontainers RabbitMQ when Docker is there, else none: the demo says what to install.
   */
  private String rabbitUri() {
    URI uri = URI.create(config.rabbitUri());
    if (Tcp.answers(uri.getHost(), uri.getPort() < 0 ? 5672 : uri.getPort())) {
      return config.rabbitUri();
    }
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return null;
      }
      out.println("== Nothing answers at " + withoutCredentials(config.rabbitUri())
          + "; starting RabbitMQ in Docker (Testcontainers) ...");
      RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse("rabbitmq:4-management"));
      container.start();
      closing.add(container::stop);
      URI amqp = URI.create(container.getAmqpUrl());
      return "amqp://" + container.getAdminUsername() + ":" + container.getAdminPassword()
          + "@" + amqp.getHost() + ":" + amqp.getPort();
    } catch (RuntimeException | Error e) {
      return null;
    }
  }

  private boolean startRabbit() {
    String rabbitUri = rabbitUri();
    if (rabbitUri == null) {
      out.printf("!! RabbitMQ: nothing answers at %s and there is no Docker for a container.%n"
          + "   Install and start it (sudo apt-get install -y rabbitmq-server && sudo rabbitmq-server -detached),%n"
          + "   or set RABBITMQ_URI. Running the other hops without the e-mail step.%n",
          withoutCredentials(config.rabbitUri()));
      return false;
    }
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(rabbitUri);
      factory.setConnectionTimeout(2_000);
      Connection connection = factory.newConnection("baton-demo");
      closing.add(connection);
      notifications = rabbit.channel(connection.createChannel());
      Channel setup = connection.createChannel();
      setup.exchangeDeclare("notifications", "direct");
      setup.exchangeDeclare("notifications.dlx", "fanout");
      setup.queueDelete("email");
      setup.queueDelete("email.dlq");
      setup.queueDeclare("email.dlq", false, false, false, null);
      setup.queueBind("email.dlq", "notifications.dlx", "");
      setup.queueDeclare("email", false, false, false, Map.of("x-dead-letter-exchange", "notifications.dlx"));
      setup.queueBind("email", "notifications", "email");

      Channel worker = rabbit.channel(connection.createChannel());
      worker.basicConsume("email", false, (tag, delivery) -> {
        String text = new String(delivery.getBody(), StandardCharsets.UTF_8);
        if (text.startsWith("payment failed")) {
          email.warn("no template for \"{}\"; rejecting the e-mail", text);
          worker.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
        } else {
          email.info("sent e-mail: {}", text);
          worker.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }
      }, tag -> {});
      worker.basicConsume("email.dlq", true, (tag, delivery) -> {
        emailDlq.warn("undeliverable e-mail \"{}\" (x-death: {} x {} from {})",
            new String(delivery.getBody(), StandardCharsets.UTF_8),
            org.slf4j.MDC.get("death_count"), org.slf4j.MDC.get("death_reason"), org.slf4j.MDC.get("death_queue"));
        emailDeadLetters.countDown();
      }, tag -> {});
      return true;
    } catch (Exception e) {
      out.printf("!! RabbitMQ at %s could not be used (%s); running the other hops without the e-mail step.%n",
          withoutCredentials(rabbitUri), e.getClass().getSimpleName());
      return false;
    }
  }

  /** A broker URI fit to print: user and password taken out. */
  private static String withoutCredentials(String uri) {
    return uri.replaceFirst("//[^@]*@", "//");
  }

  private void notifyByEmail(String order, String text) throws IOException {
    if (notifications != null) {
      notifications.basicPublish("notifications", "email",
          new AMQP.BasicProperties.Builder().contentType("text/plain").build(), text.getBytes(StandardCharsets.UTF_8));
    }
  }

  // --- JMS: the audit trail, a rollback to the DLQ

  private void startAudit() throws Exception {
    JMSContext context = auditFactory.createContext(JMSContext.SESSION_TRANSACTED);
    closing.add(context);
    context.createConsumer(context.createQueue("audit")).setMessageListener(message -> {
      try {
        String text = ((TextMessage) message).getText();
        if (text.startsWith("payment failed")) {
          audit.warn("audit store refused \"{}\"; rolling back (delivery {})", text, org.slf4j.MDC.get("delivery_count"));
          context.rollback();
        } else {
          audit.info("audit record stored: {}", text);
          context.commit();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JMSContext dlq = auditFactory.createContext();
    closing.add(dlq);
    dlq.createConsumer(dlq.createQueue("DLQ")).setMessageListener(message -> {
      auditDlq.error("audit record moved to the DLQ from {}", org.slf4j.MDC.get("original_destination"));
      try {
        if (((TextMessage) message).getText().startsWith("payment failed")) {
          auditDeadLetters.countDown();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private void auditRecord(String text) {
    try (JMSContext context = auditFactory.createContext()) {
      JMSProducer sender = context.createProducer();
      Queue queue = context.createQueue("audit");
      sender.send(queue, text);
    }
  }

  // --- Quartz: a one-shot reconcile per order, a repeating sweep

  private void startScheduler() throws Exception {
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", "checkout-" + System.nanoTime());
    props.setProperty("org.quartz.threadPool.threadCount", "2");
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    scheduler = new StdSchedulerFactory(props).getScheduler();
    quartz.install(scheduler);
    scheduler.getListenerManager().addJobListener(new org.quartz.listeners.JobListenerSupport() {
      @Override
      public String getName() {
        return "demo-progress";
      }

      @Override
      public void jobWasExecuted(org.quartz.JobExecutionContext context, org.quartz.JobExecutionException e) {
        if (context.getJobDetail().getJobClass() == Jobs.ReconcilePayment.class) {
          reconciled.countDown();
        }
      }
    });
    scheduler.start();
    try (CorrelationScope startup = Baton.openNew()) {
      demo.info("scheduling the settlement sweep every {} s", config.sweepInterval().toSeconds());
      scheduler.scheduleJob(
          quartz.tag(newJob(Jobs.SettlementSweep.class).withIdentity("settlement-sweep")).build(),
          newTrigger().startNow().withSchedule(SimpleScheduleBuilder.simpleSchedule()
              .withIntervalInMilliseconds(config.sweepInterval().toMillis()).repeatForever()).build());
    }
  }

  private void scheduleReconcile(String order, FirePolicy policy) throws Exception {
    scheduler.scheduleJob(
        quartz.tag(newJob(Jobs.ReconcilePayment.class).usingJobData("order", order)
            .usingJobData("failed", policy == FirePolicy.CHILD), policy).build(),
        newTrigger().startAt(new Date(System.currentTimeMillis() + config.reconcileDelay().toMillis())).build());
  }

  private void stop() {
    running.set(false);
    try {
      if (scheduler != null) {
        scheduler.shutdown(true);
      }
    } catch (Exception e) {
      // going away
    }
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        // going away
      }
    }
    fanOut.shutdown();
  }
}
