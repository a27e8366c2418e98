package io.baton.quartz;

import io.baton.Baton;
import io.baton.CorrelationScope;
import org.quartz.InterruptableJob;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.UnableToInterruptJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user's job inside its fire's correlation, opened and closed around {@code execute}
 * itself, with {@code quartz_job}, {@code quartz_trigger} and {@code quartz_fire_id} in the MDC,
 * and logs a failure there before Quartz sees it. (Where the scheduler's thread pool is wrapped, a
 * scope with the same correlation already spans the whole run; this one keeps {@code execute}
 * covered where it is not.)
 */
final class CorrelatingJob implements InterruptableJob {

  private static final Logger LOG = LoggerFactory.getLogger("io.baton.quartz");

  private final Job delegate;
  private final QuartzCorrelation quartz;

  CorrelatingJob(Job delegate, QuartzCorrelation quartz) {
    this.delegate = delegate;
    this.quartz = quartz;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try (CorrelationScope scope = quartz.open(context)) {
      try {
        delegate.execute(context);
      } catch (JobExecutionException | RuntimeException | Error e) {
        quartz.failureLog().log(
            LOG, e, "Job {} failed", Baton.printable(String.valueOf(context.getJobDetail().getKey())));
        throw e;
      }
    }
  }

  @Override
  public void interrupt() throws UnableToInterruptJobException {
    if (!(delegate instanceof InterruptableJob)) {
      throw new UnableToInterruptJobException(
          delegate.getClass().getName() + " does not implement InterruptableJob");
    }
    ((InterruptableJob) delegate).interrupt();
  }

  Job delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
