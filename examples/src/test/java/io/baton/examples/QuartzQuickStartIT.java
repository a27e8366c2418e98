package io.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.brokers.EmbeddedArtemis;
import io.baton.jms.JmsCorrelation;
import io.baton.quartz.QuartzCorrelation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

/** Cross-module: Quartz jobs send to Artemis through Baton-wrapped JMS, under the job's ID. */
class QuartzQuickStartIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void messages_sent_by_scheduled_jobs_carry_the_jobs_correlation() throws Exception {
    JmsCorrelation jms = JmsCorrelation.create();
    ConnectionFactory factory = jms.connectionFactory(EmbeddedArtemis.inVm());
    Properties properties = new Properties();
    properties.setProperty("org.quartz.scheduler.instanceName", "quickstart-" + UUID.randomUUID());
    properties.setProperty("org.quartz.threadPool.threadCount", "2");
    properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
    QuartzCorrelation quartz = QuartzQuickStart.install(scheduler, factory);
    scheduler.start();
    Correlation order = Correlation.newRoot();
    List<Message> audited = new ArrayList<>();
    try (JMSContext context = factory.createContext()) {
      JMSConsumer consumer = context.createConsumer(context.createQueue("audit"));
      try (CorrelationScope request = Baton.open(order)) {
        QuartzQuickStart.scheduleReconcile(scheduler, quartz, Duration.ofMillis(200));
        QuartzQuickStart.scheduleSweep(scheduler, quartz, "* * * * * ?");
      }
      while (audited.size() < 3) {
        Message message = consumer.receive(20_000);
        assertThat(message).as("an audit message").isNotNull();
        audited.add(message);
      }
    } finally {
      scheduler.shutdown(true);
    }

    Message reconciled = audited.stream()
        .filter(m -> body(m).equals("payment reconciled")).findFirst().orElseThrow();
    assertThat(jms.extract(reconciled)).isEqualTo(order);
    List<Message> sweeps = audited.stream().filter(m -> body(m).equals("settlements swept")).toList();
    assertThat(sweeps).isNotEmpty();
    for (Message sweep : sweeps) {
      Correlation fire = jms.extract(sweep);
      assertThat(fire.parentId()).contains(order.id());
      assertThat(fire.id()).isNotEqualTo(order.id());
    }
    CapturedLine reconciling = logs.withMessage("reconciling payment").get(0);
    assertThat(reconciling.correlationId()).isEqualTo(order.id());
    assertThat(reconciling.mdc()).containsKeys("quartz_job", "quartz_trigger", "quartz_fire_id");
  }

  private static String body(Message message) {
    try {
      return message.getBody(String.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
