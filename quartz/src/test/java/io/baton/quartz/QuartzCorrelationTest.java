package io.baton.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationScope;
import io.baton.testing.CapturedLine;
import io.baton.testing.LogCapture;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.listeners.TriggerListenerSupport;
import org.quartz.simpl.SimpleJobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A real Quartz scheduler (RAMJobStore): what each run's log lines carry. */
class QuartzCorrelationTest {

  static final Logger log = LoggerFactory.getLogger("scheduled-jobs");

  /** Runs counted down per test. */
  static final Map<String, CountDownLatch> RUNS = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final QuartzCorrelation quartz = QuartzCorrelation.create();
  private Scheduler scheduler;

  /** Logs one line and counts down the latch named by its data. */
  public static final class LoggingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      String name = context.getMergedJobDataMap().getString("latch");
      log.info("running {} fire {}", context.getJobDetail().getKey().getName(), context.getFireInstanceId());
      RUNS.get(name).countDown();
    }
  }

  /** Asks for an immediate refire the first time, then succeeds. */
  public static final class RefiringJob implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      String name = context.getMergedJobDataMap().getString("latch");
      int call = CALLS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      log.info("attempt {} fire {}", call, context.getFireInstanceId());
      if (call == 1) {
        JobExecutionException retry = new JobExecutionException("try again");
        retry.setRefireImmediately(true);
        throw retry;
      }
      RUNS.get(name).countDown();
    }
  }

  /** Always throws. */
  public static final class FailingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      log.info("failing");
      RUNS.get(context.getMergedJobDataMap().getString("latch")).countDown();
      throw new IllegalStateException("reconcile failed");
    }
  }

  /** Logs several lines over a while, to overlap with other runs. */
  public static final class SlowJob implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      String job = context.getJobDetail().getKey().getName();
      for (int i = 0; i < 5; i++) {
        log.info("{} step {}", job, i);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JobExecutionException(e);
        }
      }
      RUNS.get(context.getMergedJobDataMap().getString("latch")).countDown();
    }
  }

  /**
   * A scheduler whose triggers misfire once they are 5 s late: the misfire test starts a trigger
   * 10 s in the past, and no other trigger waits that long for a thread, even on a busy machine. A
   * misfire reads the job's tag once more (and warns again about an invalid one), which tests
   * that count warnings must not see.
   */
  static Scheduler newScheduler(int threads) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("org.quartz.scheduler.instanceName", "test-" + UUID.randomUUID());
    properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
    properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    properties.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
    properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return new StdSchedulerFactory(properties).getScheduler();
  }

  private Scheduler started(int threads) throws Exception {
    scheduler = newScheduler(threads);
    quartz.install(scheduler);
    scheduler.start();
    return scheduler;
  }

  @AfterEach
  void shutdown() throws Exception {
    if (scheduler != null) {
      scheduler.shutdown(true);
    }
  }

  private static String latch(int runs) {
    String name = UUID.randomUUID().toString();
    RUNS.put(name, new CountDownLatch(runs));
    return name;
  }

  private static void await(String latch) throws InterruptedException {
    assertThat(RUNS.get(latch).await(20, TimeUnit.SECONDS)).as("job runs").isTrue();
  }

  private static Trigger once() {
    return newTrigger().startNow().build();
  }

  @Test
  void one_shot_job_runs_under_the_correlation_that_scheduled_it() throws Exception {
    started(3);
    Correlation request = Correlation.of("order-0000000000000007", "session-00000000000001");
    String latch = latch(1);
    try (CorrelationScope scope = Baton.open(request)) {
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("receipt", "mail").usingJobData("latch", latch)).build(),
          newTrigger().withIdentity("in-a-moment", "mail").startNow().build());
    }
    await(latch);

    CapturedLine line = logs.withMessage("running receipt").get(0);
    assertThat(line.correlationId()).isEqualTo(request.id());
    assertThat(line.parentCorrelationId()).isEqualTo("session-00000000000001");
    assertThat(line.mdc())
        .containsEntry("quartz_job", "mail.receipt")
        .containsEntry("quartz_trigger", "mail.in-a-moment")
        .containsKey("quartz_fire_id");
    assertThat(line.message()).endsWith(line.mdc().get("quartz_fire_id"));
  }

  @Test
  void cron_fires_get_distinct_ids_whose_parent_is_the_tag() throws Exception {
    started(3);
    Correlation request = Correlation.newRoot();
    String latch = latch(2);
    try (CorrelationScope scope = Baton.open(request)) {
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("sweep").usingJobData("latch", latch)).build(),
          newTrigger().withSchedule(CronScheduleBuilder.cronSchedule("* * * * * ?")).build());
    }
    await(latch);
    scheduler.pauseAll();

    List<CapturedLine> fires = logs.withMessage("running sweep");
    assertThat(fires.size()).isGreaterThanOrEqualTo(2);
    assertThat(fires).extracting(CapturedLine::parentCorrelationId).containsOnly(request.id());
    assertThat(fires.stream().map(CapturedLine::correlationId).distinct()).hasSize(fires.size());
    assertThat(fires).extracting(CapturedLine::correlationId).allMatch(Correlation::isValidId)
        .doesNotContain(request.id());
  }

  @Test
  void untagged_job_gets_a_fresh_root_per_fire() throws Exception {
    started(3);
    String latch = latch(2);
    scheduler.scheduleJob(
        newJob(LoggingJob.class).withIdentity("untagged").usingJobData("latch", latch).build(),
        newTrigger().startNow()
            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(50).withRepeatCount(1))
            .build());
    await(latch);

    List<CapturedLine> fires = logs.withMessage("running untagged");
    assertThat(fires).hasSize(2);
    assertThat(fires).extracting(CapturedLine::parentCorrelationId).containsOnlyNulls();
    assertThat(fires.get(0).correlationId()).matches(Correlation::isValidId)
        .isNotEqualTo(fires.get(1).correlationId());
  }

  @Test
  void an_invalid_tag_on_a_repeating_trigger_runs_its_fires_like_an_untagged_job() throws Exception {
    started(3);
    String latch = latch(2);
    scheduler.scheduleJob(
        newJob(LoggingJob.class).withIdentity("badly-tagged")
            .usingJobData("correlation_id", "bad id").usingJobData("latch", latch).build(),
        newTrigger().startNow()
            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(50).withRepeatCount(1))
            .build());
    await(latch);

    List<CapturedLine> fires = logs.withMessage("running badly-tagged");
    assertThat(fires).hasSize(2);
    assertThat(fires).extracting(CapturedLine::parentCorrelationId).as("parents").containsOnlyNulls();
    assertThat(fires).extracting(CapturedLine::correlationId).allMatch(Correlation::isValidId)
        .doesNotHaveDuplicates();
    assertThat(logs.fromLogger("io.baton")).hasSize(2).allSatisfy(warning ->
        assertThat(warning.message()).startsWith("Replaced invalid correlation_id").doesNotContain("bad id"));
  }

  @Test
  void tagging_a_builder_again_replaces_the_earlier_tag_and_its_parent() {
    JobDetail first;
    try (CorrelationScope scope = Baton.open(Correlation.of("original-request-000001", "original-parent-00000001"))) {
      first = quartz.tag(newJob(LoggingJob.class).withIdentity("retagged").usingJobData("latch", "kept")).build();
    }
    Correlation root = Correlation.of("a-later-root-0000000001", null);
    JobDetail again;
    try (CorrelationScope scope = Baton.open(root)) {
      again = quartz.tag(first.getJobBuilder()).build();
    }

    assertThat(again.getJobDataMap().getString("correlation_id")).isEqualTo(root.id());
    assertThat(again.getJobDataMap()).doesNotContainKey("parent_correlation_id")
        .containsEntry("latch", "kept");
    assertThat(again.getKey()).isEqualTo(first.getKey());
    assertThat(first.getJobDataMap().getString("parent_correlation_id"))
        .as("the first job's data is its own").isEqualTo("original-parent-00000001");
  }

  @Test
  void fire_policy_can_be_chosen_per_job_and_scheduler_wide() throws Exception {
    started(3);
    Correlation request = Correlation.newRoot();
    String childLatch = latch(1);
    try (CorrelationScope scope = Baton.open(request)) {
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("as-child").usingJobData("latch", childLatch), FirePolicy.CHILD).build(),
          once());
    }
    await(childLatch);
    CapturedLine child = logs.withMessage("running as-child").get(0);
    assertThat(child.correlationId()).isNotEqualTo(request.id());
    assertThat(child.parentCorrelationId()).isEqualTo(request.id());

    Scheduler continuing = newScheduler(2);
    QuartzCorrelation.newBuilder().firePolicy(FirePolicy.CONTINUE).build().install(continuing);
    continuing.start();
    try {
      String latch = latch(2);
      try (CorrelationScope scope = Baton.open(request)) {
        continuing.scheduleJob(
            quartz.tag(newJob(LoggingJob.class).withIdentity("continuing").usingJobData("latch", latch)).build(),
            newTrigger().startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(50).withRepeatCount(1))
                .build());
      }
      await(latch);
    } finally {
      continuing.shutdown(true);
    }
    assertThat(logs.withMessage("running continuing")).extracting(CapturedLine::correlationId)
        .containsExactly(request.id(), request.id());
  }

  @Test
  void a_refire_of_the_same_fire_keeps_its_id() throws Exception {
    started(1);
    String latch = latch(1);
    scheduler.scheduleJob(newJob(RefiringJob.class).usingJobData("latch", latch).build(), once());
    await(latch);

    List<CapturedLine> attempts = logs.withMessage("attempt ");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).correlationId()).matches(Correlation::isValidId)
        .isEqualTo(attempts.get(1).correlationId());
    assertThat(attempts.get(0).mdc().get("quartz_fire_id")).isEqualTo(attempts.get(1).mdc().get("quartz_fire_id"));
  }

  @Test
  void a_listener_gets_the_jobs_own_instance_through_job_instance() throws Exception {
    started(1);
    Map<String, Object> seen = new ConcurrentHashMap<>();
    scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
      @Override
      public String getName() {
        return "job-instance";
      }

      @Override
      public void jobToBeExecuted(JobExecutionContext context) {
        seen.put("wrapped", context.getJobInstance());
        seen.put("own", QuartzCorrelation.jobInstance(context));
      }
    });
    String latch = latch(1);
    scheduler.scheduleJob(newJob(LoggingJob.class).withIdentity("instance").usingJobData("latch", latch).build(), once());
    await(latch);

    assertThat(seen.get("wrapped")).isNotInstanceOf(LoggingJob.class);
    assertThat(seen.get("own")).isInstanceOf(LoggingJob.class);
  }

  @Test
  void listeners_see_each_runs_own_id_and_a_run_after_a_failure_gets_its_own() throws Exception {
    started(1);
    Map<String, String> seenBefore = new ConcurrentHashMap<>();
    JobListener before = new JobListenerSupport() {
      @Override
      public String getName() {
        return "mdc-before-run";
      }

      @Override
      public void jobToBeExecuted(JobExecutionContext context) {
        seenBefore.put(context.getJobDetail().getKey().getName(), String.valueOf(MDC.get("correlation_id")));
      }
    };
    scheduler.getListenerManager().addJobListener(before);
    String failing = latch(1);
    try (CorrelationScope scope = Baton.openNew()) {
      scheduler.scheduleJob(quartz.tag(newJob(FailingJob.class).withIdentity("failing").usingJobData("latch", failing)).build(), once());
    }
    await(failing);
    String next = latch(1);
    scheduler.scheduleJob(newJob(LoggingJob.class).withIdentity("next").usingJobData("latch", next).build(), once());
    await(next);

    String failed = logs.withMessage("failing").get(0).correlationId();
    String ranNext = logs.withMessage("running next").get(0).correlationId();
    assertThat(ranNext).isNotEqualTo(failed);
    assertThat(seenBefore).containsEntry("failing", failed).containsEntry("next", ranNext);
  }

  @Test
  void ten_jobs_on_three_threads_each_log_only_their_own_id() throws Exception {
    started(3);
    String latch = latch(10);
    Map<String, String> idByJob = new ConcurrentHashMap<>();
    for (int i = 0; i < 10; i++) {
      try (CorrelationScope scope = Baton.openNew()) {
        idByJob.put("job" + i, Baton.current().orElseThrow().id());
        scheduler.scheduleJob(
            quartz.tag(newJob(SlowJob.class).withIdentity("job" + i).usingJobData("latch", latch)).build(), once());
      }
    }
    await(latch);

    List<CapturedLine> lines = logs.withMessage(" step ");
    assertThat(lines).hasSize(50);
    for (CapturedLine line : lines) {
      String job = line.message().substring(0, line.message().indexOf(' '));
      assertThat(line.correlationId()).as(line.toString()).isEqualTo(idByJob.get(job));
    }
    assertThat(lines.stream().map(CapturedLine::thread).distinct()).hasSize(3);
  }

  @Test
  void invalid_non_string_and_oversized_tags_run_with_a_fresh_id_and_a_sanitized_warning()
      throws Exception {
    started(3);
    Map<String, Object> tags = Map.of(
        "crlf", "order-1\r\n2026-11-21 INFO forged",
        "number", 42,
        "oversized", "y".repeat(1 << 20));
    String latch = latch(tags.size());
    for (Map.Entry<String, Object> tag : tags.entrySet()) {
      JobDataMap data = new JobDataMap();
      data.put("correlation_id", tag.getValue());
      data.put("latch", latch);
      scheduler.scheduleJob(newJob(LoggingJob.class).withIdentity(tag.getKey()).usingJobData(data).build(), once());
    }
    await(latch);

    for (String name : tags.keySet()) {
      assertThat(logs.withMessage("running " + name + " ").get(0).correlationId()).as(name)
          .matches(Correlation::isValidId);
    }
    List<CapturedLine> warnings = logs.fromLogger("io.baton");
    assertThat(warnings).hasSize(tags.size());
    assertThat(warnings).allSatisfy(w -> {
      assertThat(w.message()).doesNotContain("\r", "\n", " INFO forged");
      assertThat(w.message().length()).isLessThan(500);
    });
  }

  @Test
  void misfires_and_vetoed_runs_are_logged_with_the_jobs_id() throws Exception {
    started(1);
    scheduler.getListenerManager().addTriggerListener(new TriggerListenerSupport() {
      @Override
      public String getName() {
        return "veto-everything-named-vetoed";
      }

      @Override
      public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        return trigger.getJobKey().getName().equals("vetoed");
      }
    });
    Correlation request = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(request)) {
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("late").usingJobData("latch", latch(1))).build(),
          newTrigger().startAt(new Date(System.currentTimeMillis() - 10_000))
              .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionNextWithRemainingCount())
              .build());
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("vetoed").usingJobData("latch", latch(1))).build(), once());
    }

    long deadline = System.currentTimeMillis() + 20_000;
    while ((logs.withMessage("misfired").isEmpty() || logs.withMessage("vetoed").isEmpty())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }

    assertThat(logs.withMessage("misfired").get(0).correlationId()).isEqualTo(request.id());
    assertThat(logs.withMessage("Run of job DEFAULT.vetoed was vetoed").get(0).correlationId()).isEqualTo(request.id());
    assertThat(logs.withMessage("running late")).isEmpty();
  }

  @Test
  void misfire_and_veto_warnings_show_hostile_job_and_trigger_keys_only_sanitized() throws Exception {
    started(1);
    String hostile = "\r\n2026-12-01 ERROR forged \u001b[31m";
    scheduler.getListenerManager().addTriggerListener(new TriggerListenerSupport() {
      @Override
      public String getName() {
        return "veto-everything-named-vetoed";
      }

      @Override
      public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        return trigger.getJobKey().getName().startsWith("vetoed");
      }
    });
    Correlation request = Correlation.newRoot();
    try (CorrelationScope scope = Baton.open(request)) {
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("late" + hostile).usingJobData("latch", latch(1))).build(),
          newTrigger().withIdentity("t-late" + hostile).startAt(new Date(System.currentTimeMillis() - 10_000))
              .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionNextWithRemainingCount())
              .build());
      scheduler.scheduleJob(
          quartz.tag(newJob(LoggingJob.class).withIdentity("vetoed" + hostile).usingJobData("latch", latch(1))).build(),
          newTrigger().withIdentity("t-vetoed" + hostile).startNow().build());
    }

    long deadline = System.currentTimeMillis() + 20_000;
    while ((logs.withMessage("misfired").isEmpty() || logs.withMessage("was vetoed").isEmpty())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }

    List<CapturedLine> warnings = logs.lines(l -> l.logger().equals("io.baton.quartz"));
    assertThat(warnings).extracting(CapturedLine::message)
        .anyMatch(m -> m.contains("misfired")).anyMatch(m -> m.contains("was vetoed"));
    assertThat(warnings).allSatisfy(w -> {
      assertThat(w.message().chars()).as(w.message()).allMatch(c -> c >= 0x20 && c != 0x7f);
      assertThat(w.correlationId()).isEqualTo(request.id());
      assertThat(w.mdc().get("quartz_job")).startsWith("DEFAULT.").doesNotContain("\r", "\n", "\u001b");
      assertThat(w.mdc().get("quartz_trigger")).startsWith("DEFAULT.t-").doesNotContain("\r", "\n", "\u001b");
    });
  }

  @Test
  void install_keeps_the_job_factory_the_user_set() throws Exception {
    scheduler = newScheduler(1);
    AtomicInteger made = new AtomicInteger();
    SimpleJobFactory counting = new SimpleJobFactory() {
      @Override
      public Job newJob(org.quartz.spi.TriggerFiredBundle bundle, Scheduler s) throws org.quartz.SchedulerException {
        made.incrementAndGet();
        return super.newJob(bundle, s);
      }
    };
    scheduler.setJobFactory(counting);
    quartz.install(scheduler);
    scheduler.start();
    String latch = latch(1);
    try (CorrelationScope scope = Baton.openNew()) {
      scheduler.scheduleJob(quartz.tag(newJob(LoggingJob.class).withIdentity("made").usingJobData("latch", latch)).build(), once());
    }
    await(latch);

    assertThat(made).hasValue(1);
    assertThat(logs.withMessage("running made").get(0).correlationId()).matches(Correlation::isValidId);
  }

  @Test
  void tag_writes_string_values_and_nothing_without_a_current_correlation() {
    JobDataMap untagged = quartz.tag(new JobDataMap());
    assertThat(untagged).isEmpty();

    Correlation request = Correlation.of("order-0000000000000007", "session-00000000000001");
    JobDataMap tagged;
    try (CorrelationScope scope = Baton.open(request)) {
      tagged = quartz.tag(new JobDataMap());
    }
    assertThat(tagged.getWrappedMap())
        .containsEntry("correlation_id", "order-0000000000000007")
        .containsEntry("parent_correlation_id", "session-00000000000001");
  }
}
