package io.baton.quartz;

import io.baton.Baton;
import io.baton.Correlation;
import io.baton.CorrelationPropagator;
import io.baton.CorrelationScope;
import io.baton.FailureLog;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.quartz.Calendar;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.core.QuartzScheduler;
import org.quartz.impl.calendar.BaseCalendar;
import org.quartz.core.QuartzSchedulerResources;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * that fire's ID: per-fire IDs are name-based UUIDs of a random salt the scheduler keeps (in its
 * job store when that is persistent, shared by a cluster), the tag (or, untagged, the scheduler
 * name and job key), the trigger and the scheduled fire time, so a recovering node derives the
 * same one while independent schedulers (replicas, environments) never share one.
 *
 * <p>A job that throws is logged once, at ERROR by default ({@link Builder#failureLog}), under its
 * run's correlation and with the stack trace, and the exception goes on to Quartz unchanged.
 */
public final class QuartzCorrelation {

  /** MDC key: the running job's key. */
  public static final String JOB_KEY = "quartz_job";

  /** MDC key: the key of the trigger that fired it. */
  public static final String TRIGGER_KEY = "quartz_trigger";

  /** MDC key: the fire instance ID. */
  public static final String FIRE_ID_KEY = "quartz_fire_id";

  private static final String CONTEXT_KEY = "io.baton.quartz.correlation";

  /** Scheduler-context key of the scheduler's {@linkplain #fireSalt fire-ID salt}. */
  private static final String SALT_KEY = "io.baton.quartz.fire-salt";

  /** The calendar a persistent store keeps the fire-ID salt in (never used by a trigger). */
  static final String SALT_CALENDAR = "baton_fire_id_salt";
  private static final String ORIGINAL_TRIGGER_NAME = "QRTZ_FAILED_JOB_ORIG_TRIGGER_NAME";
  private static final String ORIGINAL_TRIGGER_GROUP = "QRTZ_FAILED_JOB_ORIG_TRIGGER_GROUP";
  private static final String ORIGINAL_SCHEDULED_TIME =
      "QRTZ_FAILED_JOB_ORIG_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS_AS_STRING";

  /** Where Baton's own warnings about invalid values go, as in core. */
  private static final Logger VALUES = LoggerFactory.getLogger("io.baton");
  private static final Logger LOG = LoggerFactory.getLogger("io.baton.quartz");

  private final CorrelationPropagator propagator;
  private final FirePolicy firePolicy;
  private final FailureLog failureLog;
  private final String ownSalt = UUID.randomUUID().toString();

  /**
   * Reads tags like {@link #propagator}, but its "fresh ID" for an invalid tag is the ID the run
   * then gets (set per read in {@link #FRESH_ID}): core logs its warning about the tag under that
   * ID, so the warning lands in the run's trail.
   */
  private final CorrelationPropagator tagReader;

  private static final ThreadLocal<String> FRESH_ID = new ThreadLocal<>();

  /** The job's data without the tag's parent, for work that does not use it. */
  private final CorrelationPropagator.Getter<JobDataMap> withoutParent;

  private QuartzCorrelation(Builder builder) {
    this.propagator = builder.propagator;
    this.firePolicy = builder.firePolicy;
    this.failureLog = builder.failureLog;
    this.tagReader = CorrelationPropagator.newBuilder()
        .headers(propagator.idHeader(), propagator.parentHeader())
        .mdcKeys(propagator.idMdcKey(), propagator.parentMdcKey())
        .idGenerator(FRESH_ID::get)
        .build();
    String parentKey = propagator.parentHeader();
    this.withoutParent = (data, key) -> key.equals(parentKey) ? null : data.get(key);
  }

  /**
   * With the default {@link CorrelationPropagator} and {@link FirePolicy#AUTO}.
   *
   * @return an instance with the defaults
   */
  public static QuartzCorrelation create() {
    return new Builder().build();
  }

  /**
   * A builder, to choose the scheduler-wide fire policy, key names or the ID generator.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * From now on every job {@code scheduler} runs executes inside a correlation scope, opened and
   * closed around the whole run: the job's {@code execute}, the job and trigger listeners around
   * it, and what Quartz logs about it (e.g. {@code org.quartz.core.JobRunShell}'s line about a job
   * that threw). Install before {@code scheduler.start()}. Keeps the job factory the scheduler has
   * (install after setting your own, or use {@link #install(Scheduler, JobFactory)}). Misfires and
   * vetoed runs are logged under the job's correlation.
   *
   * <p>The run-wide scope needs a {@code StdScheduler} (what {@code StdSchedulerFactory} and
   * Spring's {@code SchedulerFactoryBean} give); with any other {@code Scheduler} the scope wraps
   * {@code Job.execute} only.
   *
   * @param scheduler the scheduler whose jobs run correlated
   * @throws SchedulerException when the scheduler refuses to be read or configured
   */
  public void install(Scheduler scheduler) throws SchedulerException {
    install(scheduler, currentJobFactory(scheduler));
  }

  /**
   * Like {@link #install(Scheduler)}, wrapping {@code jobFactory} as the scheduler's factory.
   *
   * @param scheduler the scheduler whose jobs run correlated
   * @param jobFactory the factory that makes the job instances
   * @throws SchedulerException when the scheduler refuses to be read or configured
   */
  public void install(Scheduler scheduler, JobFactory jobFactory) throws SchedulerException {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(jobFactory, "jobFactory");
    if (jobFactory instanceof CorrelatingJobFactory) {
      return;
    }
    if (!(scheduler.getContext().get(SALT_KEY) instanceof String)) {
      scheduler.getContext().put(SALT_KEY, fireSalt(scheduler));
    }
    scheduler.setJobFactory(new CorrelatingJobFactory(jobFactory, this));
    wrapThreadPool(scheduler);
    RunListener listener = new RunListener(this, scheduler);
    scheduler.getListenerManager().addTriggerListener(listener);
    scheduler.getListenerManager().addJobListener(listener);
  }

  /**
   * Records the correlation current now in the job's data (string values under {@code
   * correlation_id} / {@code parent_correlation_id}); with none current, the job stays untagged.
   *
   * @param job the builder of the job to schedule
   * @return {@code job}, tagged when a correlation is current
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

  /**
   * Like {@link #tag(JobBuilder)}, for a job's (or a trigger's) data map; returns it.
   *
   * @param data the job's or trigger's data map, written in place
   * @return {@code data}
   */
  public JobDataMap tag(JobDataMap data) {
    Objects.requireNonNull(data, "data");
    Optional<Correlation> current = Baton.current();
    current.ifPresent(correlation -> propagator.write(data, JobDataCarrier.SETTER, correlation));
    return data;
  }

  /**
   * Like {@link #tag(JobBuilder)}, choosing for this job which correlation its runs get,
   * overriding the scheduler-wide {@link Builder#firePolicy}.
   *
   * @param job the builder of the job to schedule
   * @param policy which correlation this job's runs get
   * @return {@code job}, with {@code policy} (and the correlation, when one is current)
   */
  public JobBuilder tag(JobBuilder job, FirePolicy policy) {
    return tag(job).usingJobData(JobDataCarrier.FIRE_POLICY_KEY, policy.name());
  }

  /**
   * The correlation this instance applies.
   *
   * @return the propagator
   */
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
   *
   * @param context the run's context, as a listener gets it
   * @return the user's job instance, not Baton's wrapper
   */
  public static Job jobInstance(JobExecutionContext context) {
    Job job = Objects.requireNonNull(context, "context").getJobInstance();
    return job instanceof CorrelatingJob ? ((CorrelatingJob) job).delegate() : job;
  }

  /** The scope of one run: its fire's correlation and the Quartz facts in the MDC. */
  CorrelationScope open(JobExecutionContext context) {
    String[] fields = fields(context);
    return propagator.open(correlation(context, fields), fields);
  }

  FailureLog failureLog() {
    return failureLog;
  }

  private static String[] fields(JobExecutionContext context) {
    return new String[] {
      JOB_KEY, String.valueOf(context.getJobDetail().getKey()),
      TRIGGER_KEY, String.valueOf(context.getTrigger().getKey()),
      FIRE_ID_KEY, context.getFireInstanceId()
    };
  }

  /**
   * The correlation of this fire; the same for every refire of it. Read once per run: a warning
   * about the tag is logged then, under this correlation and with the run's MDC {@code fields}.
   */
  private Correlation correlation(JobExecutionContext context, String[] fields) {
    Object cached = context.get(CONTEXT_KEY);
    if (cached instanceof Correlation) {
      return (Correlation) cached;
    }
    JobDataMap data = context.getMergedJobDataMap();
    String untaggedId = fireId(context, data, null);
    boolean continues = continues(context, data);
    Correlation tagged = tagOf(data, untaggedId, continues, fields);
    Correlation correlation;
    if (tagged == null) {
      correlation = Correlation.of(untaggedId, null);
    } else if (continues) {
      correlation = tagged;
    } else {
      correlation = Correlation.of(fireId(context, data, tagged), tagged.id());
    }
    context.put(CONTEXT_KEY, correlation);
    return correlation;
  }

  /**
   * The tagged correlation, or null for an untagged job or an invalid tag. An invalid tag is warned
   * about (sanitized) under {@code freshId}, the ID the work then gets, with {@code fields}; a
   * tag's invalid parent is warned about only when the work continues the tag ({@code
   * withParent}), since only then is the parent used.
   */
  private Correlation tagOf(JobDataMap data, String freshId, boolean withParent, String[] fields) {
    Object tag = data.get(propagator.idHeader());
    if (tag == null) {
      return null;
    }
    if (!(tag instanceof String)) {
      // Core reads bytes as text; a job's tag is a String (what tag() writes), anything else is invalid.
      warnNotAString("Replaced invalid {} (a value of type {}) with a fresh correlation ID",
          propagator.idHeader(), tag, Correlation.of(freshId, null), fields);
      return null;
    }
    Object parent = data.get(propagator.parentHeader());
    boolean readParent = withParent && (parent == null || parent instanceof String);
    CorrelationPropagator.Getter<JobDataMap> getter = readParent ? JobDataCarrier.GETTER : withoutParent;
    Correlation extracted;
    FRESH_ID.set(freshId);
    try (CorrelationScope read = tagReader.open(data, getter, null, fields)) {
      extracted = Baton.current().orElse(null);
    } finally {
      FRESH_ID.remove();
    }
    if (extracted == null || !extracted.id().equals(tag)) {
      return null;
    }
    if (withParent && !readParent) {
      warnNotAString("Dropped invalid {} (a value of type {})",
          propagator.parentHeader(), parent, extracted, fields);
    }
    return extracted;
  }

  private void warnNotAString(
      String message, String key, Object value, Correlation correlation, String[] fields) {
    if (VALUES.isWarnEnabled()) {
      try (CorrelationScope scope = propagator.open(correlation, fields)) {
        VALUES.warn(message, key, Baton.printable(value.getClass().getSimpleName()));
      }
    }
  }

  private boolean continues(JobExecutionContext context, JobDataMap data) {
    FirePolicy policy = firePolicy;
    Object perJob = data.get(JobDataCarrier.FIRE_POLICY_KEY);
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

  /**
   * The name-based ID of this fire, for the tagged correlation or (null) an untagged job: of the
   * scheduler's {@linkplain #fireSalt salt}, the tag (untagged: scheduler name and job key), the
   * trigger and the scheduled fire time. A refire, or a recovery (whose trigger names the original
   * one and its scheduled time), derives the same one.
   */
  private String fireId(JobExecutionContext context, JobDataMap data, Correlation tagged) {
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
    String seed = salt(context) + "/" + origin + "/" + trigger + "/" + scheduled;
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private String salt(JobExecutionContext context) {
    try {
      Object salt = context.getScheduler().getContext().get(SALT_KEY);
      if (salt instanceof String) {
        return (String) salt;
      }
    } catch (SchedulerException | RuntimeException e) {
      // a scheduler Baton was not installed on: this instance's own salt
    }
    return ownSalt;
  }

  /**
   * Makes the scheduler's fire IDs its own: a random salt in every fire ID's seed, so that two
   * schedulers (replicas, environments) firing the same job at the same time give two IDs. A
   * persistent store keeps it (as the description of a calendar named {@value #SALT_CALENDAR}),
   * so every node of a cluster, and the scheduler after a restart, derive the same ID for a
   * recovered fire; a RAM store, which recovers nothing, gets a new one each time. A store that
   * cannot be read or written now does not stop the scheduler: its fires get this salt, and a
   * recovery on another node a new ID.
   */
  private static String fireSalt(Scheduler scheduler) {
    String fresh = UUID.randomUUID().toString();
    try {
      return scheduler.getMetaData().isJobStoreSupportsPersistence() ? storedSalt(scheduler, fresh) : fresh;
    } catch (SchedulerException | RuntimeException e) {
      LOG.warn("Could not keep the fire-ID salt in the job store ({}); a fire recovered on another"
          + " node will get a new ID", e.getClass().getName());
      return fresh;
    }
  }

  private static String storedSalt(Scheduler scheduler, String fresh) throws SchedulerException {
    for (int attempt = 0; attempt < 3; attempt++) {
      // asked by name first: Quartz 2.3's JDBC store warns about a missing calendar
      Calendar stored = scheduler.getCalendarNames().contains(SALT_CALENDAR)
          ? scheduler.getCalendar(SALT_CALENDAR) : null;
      if (stored != null && Correlation.isValidId(stored.getDescription())) {
        return stored.getDescription();
      }
      BaseCalendar salt = new BaseCalendar();
      salt.setDescription(fresh);
      try {
        scheduler.addCalendar(SALT_CALENDAR, salt, stored != null, false);
        return fresh;
      } catch (ObjectAlreadyExistsException anotherNodeWasFirst) {
        // read theirs
      }
    }
    return fresh;
  }

  private static String schedulerName(JobExecutionContext context) {
    try {
      return context.getScheduler().getSchedulerName();
    } catch (SchedulerException e) {
      return "";
    }
  }

  /**
   * The correlation a trigger's job would run under, for logging a misfire with {@code fields}: the
   * tag, or a fresh root when there is none (a warning about an invalid tag is logged under it).
   */
  Correlation correlationOf(Scheduler scheduler, Trigger trigger, String[] fields) {
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
    Correlation fresh = propagator.newRoot();
    Correlation tagged = tagOf(data, fresh.id(), true, fields);
    return tagged != null ? tagged : fresh;
  }

  /**
   * Wraps the scheduler's thread pool, so that each run's scope spans Quartz's whole run shell.
   * Quartz offers no setter on {@code Scheduler}; {@code StdScheduler} holds the {@code
   * QuartzScheduler}, whose resources hold the pool its scheduler thread asks for on every fire.
   */
  private void wrapThreadPool(Scheduler scheduler) {
    QuartzScheduler core = quartzScheduler(scheduler);
    if (core == null) {
      return;
    }
    try {
      Field field = QuartzScheduler.class.getDeclaredField("resources");
      field.setAccessible(true);
      QuartzSchedulerResources resources = (QuartzSchedulerResources) field.get(core);
      ThreadPool pool = resources.getThreadPool();
      if (!(pool instanceof CorrelatingThreadPool)) {
        resources.setThreadPool(new CorrelatingThreadPool(pool, this));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Quartz's thread pool cannot be wrapped ({}); the scope wraps Job.execute only", e.toString());
    }
  }

  private static QuartzScheduler quartzScheduler(Scheduler scheduler) {
    try {
      Field field = scheduler.getClass().getDeclaredField("sched");
      field.setAccessible(true);
      Object core = field.get(scheduler);
      return core instanceof QuartzScheduler ? (QuartzScheduler) core : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not a StdScheduler
    }
  }

  private static JobFactory currentJobFactory(Scheduler scheduler) {
    // Scheduler has a setter but no getter; StdScheduler holds the QuartzScheduler that knows.
    QuartzScheduler core = quartzScheduler(scheduler);
    JobFactory factory = core == null ? null : core.getJobFactory();
    return factory != null ? factory : new PropertySettingJobFactory(); // Quartz's default
  }

  /** Configures a {@link QuartzCorrelation}. */
  public static final class Builder {
    private CorrelationPropagator propagator = CorrelationPropagator.create();
    private FirePolicy firePolicy = FirePolicy.AUTO;
    private FailureLog failureLog = FailureLog.defaults();

    private Builder() {}

    /**
     * Key names, MDC keys and ID generator; default {@link CorrelationPropagator#create()}.
     *
     * @param propagator the propagator to apply
     * @return this builder
     */
    public Builder propagator(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * Which correlation runs of tagged jobs get, scheduler-wide; default {@link FirePolicy#AUTO}.
     *
     * @param firePolicy the policy for jobs tagged without one
     * @return this builder
     */
    public Builder firePolicy(FirePolicy firePolicy) {
      this.firePolicy = Objects.requireNonNull(firePolicy, "firePolicy");
      return this;
    }

    /**
     * How a job that throws is logged, under its run's correlation before the exception goes on to
     * Quartz: default {@link FailureLog#defaults()} (ERROR on logger {@code io.baton.quartz});
     * {@link FailureLog#off()} when jobs log their own failures.
     *
     * @param failureLog how job failures are logged
     * @return this builder
     */
    public Builder failureLog(FailureLog failureLog) {
      this.failureLog = Objects.requireNonNull(failureLog, "failureLog");
      return this;
    }

    /**
     * The configured instance.
     *
     * @return the configured instance
     */
    public QuartzCorrelation build() {
      return new QuartzCorrelation(this);
    }
  }
}
