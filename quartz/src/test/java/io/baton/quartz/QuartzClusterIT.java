package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Correlation;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.slf4j.MDC;

/**
 * A clustered JDBC store: another node recovering an untagged fire keeps that fire's ID (the
 * scheduler's fire-ID salt is in the store, shared by the nodes).
 */
class QuartzClusterIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path dir;

  static final CountDownLatch STARTED = new CountDownLatch(1);
  static final CountDownLatch RELEASE = new CountDownLatch(1);
  static final CountDownLatch RECOVERED = new CountDownLatch(1);
  static volatile String firstRunId;
  static volatile String recoveredId;

  /** The first run hangs while its node dies; the recovered run completes. */
  public static final class ExportJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      if (!context.isRecovering()) {
        firstRunId = MDC.get("correlation_id");
        STARTED.countDown();
        try {
          RELEASE.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      recoveredId = MDC.get("correlation_id");
      QuartzCorrelationTest.log.info("export recovered");
      RECOVERED.countDown();
    }
  }

  private Scheduler node(String name, String instanceId) throws Exception {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceId", instanceId);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "500");
    Scheduler scheduler = QuartzJdbcIT.jdbcScheduler(dir, name, p);
    QuartzCorrelation.create().install(scheduler);
    return scheduler;
  }

  @Test
  void another_node_recovering_an_untagged_fire_keeps_its_id() throws Exception {
    QuartzJdbcIT.createTables(dir);
    String name = "cluster-" + UUID.randomUUID();
    Scheduler a = node(name, "node-a");
    a.start();
    try {
      a.scheduleJob(
          newJob(ExportJob.class).withIdentity("export").requestRecovery().build(),
          newTrigger().withIdentity("nightly").startNow().build());
      assertThat(STARTED.await(30, TimeUnit.SECONDS)).isTrue();
      a.shutdown(false); // node a "dies" with the run in progress; its check-ins stop

      Scheduler b = node(name, "node-b");
      b.start();
      try {
        assertThat(RECOVERED.await(45, TimeUnit.SECONDS)).as("node b recovers the fire").isTrue();
      } finally {
        b.shutdown(true);
      }
    } finally {
      RELEASE.countDown();
    }

    assertThat(firstRunId).matches(Correlation::isValidId);
    assertThat(recoveredId).isEqualTo(firstRunId);
    CapturedLine recovered = logs.withMessage("export recovered").get(0);
    assertThat(recovered.correlationId()).isEqualTo(firstRunId);
    assertThat(recovered.parentCorrelationId()).isNull();
    // The dead node's run ends in Quartz's "JobStore is shutdown": Baton's line has the run's ID.
    long deadline = System.currentTimeMillis() + 10_000;
    while (logs.withMessage("Quartz's run of job DEFAULT.export failed").isEmpty()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(logs.withMessage("Quartz's run of job DEFAULT.export failed"))
        .singleElement().satisfies(line -> assertThat(line.correlationId()).isEqualTo(firstRunId));
  }
}
