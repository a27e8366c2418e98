package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

/** A JDBC JobStoreTX on an H2 file database: a tag survives a scheduler restart. */
class QuartzJdbcIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path dir;

  private String url() {
    return url(dir);
  }

  static String url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("quartz").toAbsolutePath();
  }

  private void createTables() throws Exception {
    createTables(dir);
  }

  static void createTables(Path dir) throws Exception {
    String ddl;
    try (InputStream in = Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_h2.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = DriverManager.getConnection(url(dir), "sa", "");
        Statement statement = connection.createStatement()) {
      for (String sql : ddl.split(";")) {
        String trimmed = sql.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
        if (!trimmed.isEmpty()) {
          statement.execute(trimmed);
        }
      }
    }
  }

  private Scheduler jdbcScheduler(String name) throws Exception {
    return jdbcScheduler(dir, name, new Properties());
  }

  /** A JobStoreTX scheduler on the H2 database in {@code dir}; {@code p}: more properties. */
  static Scheduler jdbcScheduler(Path dir, String name, Properties p) throws Exception {
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.putIfAbsent("org.quartz.scheduler.instanceId", "node-1");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.putIfAbsent("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.dataSource", "quartz");
    p.setProperty("org.quartz.dataSource.quartz.provider", "hikaricp");
    p.setProperty("org.quartz.dataSource.quartz.driver", "org.h2.Driver");
    p.setProperty("org.quartz.dataSource.quartz.URL", url(dir));
    p.setProperty("org.quartz.dataSource.quartz.user", "sa");
    p.setProperty("org.quartz.dataSource.quartz.password", "");
    p.setProperty("org.quartz.dataSource.quartz.maxConnections", "5");
    return new StdSchedulerFactory(p).getScheduler();
  }

  @Test
  void a_tag_written_before_a_shutdown_is_used_by_the_run_after_restart() throws Exception {
    createTables();
    String name = "jdbc-" + UUID.randomUUID();
    String latch = UUID.randomUUID().toString();
    QuartzCorrelationTest.RUNS.put(latch, new CountDownLatch(1));
    Correlation request = Correlation.of("order-0000000000000042", "session-00000000000042");

    Scheduler first = jdbcScheduler(name);
    QuartzCorrelation.create().install(first);
    try (CorrelationScope scope = Baton.open(request)) {
      first.scheduleJob(
          QuartzCorrelation.create().tag(newJob(QuartzCorrelationTest.LoggingJob.class)
              .withIdentity("reconcile").usingJobData("latch", latch)).build(),
          newTrigger().startAt(new Date(System.currentTimeMillis() + 1_500)).build());
    }
    first.shutdown(true); // never started: the job is only in the database

    Scheduler second = jdbcScheduler(name);
    QuartzCorrelation.create().install(second);
    second.start();
    try {
      assertThat(QuartzCorrelationTest.RUNS.get(latch).await(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      second.shutdown(true);
    }

    CapturedLine run = logs.withMessage("running reconcile").get(0);
    assertThat(run.correlationId()).isEqualTo(request.id());
    assertThat(run.parentCorrelationId()).isEqualTo("session-00000000000042");
    assertThat(Files.exists(dir.resolve("quartz.mv.db"))).isTrue();
  }

  static final CountDownLatch FIRST_RUN_STARTED = new CountDownLatch(1);
  static final CountDownLatch RELEASE_FIRST_RUN = new CountDownLatch(1);
  static final CountDownLatch RECOVERED = new CountDownLatch(1);

  /** The first run hangs (the "crash" happens under it); the recovered run completes. */
  public static final class HangingJob implements org.quartz.Job {
    @Override
    public void execute(org.quartz.JobExecutionContext context) {
      if (!context.isRecovering()) {
        QuartzCorrelationTest.log.info("settlement run started");
        FIRST_RUN_STARTED.countDown();
        try {
          RELEASE_FIRST_RUN.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      QuartzCorrelationTest.log.info("settlement run recovered");
      RECOVERED.countDown();
    }
  }

  @Test
  void a_recovered_run_after_a_crash_keeps_the_id_of_the_fire_it_recovers() throws Exception {
    createTables();
    String name = "recovery-" + UUID.randomUUID();
    Correlation request = Correlation.newRoot();
    Scheduler first = jdbcScheduler(name);
    QuartzCorrelation.create().install(first);
    first.start();
    try {
      try (CorrelationScope scope = Baton.open(request)) {
        first.scheduleJob(
            QuartzCorrelation.create().tag(newJob(HangingJob.class).withIdentity("settlement").requestRecovery()).build(),
            newTrigger().withIdentity("hourly").startNow()
                .withSchedule(org.quartz.SimpleScheduleBuilder.repeatHourlyForever()).build());
      }
      assertThat(FIRST_RUN_STARTED.await(30, TimeUnit.SECONDS)).isTrue();
      first.shutdown(false); // the node "dies" with the run in progress

      Scheduler second = jdbcScheduler(name);
      QuartzCorrelation.create().install(second);
      second.start();
      try {
        assertThat(RECOVERED.await(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        second.shutdown(true);
      }
    } finally {
      RELEASE_FIRST_RUN.countDown();
    }

    CapturedLine original = logs.withMessage("settlement run started").get(0);
    CapturedLine recovered = logs.withMessage("settlement run recovered").get(0);
    assertThat(original.parentCorrelationId()).isEqualTo(request.id());
    assertThat(recovered.correlationId()).isEqualTo(original.correlationId());
    assertThat(recovered.parentCorrelationId()).isEqualTo(request.id());
  }
}
