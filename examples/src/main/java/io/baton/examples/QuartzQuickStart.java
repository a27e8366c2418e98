package io.baton.examples;

import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

import io.baton.FailureLog;
import io.baton.quartz.FirePolicy;
import io.baton.quartz.QuartzCorrelation;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import java.time.Duration;
import java.util.Date;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The README's Quartz quick start: install, tag, and a job that sends through Baton. */
public final class QuartzQuickStart {

  private static final Logger log = LoggerFactory.getLogger(QuartzQuickStart.class);

  /** Scheduler-context key of the (Baton-wrapped) JMS connection factory jobs send through. */
  public static final String JMS = "jms";

  private QuartzQuickStart() {}

  /** Once, at startup: every job the scheduler runs executes inside a correlation scope. */
  public static QuartzCorrelation install(Scheduler scheduler, ConnectionFactory wrappedJms)
      throws SchedulerException {
    QuartzCorrelation quartz = QuartzCorrelation.create();
    quartz.install(scheduler);
    scheduler.getContext().put(JMS, wrappedJms);
    return quartz;
  }

  /**
   * For jobs that log their own failures: Baton's line about a job that threw at WARN instead of
   * ERROR (or {@code FailureLog.off()}); it is still logged under the run's correlation.
   */
  public static QuartzCorrelation failuresAtWarn() {
    return QuartzCorrelation.newBuilder().failureLog(FailureLog.at(Level.WARN)).build();
  }

  /** Inside a request's scope: a one-shot job that continues the request's correlation. */
  public static void scheduleReconcile(Scheduler scheduler, QuartzCorrelation quartz, Duration delay)
      throws SchedulerException {
    scheduler.scheduleJob(
        quartz.tag(newJob(ReconcilePayment.class)).build(),
        newTrigger().startAt(new Date(System.currentTimeMillis() + delay.toMillis())).build());
  }

  /** A repeating job: each fire gets its own ID whose parent is the scheduling correlation. */
  public static void scheduleSweep(Scheduler scheduler, QuartzCorrelation quartz, String cron)
      throws SchedulerException {
    scheduler.scheduleJob(
        quartz.tag(newJob(SettlementSweep.class), FirePolicy.AUTO).build(),
        newTrigger().withSchedule(CronScheduleBuilder.cronSchedule(cron)).build());
  }

  /** Reconciles a payment and tells the audit queue, under the job's correlation. */
  public static final class ReconcilePayment implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      log.info("reconciling payment");                    // MDC: correlation_id, quartz_job, ...
      audit(context, "payment reconciled");               // the message carries the same ID
    }
  }

  /** Sweeps settlements; every fire is a child correlation. */
  public static final class SettlementSweep implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      log.info("sweeping settlements");
      audit(context, "settlements swept");
    }
  }

  private static void audit(JobExecutionContext context, String text) throws JobExecutionException {
    try {
      ConnectionFactory factory = (ConnectionFactory) context.getScheduler().getContext().get(JMS);
      try (JMSContext jms = factory.createContext()) {
        jms.createProducer().send(jms.createQueue("audit"), text);
      }
    } catch (SchedulerException | RuntimeException e) {
      throw new JobExecutionException(e);
    }
  }
}
