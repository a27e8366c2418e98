package io.baton.quartz;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.JobFactory;

/**
 * Correlation for Quartz: jobs remember the correlation that scheduled them and run inside one.
 *
 * <pre>{@code
 * QuartzCorrelation quartz = QuartzCorrelation.create();
 * quartz.install(scheduler);                                  // every job runs in a scope
 *
 * try (CorrelationScope request = Baton.open(orderCorrelation)) {
 *   JobDetail receipt = quartz.tag(JobBuilder.newJob(SendReceipt.class)).build();
 *   scheduler.scheduleJob(receipt, TriggerBuilder.newTrigger()
 *       .startAt(inFiveMinutes).build());                      // runs under the order's ID
 * }
 * }</pre>
 *
 * <p>Which correlation a run gets is the {@link FirePolicy}. A refire of the same fire ({@code
 * setRefireImmediately}, or the recovery of a {@code requestRecovery} job after a crash) keeps
 * that fire's ID: per-fire IDs are name-based UUIDs of the tag (or, untagged, of the scheduler
 * name and job key), the trigger and the scheduled fire time, so a recovering node derives the
 * same one.
 */
public final class QuartzCorrelation {

  /** MDC key: the running job's key. */
  public static final String JOB_KEY = "quartz_job";

  /** MDC key: the key of the trigger that fired it. */
  public static final String TRIGGER_KEY = "quartz_trigger";

  /** MDC key: the fire instance ID. */
  public static final String FIRE_ID_KEY = "quartz_fire_id";

  private static final String CONTEXT_KEY = "io.baton.quartz.correlation";
  private static final String ORIGINAL_TRIGGER_NAME = "QRTZ_FAILED_JOB_ORIG_TRIGGER_NAME";
  private static final String ORIGINAL_TRIGGER_GROUP = "QRTZ_FAILED_JOB_ORIG_TRIGGER_GROUP";
  private static final String ORIGINAL_SCHEDULED_TIME =
      "QRTZ_FAILED_JOB_ORIG_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS_AS_STRING";

  private final CorrelationPropagator propagator;
  private final FirePolicy firePolicy;

  private QuartzCorrelation(Builder builder) {
    this.propagator = builder.propagator;
    this.firePolicy = builder.firePolicy;
  }

  /** With the default {@link CorrelationPropagator} and {@link FirePolicy#AUTO}. */
  public static QuartzCorrelation create() {
    return new Builder().build();
  }

  /** A builder, to choose the scheduler-wide fire policy, key names or the ID generator. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * From now on every job {@code scheduler} runs executes inside a correlation scope, opened and
   * closed around {@code Job.execute}. Keeps the job factory the scheduler has (install after
   * setting your own, or use {@link #install(Scheduler, JobFactory)}). Misfires and vetoed runs
   * are logged under the job's correlation.
   */
  public void install(Scheduler scheduler) throws SchedulerException {
    install(scheduler, currentJobFactory(scheduler));
  }

  /** Like {@link #install(Scheduler)}, wrapping {@code jobFactory} as the scheduler's factory. */
  public void install(Scheduler scheduler, JobFactory jobFactory) throws SchedulerException {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(jobFactory, "jobFactory");
    if (jobFactory instanceof CorrelatingJobFactory) {
      return;
    }
    scheduler.setJobFactory(new CorrelatingJobFactory(jobFactory, this));
    RunListener listener = new RunListener(this, scheduler);
    scheduler.getListenerManager().addTriggerListener(listener);
    scheduler.getListenerManager().addJobListener(listener);
  }

