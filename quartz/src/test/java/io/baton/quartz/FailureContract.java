package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * A job that throws and a job with an invalid tag, on one kind of job store: every line about the
 * run, Baton's and Quartz's own and the listeners', carries the ID the job ran with.
 */
abstract class FailureContract {

  static final Logger log = LoggerFactory.getLogger("scheduled-jobs");

  /** Per job name: the correlation_id its execute saw, and what it threw. */
  static final Map<String, String> RAN_UNDER = new ConcurrentHashMap<>();
  static final Map<String, Throwable> THROWN = new ConcurrentHashMap<>();
  static final Map<String, CountDownLatch> COMPLETE = new ConcurrentHashMap<>();

  @RegisterExtension final LogCapture logs = new LogCapture();

  private Scheduler scheduler;

  /** A new, not yet started scheduler whose pool is {@link MdcRecordingThreadPool}. */
  abstract Scheduler newScheduler() throws Exception;

  /** Invalid tags the store takes (a JDBC store with useProperties=true takes only strings). */
  Map<String, Object> invalidTags() {
    return Map.of("text", "bad id\r\nforged", "number", 42, "bytes", "a-valid-looking-id-01".getBytes());
  }

  /** Throws what its data's {@code kind} says: a JobExecutionException or a RuntimeException. */
  public static final class ThrowingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      String name = context.getJobDetail().getKey().getName();
      RAN_UNDER.put(name, String.valueOf(MDC.get("correlation_id")));
      if ("checked".equals(context.getMergedJobDataMap().getString("kind"))) {
        JobExecutionException failure = new JobExecutionException("settlement rejected");
        THROWN.put(name, failure);
        throw failure;
      }
      IllegalStateException failure = new IllegalStateException("reconcile failed");
      THROWN.put(name, failure);
      throw failure;
    }
  }

  /** Records the correlation it ran under. */
  public static final class RecordingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      String name = context.getJobDetail().getKey().getName();
      RAN_UNDER.put(name, String.valueOf(MDC.get("correlation_id")));
      log.info("ran {}", name);
    }
  }

  private Scheduler started(QuartzCorrelation quartz) throws Exception {
    MdcRecordingThreadPool.AFTER_RUNS.clear();
    scheduler = newScheduler();
    quartz.install(scheduler);
    scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
      @Override
      public String getName() {
        return "logs-the-outcome";
      }

      @Override
      public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
        String name = context.getJobDetail().getKey().getName();
        if (e != null) {
          THROWN.put(name + "/seen-by-listener", e);
        }
        log.info("listener: {} finished", name);
      }
    });
    scheduler.getListenerManager().addTriggerListener(new TriggerListenerSupport() {
      @Override
      public String getName() {
        return "logs-completion";
      }

      @Override
      public void triggerComplete(
          Trigger trigger, JobExecutionContext context, CompletedExecutionInstruction instruction) {
        String name = context.getJobDetail().getKey().getName();
        log.info("trigger listener: {} complete", name);
        COMPLETE.computeIfAbsent(name, k -> new CountDownLatch(1)).countDown();
      }
    });
    scheduler.start();
    return scheduler;
  }

  @AfterEach
  void shutdown() throws Exception {
    if (scheduler != null && !scheduler.isShutdown()) {
      scheduler.shutdown(true);
    }
  }

  /** Schedules a one-shot job and waits until its trigger completed. */
  private String run(Class<? extends Job> type, String kind, Correlation tag) throws Exception {
    String name = type.getSimpleName() + "-" + kind + "-" + UUID.randomUUID();
    COMPLETE.put(name, new CountDownLatch(1));
    org.quartz.JobBuilder job = newJob(type).withIdentity(name, "billing").usingJobData("kind", kind);
    if (tag != null) {
      try (CorrelationScope scope = Baton.open(tag)) {
        job = QuartzCorrelation.create().tag(job);
      }
    }
    scheduler.scheduleJob(job.build(), newTrigger().withIdentity("now-" + name, "billing").startNow().build());
    assertThat(COMPLETE.get(name).await(30, TimeUnit.SECONDS)).as("run of " + name).isTrue();
    return name;
  }

  private void assertFailureLinesCarryTheRun(String name, String quartzLine, Correlation tag) throws Exception {
    String id = RAN_UNDER.get(name);
    Throwable thrown = THROWN.get(name);
    List<CapturedLine> baton = logs.lines(l -> l.logger().equals("io.baton.quartz") && l.throwable() != null);
    assertThat(baton).as("Baton's failure line, once").hasSize(1);
    CapturedLine failure = baton.get(0);
    assertThat(failure.level()).isEqualTo("ERROR");
    assertThat(failure.throwable()).isSameAs(thrown);
    assertThat(failure.message()).isEqualTo("Job billing." + name + " failed");
    assertThat(failure.correlationId()).isEqualTo(id).isEqualTo(tag.id());
    assertThat(failure.parentCorrelationId()).isEqualTo(tag.parentId().orElse(null));
    assertThat(failure.mdc())
        .containsEntry("quartz_job", "billing." + name)
        .containsEntry("quartz_trigger", "billing.now-" + name)
        .containsKey("quartz_fire_id");

    CapturedLine quartz = logs.withMessage(quartzLine).get(0);
    assertThat(quartz.logger()).isEqualTo("org.quartz.core.JobRunShell");
    assertThat(quartz.correlationId()).as("Quartz's own line").isEqualTo(id);
    assertThat(quartz.parentCorrelationId()).isEqualTo(tag.parentId().orElse(null));
    assertThat(quartz.mdc()).containsEntry("quartz_job", "billing." + name)
        .containsEntry("quartz_fire_id", failure.mdc().get("quartz_fire_id"));
    assertThat(logs.withMessage("listener: " + name + " finished").get(0).correlationId()).isEqualTo(id);
    assertThat(logs.withMessage("trigger listener: " + name + " complete").get(0).correlationId()).isEqualTo(id);
  }

  private void assertWorkerThreadsCleanAfterwards(String failed) throws Exception {
    String next = run(RecordingJob.class, "next", null);
    assertThat(RAN_UNDER.get(next)).matches(Correlation::isValidId).isNotEqualTo(RAN_UNDER.get(failed));
    scheduler.shutdown(true);
    assertThat(MdcRecordingThreadPool.AFTER_RUNS).hasSize(2).allSatisfy(mdc ->
        assertThat(mdc).doesNotContainKeys(
            "correlation_id", "parent_correlation_id", "quartz_job", "quartz_trigger", "quartz_fire_id"));
  }

  @Test
  void a_runtime_exception_is_logged_once_under_the_fire_and_quartz_own_line_carries_it_too()
      throws Exception {
    started(QuartzCorrelation.create());
    Correlation tag = Correlation.of("order-0000000000000016", "session-00000000000016");
    String name = run(ThrowingJob.class, "unchecked", tag);

    assertFailureLinesCarryTheRun(name, "threw an unhandled Exception", tag);
    assertThat(logs.lines(l -> l.logger().equals("org.quartz.core.ErrorLogger")))
        .as("Quartz's scheduler-listener error line").isNotEmpty()
        .allSatisfy(l -> assertThat(l.correlationId()).isEqualTo(tag.id()));
    Throwable seen = THROWN.get(name + "/seen-by-listener");
    assertThat(seen.getCause().getCause()).as("what Quartz wrapped is the job's own exception")
        .isSameAs(THROWN.get(name));
    assertWorkerThreadsCleanAfterwards(name);
  }

  @Test
  void a_job_execution_exception_is_logged_once_under_the_fire_and_reaches_quartz_unchanged()
      throws Exception {
    started(QuartzCorrelation.create());
    Correlation tag = Correlation.of("order-0000000000000017", null);
    String name = run(ThrowingJob.class, "checked", tag);

    assertFailureLinesCarryTheRun(name, "threw a JobExecutionException", tag);
    assertThat(THROWN.get(name + "/seen-by-listener")).isSameAs(THROWN.get(name));
    assertWorkerThreadsCleanAfterwards(name);
  }

  @Test
  void failure_log_off_silences_baton_and_at_warn_changes_the_level() throws Exception {
    started(QuartzCorrelation.newBuilder().failureLog(FailureLog.off()).build());
    Correlation tag = Correlation.newRoot();
    String silent = run(ThrowingJob.class, "unchecked", tag);
    assertThat(logs.fromLogger("io.baton.quartz")).isEmpty();
    assertThat(logs.withMessage("threw an unhandled Exception").get(0).correlationId())
        .as("Quartz's own line still carries the run's ID").isEqualTo(RAN_UNDER.get(silent));
    scheduler.shutdown(true);

    started(QuartzCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build());
    String warned = run(ThrowingJob.class, "checked", tag);
    List<CapturedLine> lines = logs.fromLogger("io.baton.quartz");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).level()).isEqualTo("WARN");
    assertThat(lines.get(0).correlationId()).isEqualTo(RAN_UNDER.get(warned));
  }

  @Test
  void an_invalid_tag_is_warned_about_under_the_id_the_job_runs_with() throws Exception {
    started(QuartzCorrelation.create());
    Map<String, Object> tags = invalidTags();
    for (Map.Entry<String, Object> tag : tags.entrySet()) {
      String name = "invalid-" + tag.getKey() + "-" + UUID.randomUUID();
      COMPLETE.put(name, new CountDownLatch(1));
      Object value = tag.getValue();
      scheduler.scheduleJob(
          newJob(RecordingJob.class).withIdentity(name, "billing").usingJobData(new org.quartz.JobDataMap(Map.of("correlation_id", value))).build(),
          newTrigger().withIdentity("now-" + name, "billing").startNow().build());
      assertThat(COMPLETE.get(name).await(30, TimeUnit.SECONDS)).isTrue();

      List<CapturedLine> warnings = logs.lines(l -> l.logger().equals("io.baton")
          && "billing.".concat(name).equals(l.mdc().get("quartz_job")));
      assertThat(warnings).as(tag.getKey()).hasSize(1);
      CapturedLine warning = warnings.get(0);
      assertThat(warning.message()).startsWith("Replaced invalid correlation_id").doesNotContain("\r", "\n");
      assertThat(warning.correlationId()).as(tag.getKey())
          .matches(Correlation::isValidId).isEqualTo(RAN_UNDER.get(name));
      assertThat(warning.mdc()).containsEntry("quartz_trigger", "billing.now-" + name).containsKey("quartz_fire_id");
      assertThat(logs.withMessage("ran " + name).get(0).correlationId()).isEqualTo(warning.correlationId());
    }
  }
}
