package io.baton.quartz;

import io.baton.CorrelationScope;
import org.quartz.InterruptableJob;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.UnableToInterruptJobException;

/**
 * Runs the user's job inside its fire's correlation, opened and closed around {@code execute}
 * itself, with {@code quartz_job}, {@code quartz_trigger} and {@code quartz_fire_id} in the MDC.
 */
final class CorrelatingJob implements InterruptableJob {

  private final Job delegate;
  private final QuartzCorrelation quartz;

  CorrelatingJob(Job delegate, QuartzCorrelation quartz) {
    this.delegate = delegate;
    this.quartz = quartz;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try (CorrelationScope scope = quartz.open(context)) {
      delegate.execute(context);
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