  /**
   * Records the correlation current now in the job's data (string values under {@code
   * correlation_id} / {@code parent_correlation_id}); with none current, the job stays untagged.
   */
  public JobBuilder tag(JobBuilder job) {
    Objects.requireNonNull(job, "job");
    if (Baton.current().isEmpty()) {
      return job;
    }
    JobDataMap data;
    try {
      // A copy of the builder's own data, so that the write replaces what an earlier tag left
      // there (a parent the current correlation does not have), not only what it sets.
      data = new JobDataMap(job.build().getJobDataMap());
    } catch (RuntimeException noJobClassYet) {
      return job.usingJobData(tag(new JobDataMap())); // a builder that cannot build has no tag yet
    }
    return job.setJobData(tag(data));
  }

  /** Like {@link #tag(JobBuilder)}, for a job's (or a trigger's) data map; returns it. */
  public JobDataMap tag(JobDataMap data) {
    Objects.requireNonNull(data, "data");
    Optional<Correlation> current = Baton.current();
    current.ifPresent(correlation -> propagator.write(data, JobData.SETTER, correlation));
    return data;
  }

  /**
   * Like {@link #tag(JobBuilder)}, choosing for this job which correlation its runs get,
   * overriding the scheduler-wide {@link Builder#firePolicy}.
   */
  public JobBuilder tag(JobBuilder job, FirePolicy policy) {
    return tag(job).usingJobData(JobData.FIRE_POLICY_KEY, policy.name());
  }

  /** The correlation this instance applies. */
  public CorrelationPropagator propagator() {
    return propagator;
  }

  /**
   * The job instance the scheduler's factory made for this run. Once {@link #install} has run,
   * {@code context.getJobInstance()} is Baton's wrapper around it (the wrapper is what opens the
   * run's scope), so a listener that needs the job's own class asks here.
   *
   * <pre>{@code
   * SendReceipt job = (SendReceipt) QuartzCorrelation.jobInstance(context);
   * }</pre>
   */
  public static Job jobInstance(JobExecutionContext context) {
    Job job = Objects.requireNonNull(context, "context").getJobInstance();
    return job instanceof CorrelatingJob ? ((CorrelatingJob) job).delegate() : job;
  }

  /** The scope of one run: its fire's correlation and the Quartz facts in the MDC. */
  CorrelationScope open(JobExecutionContext context) {
    return propagator.open(
        correlation(context),
        JOB_KEY, String.valueOf(context.getJobDetail().getKey()),
        TRIGGER_KEY, String.valueOf(context.getTrigger().getKey()),
        FIRE_ID_KEY, context.getFireInstanceId());
  }

  /** The correlation of this fire; the same for every refire of it. */
  Correlation correlation(JobExecutionContext context) {
    Object cached = context.get(CONTEXT_KEY);
    if (cached instanceof Correlation) {
      return (Correlation) cached;
    }
    JobDataMap data = context.getMergedJobDataMap();
    Correlation tagged = tagOf(data);
    Correlation correlation;
    if (tagged != null && continues(context, data)) {
      correlation = tagged;
    } else {
      String fireId = fireId(context, data, tagged);
      correlation = tagged == null ? Correlation.of(fireId, null) : Correlation.of(fireId, tagged.id());
    }
    context.put(CONTEXT_KEY, correlation);
    return correlation;
  }

  /**
   * The tagged correlation, or null for an untagged job. An invalid tag is warned about (sanitized)
   * and then counts as none: the fresh ID it would give differs on every read, and neither a fire's
   * ID nor its parent may.
   */
  Correlation tagOf(JobDataMap data) {
    Object tag = data.get(propagator.idHeader());
    if (tag == null) {
      return null;
    }
    Correlation extracted = propagator.extract(data, JobData.GETTER);
    return tag instanceof String && extracted.id().equals(tag) ? extracted : null;
  }

  private boolean continues(JobExecutionContext context, JobDataMap data) {
    FirePolicy policy = firePolicy;
    Object perJob = data.get(JobData.FIRE_POLICY_KEY);
    if (perJob instanceof String) {
      try {
        policy = FirePolicy.valueOf((String) perJob);
      } catch (IllegalArgumentException e) {
        // unknown name: keep the scheduler-wide policy
      }
    }
    switch (policy) {
      case CONTINUE:
        return true;
      case CHILD:
        return false;
      default:
        return isOneShot(context, data);
    }
  }

