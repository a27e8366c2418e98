package io.baton.quartz;

import io.baton.Baton;
import io.baton.CorrelationScope;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the runs that never reach {@code Job.execute} (misfires, vetoes) under the job's
 * correlation. It only logs, in a scope opened and closed in the same callback: the run's own scope
 * wraps {@code execute} in {@link CorrelatingJob}.
 */
final class RunListener implements TriggerListener, JobListener {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.quartz");

  private final QuartzCorrelation quartz;
  private final Scheduler scheduler;

  RunListener(QuartzCorrelation quartz, Scheduler scheduler) {
    this.quartz = quartz;
    this.scheduler = scheduler;
  }

  @Override
  public String getName() {
    return "baton-correlation";
  }

  @Override
  public void triggerMisfired(Trigger trigger) {
    String[] fields = {
      QuartzCorrelation.JOB_KEY, String.valueOf(trigger.getJobKey()),
      QuartzCorrelation.TRIGGER_KEY, String.valueOf(trigger.getKey())
    };
    try (CorrelationScope scope =
        quartz.propagator().open(quartz.correlationOf(scheduler, trigger, fields), fields)) {
      LOG.warn("Trigger {} of job {} misfired", printable(trigger.getKey()), printable(trigger.getJobKey()));
    }
  }

  @Override
  public void jobExecutionVetoed(JobExecutionContext context) {
    try (CorrelationScope scope = quartz.open(context)) {
      LOG.warn("Run of job {} was vetoed", printable(context.getJobDetail().getKey()));
    }
  }

  /** Keys are names users (or data) chose: never raw in a line. */
  private static String printable(Object key) {
    return Baton.printable(String.valueOf(key));
  }

  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext context) {}

  @Override
  public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
    return false;
  }

  @Override
  public void triggerComplete(
      Trigger trigger, JobExecutionContext context, CompletedExecutionInstruction instruction) {}

  @Override
  public void jobToBeExecuted(JobExecutionContext context) {}

  @Override
  public void jobWasExecuted(JobExecutionContext context, JobExecutionException exception) {}
}