  private static boolean isOneShot(JobExecutionContext context, JobDataMap data) {
    Trigger trigger = context.getTrigger();
    if (context.isRecovering() && data.containsKey(ORIGINAL_TRIGGER_NAME)) {
      // A recovery trigger always fires once; the original one decides.
      try {
        trigger = context.getScheduler().getTrigger(
            TriggerKey.triggerKey(data.getString(ORIGINAL_TRIGGER_NAME), data.getString(ORIGINAL_TRIGGER_GROUP)));
      } catch (SchedulerException | RuntimeException e) {
        trigger = null;
      }
      if (trigger == null) {
        return true; // gone: it was not going to fire again
      }
    }
    return trigger instanceof SimpleTrigger && ((SimpleTrigger) trigger).getRepeatCount() == 0;
  }

  private static String fireId(JobExecutionContext context, JobDataMap data, Correlation tagged) {
    String trigger = String.valueOf(context.getTrigger().getKey());
    String scheduled = String.valueOf(
        context.getScheduledFireTime() == null ? 0 : context.getScheduledFireTime().getTime());
    if (context.isRecovering() && data.containsKey(ORIGINAL_TRIGGER_NAME)) {
      trigger = data.getString(ORIGINAL_TRIGGER_GROUP) + "." + data.getString(ORIGINAL_TRIGGER_NAME);
      scheduled = data.getString(ORIGINAL_SCHEDULED_TIME);
    }
    String origin;
    if (tagged != null) {
      origin = tagged.id();
    } else {
      origin = schedulerName(context) + "/" + context.getJobDetail().getKey();
    }
    String seed = origin + "/" + trigger + "/" + scheduled;
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String schedulerName(JobExecutionContext context) {
    try {
      return context.getScheduler().getSchedulerName();
    } catch (SchedulerException e) {
      return "";
    }
  }

  /** The correlation a trigger's job would run under, for logging a misfire. */
  Correlation correlationOf(Scheduler scheduler, Trigger trigger) {
    JobDataMap data = new JobDataMap();
    try {
      JobDetail job = scheduler.getJobDetail(trigger.getJobKey());
      if (job != null) {
        data.putAll(job.getJobDataMap());
      }
    } catch (SchedulerException | RuntimeException e) {
      // the trigger's own data still says something
    }
    data.putAll(trigger.getJobDataMap());
    Correlation tagged = tagOf(data);
    return tagged != null ? tagged : propagator.newRoot();
  }

  private static JobFactory currentJobFactory(Scheduler scheduler) {
    // Scheduler has a setter but no getter; StdScheduler holds the QuartzScheduler that knows.
    try {
      Field field = scheduler.getClass().getDeclaredField("sched");
      field.setAccessible(true);
      Object core = field.get(scheduler);
      Object factory = core.getClass().getMethod("getJobFactory").invoke(core);
      if (factory instanceof JobFactory) {
        return (JobFactory) factory;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a StdScheduler: Quartz's default factory
    }
    return new PropertySettingJobFactory();
  }

  /** Configures a {@link QuartzCorrelation}. */
  public static final class Builder {
    private CorrelationPropagator propagator = CorrelationPropagator.create();
    private FirePolicy firePolicy = FirePolicy.AUTO;

    private Builder() {}

    /** Key names, MDC keys and ID generator; default {@link CorrelationPropagator#create()}. */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /** Which correlation runs of tagged jobs get, scheduler-wide; default {@link FirePolicy#AUTO}. */
    public Builder firePolicy(FirePolicy firePolicy) {
      this.firePolicy = Objects.requireNonNull(firePolicy, "firePolicy");
      return this;
    }

    /** The configured instance. */
    public QuartzCorrelation build() {
      return new QuartzCorrelation(this);
    }
  }
}
